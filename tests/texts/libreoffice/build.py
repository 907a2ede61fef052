"""Write the sources of the LibreOffice fixtures from the real texts (tests/texts/real), then
save them with LibreOffice as an agent would (see README.md). Not run by the tests: the files
it makes are committed next to it.

    .venv/bin/python tests/texts/libreoffice/build.py [--sources-only]

Needs `soffice` (LibreOffice) on the PATH, and for the password-protected copies the
`python3-uno` bridge of the system's Python (/usr/bin/python3).
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REAL = HERE.parent / "real"
BILL = REAL / "pjl09-200_agriculture_senat.txt"
CODE = REAL / "code_civil_servitudes.md"
sys.path.insert(0, str(HERE.parents[2]))

from tests.texts.office_fixtures import NOTE_ANCHOR, NOTE_TEXT, TABLE  # noqa: E402

PASSWORD = "consultation"

# --- The Sénat's bill as a .fodt -----------------------------------------------------------

FODT_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:meta><dc:title>Projet de loi de modernisation de l'agriculture et de la pêche</dc:title>
  <dc:language>fr-FR</dc:language></office:meta>
 <office:styles>
  <style:default-style style:family="paragraph">
   <style:text-properties style:font-name="Liberation Serif" fo:font-size="12pt"
    fo:language="fr" fo:country="FR"/>
  </style:default-style>
  <style:style style:name="Standard" style:family="paragraph" style:class="text"/>
  <style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard"
   style:next-style-name="Text_20_body" style:class="text">
   <style:paragraph-properties fo:margin-top="0.42cm" fo:margin-bottom="0.21cm"
    fo:keep-with-next="always"/>
   <style:text-properties fo:font-size="14pt"/>
  </style:style>
  <style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph"
   style:parent-style-name="Standard" style:class="text">
   <style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.25cm"
    fo:text-align="justify"/>
  </style:style>
  <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph"
   style:parent-style-name="Heading" style:next-style-name="Text_20_body"
   style:default-outline-level="1" style:list-style-name="" style:class="text">
   <style:paragraph-properties fo:text-align="center"/>
   <style:text-properties fo:font-size="130%" fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph"
   style:parent-style-name="Heading" style:next-style-name="Text_20_body"
   style:default-outline-level="2" style:list-style-name="" style:class="text">
   <style:paragraph-properties fo:text-align="center"/>
   <style:text-properties fo:font-size="115%" fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="Title" style:family="paragraph" style:parent-style-name="Heading"
   style:next-style-name="Subtitle" style:class="chapter">
   <style:paragraph-properties fo:text-align="center"/>
   <style:text-properties fo:font-size="28pt" fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="Subtitle" style:family="paragraph" style:parent-style-name="Heading"
   style:next-style-name="Text_20_body" style:class="chapter">
   <style:paragraph-properties fo:text-align="center"/>
   <style:text-properties fo:font-size="18pt"/>
  </style:style>
  <style:style style:name="Footnote" style:family="paragraph" style:parent-style-name="Standard"
   style:class="extra">
   <style:text-properties fo:font-size="10pt"/>
  </style:style>
  <style:style style:name="Table_20_Contents" style:display-name="Table Contents"
   style:family="paragraph" style:parent-style-name="Standard" style:class="extra"/>
  <style:style style:name="Table_20_Heading" style:display-name="Table Heading"
   style:family="paragraph" style:parent-style-name="Table_20_Contents" style:class="extra">
   <style:paragraph-properties fo:text-align="center"/>
   <style:text-properties fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="Article" style:display-name="Article" style:family="paragraph"
   style:parent-style-name="Text_20_body">
   <style:paragraph-properties fo:text-align="center" fo:keep-with-next="always"
    fo:margin-top="0.42cm"/>
   <style:text-properties fo:font-weight="bold"/>
  </style:style>
  <text:list-style style:name="Degres" style:display-name="Degrés">
   <text:list-level-style-number text:level="1" style:num-suffix="°" style:num-format="1">
    <style:list-level-properties text:list-level-position-and-space-mode="label-alignment">
     <style:list-level-label-alignment text:label-followed-by="space"/>
    </style:list-level-properties>
   </text:list-level-style-number>
   <text:list-level-style-number text:level="2" style:num-suffix=")" style:num-format="a">
    <style:list-level-properties text:list-level-position-and-space-mode="label-alignment">
     <style:list-level-label-alignment text:label-followed-by="space"/>
    </style:list-level-properties>
   </text:list-level-style-number>
  </text:list-style>
  <text:list-style style:name="DegresTirets" style:display-name="Degrés et tirets">
   <text:list-level-style-number text:level="1" style:num-suffix="°" style:num-format="1">
    <style:list-level-properties text:list-level-position-and-space-mode="label-alignment">
     <style:list-level-label-alignment text:label-followed-by="space"/>
    </style:list-level-properties>
   </text:list-level-style-number>
   <text:list-level-style-bullet text:level="2" text:bullet-char="–">
    <style:list-level-properties text:list-level-position-and-space-mode="label-alignment">
     <style:list-level-label-alignment text:label-followed-by="space"/>
    </style:list-level-properties>
   </text:list-level-style-bullet>
  </text:list-style>
  <text:outline-style style:name="Outline">
__OUTLINE__
  </text:outline-style>
  <text:notes-configuration text:note-class="footnote" style:num-format="1" text:start-value="0"
   text:footnotes-position="page" text:start-numbering-at="document"/>
 </office:styles>
 <office:automatic-styles>
  <style:style style:name="Centre" style:family="paragraph" style:parent-style-name="Text_20_body">
   <style:paragraph-properties fo:text-align="center"/>
   <style:text-properties fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="Exposant" style:family="text">
   <style:text-properties style:text-position="super 58%"/>
  </style:style>
 </office:automatic-styles>
 <office:body>
  <office:text>
"""
FODT_TAIL = """  </office:text>
 </office:body>
</office:document>
"""


UNNUMBERED = """   <text:outline-level-style text:level="1" style:num-format=""/>
   <text:outline-level-style text:level="2" style:num-format=""/>"""


def _head(outline: str = UNNUMBERED) -> str:
    return FODT_HEAD.replace("__OUTLINE__", outline)


def _x(text: str) -> str:
    return html.escape(text, quote=False)


def _article_heading(line: str) -> str:
    """« Article 1er » with « er » raised, as Word and Writer print it."""
    if line.endswith("1er"):
        return f'{_x(line[:-2])}<text:span text:style-name="Exposant">er</text:span>'
    return _x(line)


def bill_fodt() -> str:
    """The bill in Writer's styles: « Titre » and « Sous-titre » for its name, « Titre 1 »
    (Heading 1) for its TITRES, their titles written four ways (a second Heading 1, a line
    break, a Heading 2, a bold paragraph), articles as bold centred paragraphs (« Article
    1er » with « er » in superscript), the « 1° » and « a) » of each article and the dashes
    of article 24 as automatic lists, resumed after the quoted alinéas that interrupt them;
    a footnote in article 23 and a table at the end of article 24."""
    lines = BILL.read_text(encoding="utf-8").split("\n")
    out: list[str] = []
    division_count = 0
    in_list = False
    list_open_item = False
    sub_list_open = False
    list_started_in_article = False
    pending_title: str | None = None
    article = ""
    note_pending = False

    def close_list() -> None:
        nonlocal in_list, list_open_item, sub_list_open
        if sub_list_open:
            out.append("</text:list></text:list-item>")
            sub_list_open = False
        elif list_open_item:
            out.append("</text:list-item>")
        if in_list:
            out.append("</text:list>")
        in_list = list_open_item = False

    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if pending_title is not None:
            style = pending_title
            pending_title = None
            if style == "break":
                out[-1] += f"{_x(line)}</text:h>"
            elif style == "h1":
                out.append(
                    f'<text:h text:style-name="Heading_20_1" text:outline-level="1">'
                    f"{_x(line)}</text:h>"
                )
            elif style == "h2":
                out.append(
                    f'<text:h text:style-name="Heading_20_2" text:outline-level="2">'
                    f"{_x(line)}</text:h>"
                )
            else:
                out.append(f'<text:p text:style-name="Centre">{_x(line)}</text:p>')
            continue
        if re.fullmatch(r"TITRE [IVX]+(er)?", line):
            close_list()
            division_count += 1
            if division_count == 2:  # TITRE II: its title after a line break
                pending_title = "break"
                out.append(
                    f'<text:h text:style-name="Heading_20_1" text:outline-level="1">'
                    f"{_x(line)}<text:line-break/>"
                )
                continue
            pending_title = {1: "h1", 3: "h2", 4: "p"}[division_count]
            out.append(
                f'<text:h text:style-name="Heading_20_1" text:outline-level="1">{_x(line)}</text:h>'
            )
            continue
        if re.fullmatch(r"Article \d+(er)?", line):
            close_list()
            article = line
            list_started_in_article = False
            note_pending = line == NOTE_ANCHOR
            out.append(f'<text:p text:style-name="Article">{_article_heading(line)}</text:p>')
            continue
        degree = re.match(r"^\d+° ", line)
        letter = re.match(r"^[a-z]\) ", line)
        dash = line.startswith("- ")
        if article and (degree or letter or dash):
            style = "DegresTirets" if article == "Article 24" else "Degres"
            body = line.split(" ", 1)[1]
            if degree:
                if sub_list_open:
                    out.append("</text:list></text:list-item>")
                    sub_list_open = False
                elif list_open_item:
                    out.append("</text:list-item>")
                if not in_list:
                    continues = ' text:continue-numbering="true"' if list_started_in_article else ""
                    out.append(f'<text:list text:style-name="{style}"{continues}>')
                    in_list = True
                    list_started_in_article = True
                out.append(
                    f'<text:list-item><text:p text:style-name="Text_20_body">{_x(body)}</text:p>'
                )
                list_open_item = True
            else:
                if not sub_list_open:
                    out.append("<text:list>")
                    sub_list_open = True
                out.append(
                    f'<text:list-item><text:p text:style-name="Text_20_body">{_x(body)}'
                    "</text:p></text:list-item>"
                )
            continue
        close_list()
        if not article:
            style = "Title" if line == "PROJET DE LOI" else "Subtitle"
            out.append(f'<text:p text:style-name="{style}">{_x(line)}</text:p>')
            continue
        note = ""
        if note_pending:
            note = (
                '<text:note text:id="ftn1" text:note-class="footnote">'
                "<text:note-citation>1</text:note-citation><text:note-body>"
                f'<text:p text:style-name="Footnote">{_x(NOTE_TEXT)}</text:p>'
                "</text:note-body></text:note>"
            )
            note_pending = False
        out.append(f'<text:p text:style-name="Text_20_body">{_x(line)}{note}</text:p>')
    close_list()
    out.append(_table())
    return _head() + "\n".join("   " + part for part in out) + "\n" + FODT_TAIL


def _table() -> str:
    columns = len(TABLE[0])
    rows = []
    for index, row in enumerate(TABLE):
        cells = "".join(
            f'<table:table-cell office:value-type="string"><text:p text:style-name='
            f'"{"Table_20_Heading" if index == 0 else "Table_20_Contents"}">{_x(cell)}</text:p>'
            "</table:table-cell>"
            for cell in row
        )
        row_xml = f"<table:table-row>{cells}</table:table-row>"
        if index == 0:
            row_xml = f"<table:table-header-rows>{row_xml}</table:table-header-rows>"
        rows.append(row_xml)
    return (
        '<table:table table:name="Taux">'
        f'<table:table-column table:number-columns-repeated="{columns}"/>'
        + "".join(rows)
        + "</table:table>"
    )


# --- A chapter of the Code civil as a web page -----------------------------------------------


def code_html() -> str:
    """The chapter as an HTML page (« Titre 1 » to « Titre 5 » for the book, title, chapter
    and sections, articles as bold paragraphs, each alinéa one paragraph unwrapped), opened
    in Writer and saved."""
    body: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            body.append(f"<p>{html.escape(' '.join(paragraph))}</p>")
            paragraph.clear()

    for raw in CODE.read_text(encoding="utf-8").split("\n"):
        line = raw.strip()
        heading = re.match(r"^(#{1,6}) (.*)$", line)
        if heading:
            flush()
            level = len(heading.group(1))
            body.append(f"<h{level}>{html.escape(heading.group(2))}</h{level}>")
        elif re.fullmatch(r"Article \d+", line):
            flush()
            body.append(f"<p><b>{html.escape(line)}</b></p>")
        elif line in ("----", ""):
            flush()
        else:
            paragraph.append(line)
    flush()
    return (
        '<!DOCTYPE html>\n<html lang="fr">\n<head><meta charset="utf-8">'
        "<title>Code civil – Des servitudes établies par la loi</title></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


# --- The same chapter with its headings numbered by Writer -----------------------------------

CODE_LEVELS = [("Livre", "I", 2), ("Titre", "I", 4), ("Chapitre", "I", 2), ("Section", "1", 1)]


def code_fodt() -> str:
    """The chapter as an agent keeps a code in Writer: « Titre 1 » to « Titre 4 » numbered by
    the outline numbering (Outils > Numérotation des chapitres: « Livre I », « Titre I »,
    « Chapitre I », « Section 1 », a tab after the number), each heading's text only its
    title; numbering started at Livre II, Titre IV and Chapitre II, and restarted at 5 for the
    last section (section 4 is not in the excerpt); the code's name in « Titre 1 » with its
    numbering turned off; articles in « Titre 5 », unnumbered; alinéas unwrapped in « Corps
    de texte »."""
    levels = []
    for level, (word, style, start) in enumerate(CODE_LEVELS, start=1):
        levels.append(
            f'   <text:outline-level-style text:level="{level}" style:num-prefix="{word} "'
            f' style:num-format="{style}" text:start-value="{start}">'
            "<style:list-level-properties text:list-level-position-and-space-mode="
            '"label-alignment"><style:list-level-label-alignment text:label-followed-by='
            '"listtab"/></style:list-level-properties></text:outline-level-style>'
        )
    levels.append('   <text:outline-level-style text:level="5" style:num-format=""/>')
    heading_styles = "".join(
        f'<style:style style:name="Heading_20_{level}" style:display-name="Heading {level}"'
        ' style:family="paragraph" style:parent-style-name="Heading"'
        f' style:next-style-name="Text_20_body" style:default-outline-level="{level}"'
        ' style:list-style-name="" style:class="text"><style:text-properties'
        ' fo:font-weight="bold"/></style:style>\n'
        for level in (3, 4, 5)
    )
    head = _head("\n".join(levels)).replace(
        " </office:styles>", heading_styles + " </office:styles>"
    )
    out: list[str] = []
    paragraph: list[str] = []
    sections = 0

    def flush() -> None:
        if paragraph:
            out.append(f'<text:p text:style-name="Text_20_body">{_x(" ".join(paragraph))}</text:p>')
            paragraph.clear()

    for raw in CODE.read_text(encoding="utf-8").split("\n"):
        line = raw.strip()
        heading = re.match(r"^(#{1,6}) (.*)$", line)
        if heading and len(heading.group(1)) == 1:
            out.append(
                '<text:h text:style-name="Heading_20_1" text:outline-level="1"'
                f' text:is-list-header="true">{_x(heading.group(2))}</text:h>'
            )
        elif heading:
            flush()
            level = len(heading.group(1)) - 1
            title = heading.group(2).split(" : ", 1)[1]
            restart = ""
            if level == 4:
                sections += 1
                number = int(heading.group(2).split()[1])
                if number != sections:
                    restart = f' text:restart-numbering="true" text:start-value="{number}"'
                    sections = number
            out.append(
                f'<text:h text:style-name="Heading_20_{level}" text:outline-level="{level}"'
                f"{restart}>{_x(title)}</text:h>"
            )
        elif re.fullmatch(r"Article \d+", line):
            flush()
            out.append(
                f'<text:h text:style-name="Heading_20_5" text:outline-level="5">{_x(line)}</text:h>'
            )
        elif line in ("----", ""):
            flush()
        else:
            paragraph.append(line)
    flush()
    return head + "\n".join("   " + part for part in out) + "\n" + FODT_TAIL


# --- Saving with LibreOffice ---------------------------------------------------------------

PDF_A = '{"SelectPdfVersion":{"type":"long","value":"2"}}'
RESTRICTED = (
    '{"RestrictPermissions":{"type":"boolean","value":"true"},'
    '"PermissionPassword":{"type":"string","value":"consultation"},'
    '"Changes":{"type":"long","value":"0"},'
    '"EnableCopyingOfContent":{"type":"boolean","value":"false"}}'
)
HTML = "HTML (StarWriter)"
CONVERSIONS = [
    # (source, target name, --convert-to, --infilter)
    ("senat_pjl09-200.fodt", "senat_pjl09-200.docx", "docx:MS Word 2007 XML", None),
    ("senat_pjl09-200.fodt", "senat_pjl09-200.odt", "odt:writer8", None),
    ("senat_pjl09-200.fodt", "senat_pjl09-200.doc", "doc:MS Word 97", None),
    ("code_civil_servitudes.html", "code_civil_servitudes.docx", "docx:MS Word 2007 XML", HTML),
    ("code_civil_servitudes.html", "code_civil_servitudes.odt", "odt:writer8", HTML),
    ("code_civil_numerote.fodt", "code_civil_numerote.docx", "docx:MS Word 2007 XML", None),
    ("code_civil_numerote.fodt", "code_civil_numerote.odt", "odt:writer8", None),
    ("code_civil_servitudes.html", "code_civil_servitudes.pdf", "pdf:writer_pdf_Export", HTML),
    ("code_civil_servitudes.html", "code_civil_servitudes_pdfa.pdf",
     f"pdf:writer_pdf_Export:{PDF_A}", HTML),
    ("code_civil_servitudes.html", "code_civil_servitudes_sans_copie.pdf",
     f"pdf:writer_pdf_Export:{RESTRICTED}", HTML),
]  # fmt: skip

ENCRYPTED = [
    ("senat_pjl09-200.fodt", "senat_pjl09-200_mot_de_passe.docx", "MS Word 2007 XML"),
    ("senat_pjl09-200.fodt", "senat_pjl09-200_mot_de_passe.odt", "writer8"),
]

UNO_SCRIPT = """
import sys, time, subprocess, uno
from com.sun.star.beans import NamedValue, PropertyValue

def prop(name, value):
    p = PropertyValue(); p.Name = name; p.Value = value; return p

source, target, filter_name, password, profile = sys.argv[1:6]
office = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore",
    "-env:UserInstallation=file://" + profile,
    "--accept=pipe,name=consultationfixtures;urp;"])
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(60):
        try:
            context = resolver.resolve(
                "uno:pipe,name=consultationfixtures;urp;StarOffice.ComponentContext")
            break
        except Exception:
            time.sleep(0.5)
    desktop = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.frame.Desktop", context)
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),))
    if filter_name == "writer8":
        protection = prop("Password", password)
    else:  # OOXML reads its password from the encryption data (Word's agile encryption)
        protection = prop("EncryptionData", uno.Any("[]com.sun.star.beans.NamedValue",
            (NamedValue("CryptoType", "Standard"), NamedValue("OOXPassword", password))))
    document.storeToURL(uno.systemPathToFileUrl(target),
        (prop("FilterName", filter_name), protection))
    document.close(True)
    try:
        desktop.terminate()
    except Exception:
        pass
finally:
    office.wait(timeout=60)
"""


def convert(profile: Path) -> None:
    """Each conversion with `soffice --headless --convert-to` (the commands README.md gives),
    then the password-protected copies through the UNO bridge (storeToURL with Password)."""
    # LibreOffice reads a copy: a lock file it leaves behind stays out of the repository.
    copies = Path(tempfile.mkdtemp())
    for source in {conversion[0] for conversion in CONVERSIONS + ENCRYPTED}:
        shutil.copy(HERE / source, copies / source)
    for source, target, convert_to, infilter in CONVERSIONS:
        with tempfile.TemporaryDirectory() as out:
            command = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless"]
            if infilter:
                command.append(f"--infilter={infilter}")
            command += ["--convert-to", convert_to, "--outdir", out, str(copies / source)]
            subprocess.run(command, check=True, capture_output=True)
            made = next(Path(out).iterdir())
            shutil.move(made, HERE / target)
    for source, target, filter_name in ENCRYPTED:
        subprocess.run(
            [
                "/usr/bin/python3",
                "-c",
                UNO_SCRIPT,
                str(copies / source),
                str(HERE / target),
                filter_name,
                PASSWORD,
                str(profile),
            ],
            check=True,
            timeout=180,
        )
    shutil.rmtree(copies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources-only", action="store_true")
    args = parser.parse_args()
    (HERE / "senat_pjl09-200.fodt").write_text(bill_fodt(), encoding="utf-8")
    (HERE / "code_civil_servitudes.html").write_text(code_html(), encoding="utf-8")
    (HERE / "code_civil_numerote.fodt").write_text(code_fodt(), encoding="utf-8")
    if not args.sources_only:
        with tempfile.TemporaryDirectory() as profile:
            convert(Path(profile))


if __name__ == "__main__":
    main()
