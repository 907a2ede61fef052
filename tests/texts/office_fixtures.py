"""Documents built for the tests: the Sénat's bill (tests/texts/real) written as a .docx with
Word's heading styles and as an .odt with LibreOffice's headings, each with an automatically
numbered list (article 2's « 1° » to « 8° »), a footnote and a table; the same text pasted
holds what the importer reads from them. Also used by the browser test and bench/import.py."""

from __future__ import annotations

import io
import re
from pathlib import Path

from consultation.texts.importer import ParsedText, heading_kind

REAL = Path(__file__).parent / "real"
BILL = REAL / "pjl09-200_agriculture_senat.txt"

NOTE_TEXT = "Loi n° 2006-11 du 5 janvier 2006 d'orientation agricole."
NOTE_ANCHOR = "Article 23"
TABLE = [["Produit", "Taux"], ["Blé tendre", "5 %"], ["Orge", "3 %"]]
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def bill_pasted() -> str:
    """The bill as pasted, with what the documents add written as the importer reads it:
    the note called from the first alinéa of article 23, the table at the end of article 24."""
    lines = BILL.read_text(encoding="utf-8").split("\n")
    out: list[str] = []
    in_article_23 = False
    for line in lines:
        if line == NOTE_ANCHOR:
            in_article_23 = True
        elif in_article_23 and line.strip():
            line = f"{line}[1] [note 1] {NOTE_TEXT}"
            in_article_23 = False
        out.append(line)
    while not out[-1].strip():
        out.pop()
    out.extend(" | ".join(row) for row in TABLE)
    return "\n".join(out) + "\n"


def _blocks(source: str) -> list[tuple[str, str]]:
    """(role, text) of each line: heading1 (a division and its title), heading2 (an article),
    numbered (article 2's list, its number taken off), note (the alinéa calling the note,
    the note taken off), table (a row), body."""
    blocks: list[tuple[str, str]] = []
    title_next = False
    article = ""
    for line in source.split("\n"):
        if not line.strip():
            continue
        kind = heading_kind(line)
        if title_next:
            blocks.append(("heading1", line))
            title_next = False
        elif kind == "division_untitled":
            blocks.append(("heading1", line))
            title_next = True
        elif kind == "article_untitled":
            article = line
            blocks.append(("heading2", line))
        elif article == "Article 2" and re.match(r"\d° ", line):
            blocks.append(("numbered", line.split(" ", 1)[1]))
        elif "[note 1]" in line:
            blocks.append(("note", line.split("[1]")[0]))
        elif " | " in line:
            blocks.append(("table", line))
        else:
            blocks.append(("body", line))
    return blocks


def bill_docx() -> bytes:
    """The bill as a .docx: « Heading 1 » divisions and titles, « Heading 2 » articles, a
    list numbered « %1° » by Word, a real footnote, a table; the first line in « Title »."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml.parser import parse_xml

    document = docx.Document()
    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="90"><w:lvl w:ilvl="0">'
        '<w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1°"/>'
        '<w:suff w:val="space"/></w:lvl></w:abstractNum>'
    )
    first_num = numbering.find(f"{{{W_NS}}}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(
        parse_xml(f'<w:num xmlns:w="{W_NS}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    )
    footnotes = (
        f'<w:footnotes xmlns:w="{W_NS}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        "</w:footnote>"
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        "<w:continuationSeparator/></w:r></w:p></w:footnote>"
        f'<w:footnote w:id="1"><w:p><w:r><w:t xml:space="preserve">{NOTE_TEXT}</w:t></w:r>'
        "</w:p></w:footnote></w:footnotes>"
    )
    part = Part(
        PackURI("/word/footnotes.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        footnotes.encode("utf-8"),
        document.part.package,
    )
    document.part.relate_to(part, RT.FOOTNOTES)

    rows: list[list[str]] = []
    first = True
    for role, text in _blocks(bill_pasted()):
        if role != "table" and rows:
            _docx_table(document, rows)
            rows = []
        if role == "heading1":
            document.add_paragraph(text, style="Heading 1")
        elif role == "heading2":
            document.add_paragraph(text, style="Heading 2")
        elif role == "numbered":
            paragraph = document.add_paragraph(text)
            paragraph._p.get_or_add_pPr().append(
                parse_xml(
                    f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>'
                )
            )
        elif role == "note":
            paragraph = document.add_paragraph(text)
            paragraph._p.append(
                parse_xml(
                    f'<w:r xmlns:w="{W_NS}"><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                    '<w:footnoteReference w:id="1"/></w:r>'
                )
            )
        elif role == "table":
            rows.append(text.split(" | "))
        else:
            document.add_paragraph(text, style="Title" if first else None)
        first = False
    if rows:
        _docx_table(document, rows)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_table(document, rows: list[list[str]]) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value


def bill_odt() -> bytes:
    """The bill as an .odt: headings of level 1 (divisions and titles) and 2 (articles), a
    list numbered « 1° » by its list style, a footnote, a table."""
    from odfdo import Document, Element, Header, List, ListItem, Note, Paragraph, Table

    document = Document("text")
    body = document.body
    body.clear()
    style = Element.from_tag(
        '<text:list-style style:name="Degres"><text:list-level-style-number text:level="1" '
        'style:num-format="1" style:num-suffix="°"/></text:list-style>'
    )
    document.insert_style(style, automatic=True)
    # Unnumbered headings, as in LibreOffice's default outline (this template numbers them).
    for level in document.get_part("styles.xml").get_elements("//text:outline-level-style"):
        level.set_attribute("style:num-format", "")
        level.set_attribute("style:num-suffix", "")
    rows: list[list[str]] = []
    numbered: List | None = None
    for role, text in _blocks(bill_pasted()):
        if role != "table" and rows:
            _odt_table(body, Table, rows)
            rows = []
        if role != "numbered":
            numbered = None
        if role == "heading1":
            body.append(Header(1, text))
        elif role == "heading2":
            body.append(Header(2, text))
        elif role == "numbered":
            if numbered is None:
                numbered = List()
                numbered.set_attribute("text:style-name", "Degres")
                body.append(numbered)
            item = ListItem()
            item.append(Paragraph(text))
            numbered.append(item)
        elif role == "note":
            paragraph = Paragraph(text)
            paragraph.append(
                Note(note_class="footnote", note_id="ftn1", citation="1", body=NOTE_TEXT)
            )
            body.append(paragraph)
        elif role == "table":
            rows.append(text.split(" | "))
        else:
            body.append(Paragraph(text))
    if rows:
        _odt_table(body, Table, rows)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _odt_table(body, table_class, rows: list[list[str]]) -> None:
    table = table_class("Taux", width=len(rows[0]), height=len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.set_value((c, r), value)
    body.append(table)


def outline_docx() -> bytes:
    """A small .docx written without heading styles: outline levels set on plain paragraphs,
    article headings numbered by Word (« Article %1 », the first in bold), a heading with no
    keyword, a manual line break between a chapter and its title, a bulleted list."""
    import docx
    from docx.oxml.parser import parse_xml

    document = docx.Document()
    numbering = document.part.numbering_part.element
    first_num = numbering.find(f"{{{W_NS}}}num")
    for abstract in (
        f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="91"><w:lvl w:ilvl="0">'
        '<w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="Article %1"/>'
        '<w:suff w:val="nothing"/></w:lvl></w:abstractNum>',
        f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="92"><w:lvl w:ilvl="0">'
        '<w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1)"/>'
        "</w:lvl></w:abstractNum>",
    ):
        element = parse_xml(abstract)
        if first_num is not None:
            first_num.addprevious(element)
        else:
            numbering.append(element)
    for num in (91, 92):
        numbering.append(
            parse_xml(
                f'<w:num xmlns:w="{W_NS}" w:numId="{num}"><w:abstractNumId w:val="{num}"/></w:num>'
            )
        )

    def paragraph(text: str, *, outline: int | None = None, num: int | None = None, bold=False):
        p = document.add_paragraph()
        if text:
            run = p.add_run(text)
            run.bold = bold
        ppr = p._p.get_or_add_pPr()
        if num is not None:
            ppr.append(
                parse_xml(
                    f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="0"/><w:numId w:val="{num}"/>'
                    "</w:numPr>"
                )
            )
        if outline is not None:
            ppr.append(parse_xml(f'<w:outlineLvl xmlns:w="{W_NS}" w:val="{outline}"/>'))
        return p

    paragraph("Décret relatif aux jardins partagés")
    paragraph("Dispositions générales", outline=0)
    heading = paragraph("Chapitre Ier", outline=1)
    heading.add_run().add_break()
    heading.add_run("Objet")
    paragraph("", outline=2, num=91, bold=True)
    paragraph("Le présent décret s'applique :")
    paragraph("aux jardins des communes ;", num=92)
    paragraph("aux jardins des départements.", num=92)
    paragraph("", outline=2, num=91)
    paragraph("Il entre en vigueur le lendemain de sa publication.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def tree(parsed: ParsedText) -> dict:
    """What people see of an imported text, line numbers aside."""
    return {
        "title": parsed.title,
        "preamble": parsed.preamble,
        "divisions": [
            (d.kind, d.label, d.title, d.depth, d.parent, d.intro) for d in parsed.divisions
        ],
        "articles": [
            (a.number, a.label, a.title, a.division, a.paragraphs) for a in parsed.articles
        ],
        "closing": parsed.closing,
    }


def pdf_bytes() -> bytes:
    """A small real PDF (one page with a line of text), written with pypdf."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


__all__ = [
    "bill_docx",
    "bill_odt",
    "bill_pasted",
    "outline_docx",
    "pdf_bytes",
    "tree",
]
