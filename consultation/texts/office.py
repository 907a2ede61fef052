"""Drafts written in Word (.docx, read with python-docx) or LibreOffice (.odt, read with odfdo),
turned into the plain text the pasted-text importer reads, so that `parse_text` builds the tree
(one parser, not two): a document and the same text pasted give the same divisions, articles
and alinéas.

What is read, in the order of the document:

- Each paragraph of the body is one line; a manual line break inside a paragraph starts a new
  line (« TITRE Ier », line break, its title: two lines, as when pasted). An empty paragraph
  is an empty line. Line numbers of warnings therefore count the document's paragraphs (a
  table row, a manual line break, a heading's own number — below — each count for one).
- Headings: a paragraph with an outline level (Word's « Titre 1 »… styles or a paragraph's own
  outline level, LibreOffice's headings) whose text is already a heading the importer knows
  (« TITRE Ier », « Chapitre 2 », « Article 1er »…) is written as it is. One that is not is the
  title of the division or article heading just before it if that heading has none on its
  line (an article's title joins its line: « Article 1er – Objet »); otherwise it becomes a
  Markdown heading of its level (« ## Dispositions générales »), which the importer reads as
  a division. Bold article headings need nothing more: « Article 3 » in bold is a heading by
  its words, as when pasted.
- Automatic numbering (Word's numbering definitions, LibreOffice's list styles and outline
  numbering) is written out as the document shows it: « Article %1 » gives « Article 1 »,
  « %1° » gives « 1° », « %1) » in lower letters gives « a) »; bullets become « - ». A number
  that is a heading by itself before a text that is not part of it (« TITRE I », a tab,
  « Dispositions générales », as Writer's chapter numbering and Word's lists linked to
  heading styles show them) is written on its own line and the text after it, so the text
  is that heading's title, as when pasted; « Article 2 » and « – Objet » stay one line. An
  outline number restarted on a heading (its start value) is followed, and a heading whose
  numbering is turned off has none and is not counted.
- Tables are read row by row: each row is one line, its cells' text joined with « | », so
  each row becomes one alinéa of the article it stands in; merged cells are read once.
- Footnotes and endnotes are kept: the call is marked « [1] » where it stands, and the note's
  text is added at the end of the paragraph as « [note 1] Texte de la note. ». A note called
  from a heading is written on the line after it, so the heading stays one.
- Left out: tables of contents (their entries would repeat the headings), deleted text of
  tracked changes (inserted text is kept), hidden text, comments, headers and footers,
  pictures and the text of drawings.

`text_from_upload` is the service the import form, the API and the adopted text call: it reads
the upload (core.uploads), refuses a PDF, a file with macros, an encrypted, corrupt or
oversized one or a zip bomb with a French message on the field, and returns the text.
"""

from __future__ import annotations

import logging
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from flask import current_app
from flask_babel import gettext as _

from consultation.core.uploads import (
    ARCHIVE_EXPANDED_MAX,
    DRAFT_UPLOAD_MAX_BYTES,
    Kind,
    Upload,
    UploadRefused,
    check_archive,
    read_upload,
    require_kind,
)
from consultation.texts.importer import heading_kind

__all__ = ["OfficeText", "read_docx", "read_odt", "text_from_file", "text_from_upload"]

logger = logging.getLogger(__name__)

TABLE_CELL_SEPARATOR = " | "
OFFICE_FORMATS = ".docx ou .odt"


@dataclass
class OfficeText:
    """The text read from a document, and the cleaned name and SHA-256 of the file."""

    source: str
    filename: str
    sha256: str


def text_from_upload(stream: Any, filename: str | None, *, field: str) -> OfficeText:
    """Read a draft sent as a file (.docx or .odt) into the text `parse_text` reads.

    Limits from the settings DRAFT_UPLOAD_MAX_BYTES and ARCHIVE_EXPANDED_MAX. Raises
    `UploadRefused` (a ValidationFailed, its message on `field`): `empty_file`,
    `file_too_large`, `pdf_refused`, `unsupported_file_type`, `macro_enabled_file`,
    `encrypted_file`, `corrupt_archive`, `archive_too_large`. Nothing is stored: the
    temporary copy is closed before returning."""
    config = current_app.config
    max_bytes = int(config.get("DRAFT_UPLOAD_MAX_BYTES", DRAFT_UPLOAD_MAX_BYTES))
    max_expanded = int(config.get("ARCHIVE_EXPANDED_MAX", ARCHIVE_EXPANDED_MAX))
    with read_upload(stream, filename, max_bytes=max_bytes, field=field) as upload:
        source = _read_checked(upload, field=field, max_expanded=max_expanded)
        return OfficeText(source=source, filename=upload.name, sha256=upload.sha256)


PLAIN_TEXT_EXTENSIONS = (".md", ".markdown", ".txt")


def text_from_file(stream: Any, filename: str | None, *, field: str) -> OfficeText:
    """The text of a draft sent as a file, whatever its accepted format: a .docx or an .odt
    (`text_from_upload`'s checks), or plain text or Markdown (.md, .txt, UTF-8) recognised by
    its name when its content is no known binary format. Raises `UploadRefused` as
    `text_from_upload` does."""
    config = current_app.config
    max_bytes = int(config.get("DRAFT_UPLOAD_MAX_BYTES", DRAFT_UPLOAD_MAX_BYTES))
    max_expanded = int(config.get("ARCHIVE_EXPANDED_MAX", ARCHIVE_EXPANDED_MAX))
    with read_upload(stream, filename, max_bytes=max_bytes, field=field) as upload:
        if upload.kind is Kind.UNKNOWN and upload.name.lower().endswith(PLAIN_TEXT_EXTENSIONS):
            raw = upload.file.read()
            try:
                source = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                source = raw.decode("utf-8", errors="replace")
        else:
            source = _read_checked(upload, field=field, max_expanded=max_expanded)
        return OfficeText(source=source, filename=upload.name, sha256=upload.sha256)


def _read_checked(upload: Upload, *, field: str, max_expanded: int) -> str:
    if upload.kind is Kind.PDF:
        raise UploadRefused(
            "pdf_refused",
            field,
            _(
                "Envoyez le texte au format .docx ou .odt (Word ou LibreOffice) : un PDF ne "
                "garde pas la structure du texte."
            ),
        )
    if upload.kind in (Kind.ZIP, Kind.DOCX, Kind.DOCM, Kind.ODT):
        # An archive that cannot be read is a damaged document more often than another type.
        check_archive(upload.file, max_expanded=max_expanded, field=field)
    require_kind(
        upload,
        {Kind.DOCX, Kind.ODT},
        field=field,
        formats=_("%(formats)s (Word ou LibreOffice), .md ou .txt", formats=OFFICE_FORMATS),
    )
    try:
        if upload.kind is Kind.DOCX:
            return read_docx(upload.file)
        return read_odt(upload.file)
    except (
        zipfile.BadZipFile,
        zlib.error,
        KeyError,
        ValueError,
        SyntaxError,  # lxml's XMLSyntaxError: a part that is not XML (or an encrypted one)
        AttributeError,
        TypeError,
        IndexError,
        OSError,
    ) as error:
        logger.info("Unreadable %s refused: %r", upload.kind, error)
        raise UploadRefused(
            "corrupt_archive",
            field,
            _(
                "Ce fichier est endommagé et ne peut pas être lu : enregistrez-le à nouveau "
                "depuis Word ou LibreOffice."
            ),
        ) from None


# --- Lines, headings and notes, whatever the format ----------------------------------------


@dataclass
class _Lines:
    """The lines written so far, and the notes met in the current paragraph."""

    lines: list[str] = field(default_factory=list)
    note_count: int = 0
    last_heading: str | None = None  # heading_kind of the last non-empty line
    last_heading_index: int = -1

    def paragraph(self, text: str, level: int | None, notes: list[str], number: str = "") -> None:
        """One paragraph: `text` may hold line breaks; `level` its outline level (0 = top) or
        None for body text; `notes` the texts of the notes it calls, in order; `number` what
        its automatic numbering shows before it (« 1° », « TITRE I »), as displayed with what
        follows it (a space, or nothing)."""
        first = _clean(text.split("\n")[0])
        if _is_numbered_heading(_clean(number), first):
            # « TITRE I », a tab, then « Dispositions générales »: the number is the heading
            # and the paragraph's text its title, on the next line as when pasted.
            self._line(_clean(number), level, [])
        else:
            text = number + text
        parts = [_clean(part) for part in text.split("\n")] or [""]
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            self._line(part, level, notes if last else [])

    def _line(self, text: str, level: int | None, notes: list[str]) -> None:
        kind = heading_kind(_without_calls(text)) if text else None
        if kind is not None and notes:
            # A note called from a heading goes on the next line: the heading stays one.
            self._add(_without_calls(text), kind)
            self.lines.append(" ".join(notes))
            self.last_heading = None
            return
        if level is not None and text and kind is None:
            if self.last_heading == "division_untitled":
                self._add(text, None)
                return
            if self.last_heading == "article_untitled":
                # "Article 1er" then its title as a heading: one heading line, as pasted.
                index = self.last_heading_index
                self.lines[index] = f"{self.lines[index]} – {text}"
                self.lines.append("")
                self.last_heading = "article"
                return
            text = "#" * min(level + 1, 6) + " " + text
            kind = "division"
        if notes:
            text = " ".join([text, *notes]) if text else " ".join(notes)
        self._add(text, kind)

    def _add(self, text: str, kind: str | None) -> None:
        self.lines.append(text)
        if text:
            self.last_heading = kind
            self.last_heading_index = len(self.lines) - 1

    def note(self, text: str) -> tuple[str, str]:
        """The mark of the next note where it is called, and its text for the paragraph's end."""
        self.note_count += 1
        number = self.note_count
        return f"[{number}]", f"[note {number}] {_clean(text)}".rstrip()

    def source(self) -> str:
        while self.lines and not self.lines[-1]:
            self.lines.pop()
        return "\n".join(self.lines) + "\n"


_CALL = re.compile(r"\[\d+\]")
_UNTITLED_HEADINGS = ("division_untitled", "article_untitled")


def _is_numbered_heading(number: str, first_line: str) -> bool:
    """Whether automatic numbering makes a heading of its own (« TITRE I », « Article 2 »,
    « Section 1 ») before a text that is its title: the two read together would not be a
    heading the importer knows (« TITRE I Dispositions générales »), whereas a number and a
    text that already read as one heading (« Article 2 – Objet ») stay together."""
    if not number or not first_line or heading_kind(number) not in _UNTITLED_HEADINGS:
        return False
    return heading_kind(f"{number} {first_line}") not in ("division", "article")


def _without_calls(text: str) -> str:
    return _CALL.sub("", text).strip() if "[" in text else text


def _clean(text: str) -> str:
    text = text.replace("\t", " ").replace("\u00ad", "")
    return re.sub(r"[ \u200b]{2,}", " ", text).strip()


# --- Automatic numbering -------------------------------------------------------------------

_ROMAN = [
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
]


def _roman(number: int) -> str:
    result = ""
    for value, letters in _ROMAN:
        while number >= value:
            result += letters
            number -= value
    return result


def _letters(number: int) -> str:
    # Word and LibreOffice write a, b… z, aa, bb…; the same letter repeated.
    if number < 1:
        return ""
    return chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)


def format_number(number: int, style: str) -> str:
    """`number` in a numbering style of Word (decimal, lowerLetter, upperRoman, ordinal…) or
    of LibreOffice (1, a, A, i, I)."""
    if style in ("decimal", "1", "decimalEnclosedCircle", "cardinalText"):
        return str(number)
    if style == "decimalZero":
        return f"{number:02d}"
    if style in ("lowerLetter", "a"):
        return _letters(number)
    if style in ("upperLetter", "A"):
        return _letters(number).upper()
    if style in ("lowerRoman", "i"):
        return _roman(number)
    if style in ("upperRoman", "I"):
        return _roman(number).upper()
    if style in ("ordinal", "ordinalText"):
        return "1er" if number == 1 else f"{number}e"
    if style in ("none", ""):
        return ""
    return str(number)


@dataclass
class _Level:
    start: int = 1
    style: str = "decimal"
    text: str = "%1."
    bullet: bool = False
    legal: bool = False
    space: bool = True  # a space between the number and the text
    display_levels: int = 1  # LibreOffice: how many levels' numbers are shown (« 1.2. »)


class _Counters:
    """The current numbers of one list, level by level."""

    def __init__(self) -> None:
        self.values: dict[int, int] = {}

    def next(self, level: int, start: int) -> None:
        if level in self.values:
            self.values[level] += 1
        else:
            self.values[level] = start
        for deeper in [key for key in self.values if key > level]:
            del self.values[deeper]


# --- Word ----------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIPPED_W = {
    f"{W}{name}"
    for name in (
        "del",
        "moveFrom",
        "rPr",
        "pPr",
        "instrText",
        "delText",
        "commentReference",
        "drawing",
        "pict",
        "object",
        "fldData",
    )
}
_WORD_NOTES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes",
)


def _w(element: Any, name: str) -> str | None:
    value = element.get(f"{W}{name}")
    return str(value) if value is not None else None


class _WordReader:
    def __init__(self, document: Any) -> None:
        self.out = _Lines()
        self.document = document
        self.styles = self._read_styles()
        self.abstract, self.nums = self._read_numbering()
        self.counters: dict[str, _Counters] = {}
        self.restarted: set[str] = set()
        self.notes = self._read_notes()

    def _read_styles(self) -> dict[str, dict[str, Any]]:
        """Style id → its name, outline level and numbering, through `basedOn`."""
        raw: dict[str, dict[str, Any]] = {}
        for style in self.document.styles.element.findall(f"{W}style"):
            style_id = _w(style, "styleId") or ""
            name_element = style.find(f"{W}name")
            based = style.find(f"{W}basedOn")
            ppr = style.find(f"{W}pPr")
            outline = ppr.find(f"{W}outlineLvl") if ppr is not None else None
            num = ppr.find(f"{W}numPr") if ppr is not None else None
            raw[style_id] = {
                "name": (_w(name_element, "val") or "") if name_element is not None else "",
                "based": _w(based, "val") if based is not None else None,
                "outline": int(_w(outline, "val") or 9) if outline is not None else None,
                "num": self._num_pr(num),
            }
        resolved: dict[str, dict[str, Any]] = {}
        for style_id, style in raw.items():
            merged = dict(style)
            seen = {style_id}
            parent = style["based"]
            while parent and parent in raw and parent not in seen:
                seen.add(parent)
                for key in ("outline", "num"):
                    if merged[key] is None:
                        merged[key] = raw[parent][key]
                parent = raw[parent]["based"]
            if merged["outline"] is None:
                heading = re.fullmatch(r"(?:heading|titre)\s*([1-9])", merged["name"].lower())
                merged["outline"] = int(heading.group(1)) - 1 if heading else None
            resolved[style_id] = merged
        return resolved

    @staticmethod
    def _num_pr(num: Any) -> tuple[str, int] | None:
        if num is None:
            return None
        num_id = num.find(f"{W}numId")
        ilvl = num.find(f"{W}ilvl")
        if num_id is None:
            return None
        return (_w(num_id, "val") or "0", int(_w(ilvl, "val") or 0) if ilvl is not None else 0)

    def _read_numbering(self) -> tuple[dict[str, dict[int, _Level]], dict[str, Any]]:
        try:
            numbering = self.document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return {}, {}
        abstract: dict[str, dict[int, _Level]] = {}
        for definition in numbering.findall(f"{W}abstractNum"):
            levels = {}
            for lvl in definition.findall(f"{W}lvl"):
                levels[int(_w(lvl, "ilvl") or 0)] = self._level(lvl)
            abstract[_w(definition, "abstractNumId") or ""] = levels
        nums: dict[str, Any] = {}
        for num in numbering.findall(f"{W}num"):
            abstract_id = num.find(f"{W}abstractNumId")
            overrides = {}
            for override in num.findall(f"{W}lvlOverride"):
                start = override.find(f"{W}startOverride")
                if start is not None:
                    overrides[int(_w(override, "ilvl") or 0)] = int(_w(start, "val") or 1)
            nums[_w(num, "numId") or ""] = (
                _w(abstract_id, "val") if abstract_id is not None else None,
                overrides,
            )
        return abstract, nums

    @staticmethod
    def _level(lvl: Any) -> _Level:
        def value(name: str, default: str) -> str:
            element = lvl.find(f"{W}{name}")
            return (_w(element, "val") or default) if element is not None else default

        style = value("numFmt", "decimal")
        return _Level(
            start=int(value("start", "1")),
            style=style,
            text=value("lvlText", ""),
            bullet=style == "bullet",
            legal=lvl.find(f"{W}isLgl") is not None,
            space=value("suff", "tab") != "nothing",
        )

    def _read_notes(self) -> dict[tuple[str, str], str]:
        notes: dict[tuple[str, str], str] = {}
        for rel in self.document.part.rels.values():
            if rel.is_external or rel.reltype not in _WORD_NOTES:
                continue
            kind = "footnote" if rel.reltype == _WORD_NOTES[0] else "endnote"
            from docx.oxml.parser import parse_xml

            root = parse_xml(rel.target_part.blob)
            for note in root.findall(f"{W}{kind}"):
                if _w(note, "type") in ("separator", "continuationSeparator", "continuationNotice"):
                    continue
                paragraphs = [self._text(p)[0] for p in note.iter(f"{W}p")]
                notes[(kind, _w(note, "id") or "")] = " ".join(
                    _clean(text.replace("\n", " ")) for text in paragraphs if text.strip()
                )
        return notes

    def read(self) -> str:
        self._blocks(self.document.element.body)
        return self.out.source()

    def _blocks(self, container: Any) -> None:
        for child in container:
            tag = child.tag
            if tag == f"{W}p":
                self._paragraph(child)
            elif tag == f"{W}tbl":
                self._table(child)
            elif tag == f"{W}sdt":
                gallery = child.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")
                if gallery is not None and "Contents" in (_w(gallery, "val") or ""):
                    continue  # a table of contents
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    self._blocks(content)
            elif tag in (f"{W}customXml", f"{W}ins", f"{W}smartTag"):
                self._blocks(child)

    def _paragraph(self, paragraph: Any) -> None:
        ppr = paragraph.find(f"{W}pPr")
        style_id = None
        own_outline = None
        own_num = None
        if ppr is not None:
            style_element = ppr.find(f"{W}pStyle")
            style_id = _w(style_element, "val") if style_element is not None else None
            outline = ppr.find(f"{W}outlineLvl")
            own_outline = int(_w(outline, "val") or 9) if outline is not None else None
            own_num = self._num_pr(ppr.find(f"{W}numPr"))
        style = self.styles.get(style_id or "Normal") or self.styles.get("Normal") or {}
        name = str(style.get("name", "")).lower()
        if name.startswith(("toc ", "toc", "table of figures")) and name != "toc heading":
            return
        outline = own_outline if own_outline is not None else style.get("outline")
        level = outline if outline is not None and outline < 9 else None
        text, notes = self._text(paragraph)
        prefix = self._number(own_num or style.get("num"))
        self.out.paragraph(text, level, notes, prefix)

    def _number(self, num: tuple[str, int] | None) -> str:
        if num is None or num[0] == "0" or num[0] not in self.nums:
            return ""
        num_id, ilvl = num
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abstract_id or "", {})
        level = levels.get(ilvl)
        if level is None:
            return ""
        # Lists of one definition continue each other's numbers, unless one restarts them.
        key = abstract_id or num_id
        counters = self.counters.get(key)
        if counters is None or (overrides and num_id not in self.restarted):
            counters = self.counters[key] = _Counters()
            self.restarted.add(num_id)
        start = overrides.get(ilvl, level.start)
        counters.next(ilvl, start)
        if level.bullet:
            return "- "
        rendered = level.text
        for index in range(ilvl + 1):
            placeholder = f"%{index + 1}"
            if placeholder in rendered:
                at = levels.get(index, _Level())
                style = "decimal" if level.legal else at.style
                value = counters.values.get(index, at.start)
                rendered = rendered.replace(placeholder, format_number(value, style))
        if not rendered:
            return ""
        return rendered + (" " if level.space else "")

    def _text(self, paragraph: Any) -> tuple[str, list[str]]:
        parts: list[str] = []
        notes: list[str] = []
        self._walk(paragraph, parts, notes)
        return "".join(parts), notes

    def _walk(self, element: Any, parts: list[str], notes: list[str]) -> None:
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIPPED_W or tag == MC_FALLBACK:
                continue
            if tag == f"{W}r":
                rpr = child.find(f"{W}rPr")
                if rpr is not None and rpr.find(f"{W}vanish") is not None:
                    continue
                self._walk(child, parts, notes)
            elif tag == f"{W}t":
                parts.append(child.text or "")
            elif tag in (f"{W}tab", f"{W}ptab"):
                parts.append(" ")
            elif tag in (f"{W}br", f"{W}cr"):
                if _w(child, "type") != "page":
                    parts.append("\n")
            elif tag == f"{W}noBreakHyphen":
                parts.append("-")
            elif tag in (f"{W}footnoteReference", f"{W}endnoteReference"):
                kind = "footnote" if tag.endswith("footnoteReference") else "endnote"
                text = self.notes.get((kind, _w(child, "id") or ""))
                if text is not None:
                    mark, note = self.out.note(text)
                    parts.append(mark)
                    notes.append(note)
            elif tag == f"{W}p":
                # A paragraph inside a run (a text box kept): its text, on its own.
                parts.append(" ")
                self._walk(child, parts, notes)
            else:
                self._walk(child, parts, notes)

    def _table(self, table: Any) -> None:
        for row in table.iter(f"{W}tr"):
            if row.getparent() is not table:
                continue  # a nested table's rows are read with their cell
            cells = []
            row_notes: list[str] = []
            for cell in row.findall(f"{W}tc"):
                merge = cell.find(f"{W}tcPr/{W}vMerge")
                if merge is not None and _w(merge, "val") != "restart":
                    continue  # the continuation of a cell merged downwards
                texts = []
                for paragraph in cell.iter(f"{W}p"):
                    text, notes = self._text(paragraph)
                    prefix = self._number(self._paragraph_num(paragraph))
                    texts.append(_clean((prefix + text).replace("\n", " ")))
                    row_notes.extend(notes)
                text = " ".join(part for part in texts if part)
                if text:
                    cells.append(text)
            if cells:
                self.out.paragraph(TABLE_CELL_SEPARATOR.join(cells), None, row_notes)

    def _paragraph_num(self, paragraph: Any) -> tuple[str, int] | None:
        ppr = paragraph.find(f"{W}pPr")
        return self._num_pr(ppr.find(f"{W}numPr")) if ppr is not None else None


def read_docx(file: IO[bytes]) -> str:
    """The text of a .docx, as `parse_text` reads it (see the module's docstring)."""
    import docx

    file.seek(0)
    return _WordReader(docx.Document(file)).read()


# --- LibreOffice ---------------------------------------------------------------------------

_ODT_SKIPPED = {
    "text:tracked-changes",
    "text:table-of-content",
    "text:illustration-index",
    "text:table-index",
    "text:object-index",
    "text:user-index",
    "text:alphabetical-index",
    "text:bibliography",
    "text:sequence-decls",
    "text:variable-decls",
    "text:user-field-decls",
    "text:dde-connection-decls",
    "office:forms",
    "text:soft-page-break",
    "office:annotation",
    "office:annotation-end",
    "draw:frame",
    "draw:custom-shape",
    "draw:a",
    "text:bookmark",
    "text:bookmark-start",
    "text:bookmark-end",
    "text:change",
    "text:change-start",
    "text:change-end",
    "text:reference-mark",
    "text:reference-mark-start",
    "text:reference-mark-end",
    "text:number",
}


class _OdtReader:
    def __init__(self, document: Any) -> None:
        self.out = _Lines()
        self.document = document
        self.list_styles: dict[str, dict[int, _Level]] = {}
        self.counters: dict[str, _Counters] = {}
        self.outline_levels = self._outline_style()
        self.outline = _Counters()

    def _outline_style(self) -> dict[int, _Level]:
        styles = self.document.get_part("styles.xml")
        found = styles.get_elements("//text:outline-style") if styles is not None else []
        return self._levels(found[0]) if found else {}

    def _levels(self, style: Any) -> dict[int, _Level]:
        levels: dict[int, _Level] = {}
        for child in style.children:
            tag = child.tag
            level = int(child.get_attribute("text:level") or 1) - 1
            if tag == "text:list-level-style-bullet":
                levels[level] = _Level(bullet=True, style="bullet")
            elif tag in ("text:list-level-style-number", "text:outline-level-style"):
                levels[level] = _Level(
                    start=int(child.get_attribute("text:start-value") or 1),
                    style=str(child.get_attribute("style:num-format") or ""),
                    text=(
                        str(child.get_attribute("style:num-prefix") or "")
                        + "%"
                        + str(level + 1)
                        + str(child.get_attribute("style:num-suffix") or "")
                    ),
                    display_levels=int(child.get_attribute("text:display-levels") or 1),
                )
        return levels

    def _list_style(self, name: str) -> dict[int, _Level]:
        if name not in self.list_styles:
            style = self.document.get_style("list", name)
            self.list_styles[name] = self._levels(style) if style is not None else {}
        return self.list_styles[name]

    def read(self) -> str:
        self._blocks(self.document.body)
        return self.out.source()

    def _blocks(self, container: Any) -> None:
        for child in container.children:
            tag = child.tag
            if tag == "text:p":
                self._paragraph(child, None, "")
            elif tag == "text:h":
                self._heading(child)
            elif tag == "text:list":
                self._list(child, 0, None)
            elif tag == "table:table":
                self._table(child)
            elif tag in ("text:section", "office:text", "text:index-body"):
                self._blocks(child)

    def _heading(self, heading: Any) -> None:
        level = int(heading.get_attribute("text:outline-level") or 1) - 1
        prefix = ""
        numbers = [c for c in heading.children if c.tag == "text:number"]
        spec = self.outline_levels.get(level)
        if numbers:
            prefix = (numbers[0].text or "").strip()
            prefix = prefix + " " if prefix else ""
        elif heading.get_attribute("text:is-list-header") in (True, "true"):
            pass  # its numbering turned off: no number, and the next heading's is not counted
        elif spec is not None and spec.style:
            start = spec.start
            if heading.get_attribute("text:restart-numbering") in (True, "true"):
                # Numbering restarted here (« Recommencer la numérotation », or a start value).
                self.outline.values.pop(level, None)
                start = int(heading.get_attribute("text:start-value") or spec.start)
            self.outline.next(level, start)
            prefix = self._render(spec, self.outline_levels, self.outline, level)
        self._paragraph(heading, level, prefix)

    def _paragraph(self, paragraph: Any, level: int | None, prefix: str) -> None:
        parts: list[str] = []
        notes: list[str] = []
        self._walk(paragraph, parts, notes)
        self.out.paragraph("".join(parts), level, notes, prefix)

    def _render(
        self, spec: _Level, levels: dict[int, _Level], counters: _Counters, level: int
    ) -> str:
        if spec.bullet:
            return "- "
        numbers = []
        for shown in range(max(0, level - spec.display_levels + 1), level + 1):
            at = levels.get(shown, spec)
            numbers.append(format_number(counters.values.get(shown, at.start), at.style))
        rendered = spec.text.replace(f"%{level + 1}", ".".join(numbers))
        return rendered + " " if rendered.strip() else ""

    def _list(self, element: Any, depth: int, style_name: str | None) -> None:
        style_name = str(element.get_attribute("text:style-name") or style_name or "")
        key = style_name or "-"
        continues = element.get_attribute("text:continue-numbering") in (True, "true") or bool(
            element.get_attribute("text:continue-list")
        )
        if depth == 0 and (key not in self.counters or not continues):
            self.counters[key] = _Counters()
        counters = self.counters[key]
        levels = self._list_style(style_name) if style_name else {}
        for item in element.children:
            if item.tag not in ("text:list-item", "text:list-header"):
                continue
            numbered = item.tag == "text:list-item"
            first = True
            for child in item.children:
                if child.tag == "text:list":
                    self._list(child, depth + 1, style_name)
                    continue
                prefix = ""
                if numbered and first and child.tag in ("text:p", "text:h"):
                    spec = levels.get(depth, _Level(style="", text=""))
                    start = item.get_attribute("text:start-value")
                    if start:
                        counters.values.pop(depth, None)
                    counters.next(depth, int(start or spec.start))
                    if spec.bullet or spec.style:
                        prefix = self._render(spec, levels, counters, depth)
                first = False
                if child.tag == "text:h":
                    level = int(child.get_attribute("text:outline-level") or 1) - 1
                    self._paragraph(child, level, prefix)
                elif child.tag == "text:p":
                    self._paragraph(child, None, prefix)
                elif child.tag == "table:table":
                    self._table(child)

    def _walk(self, element: Any, parts: list[str], notes: list[str]) -> None:
        if element.text and element.tag not in ("text:s", "text:tab", "text:line-break"):
            parts.append(element.text)
        for child in element.children:
            tag = child.tag
            if tag == "text:s":
                parts.append(" " * int(child.get_attribute("text:c") or 1))
            elif tag == "text:tab":
                parts.append(" ")
            elif tag == "text:line-break":
                parts.append("\n")
            elif tag == "text:note":
                body = [c for c in child.children if c.tag == "text:note-body"]
                texts: list[str] = []
                inner_notes: list[str] = []
                for part in body[0].children if body else []:
                    self._walk(part, texts, inner_notes)
                    texts.append(" ")
                mark, note = self.out.note("".join(texts).replace("\n", " "))
                parts.append(mark)
                notes.append(note)
            elif tag not in _ODT_SKIPPED:
                self._walk(child, parts, notes)
            if child.tail:
                parts.append(child.tail)

    def _table(self, table: Any) -> None:
        for row in self._rows(table):
            cells = []
            row_notes: list[str] = []
            for cell in row.children:
                if cell.tag != "table:table-cell":
                    continue  # covered cells (merged) are read once
                texts: list[str] = []
                for part in cell.children:
                    if part.tag in ("text:p", "text:h"):
                        self._walk(part, texts, row_notes)
                        texts.append(" ")
                    elif part.tag == "text:list":
                        for paragraph in part.get_elements(".//text:p"):
                            self._walk(paragraph, texts, row_notes)
                            texts.append(" ")
                text = _clean("".join(texts).replace("\n", " "))
                if text:
                    cells.append(text)
            if cells:
                self.out.paragraph(TABLE_CELL_SEPARATOR.join(cells), None, row_notes)

    def _rows(self, table: Any) -> Iterator[Any]:
        for child in table.children:
            if child.tag == "table:table-row":
                yield child
            elif child.tag in (
                "table:table-header-rows",
                "table:table-rows",
                "table:table-row-group",
            ):
                yield from self._rows(child)


def read_odt(file: IO[bytes]) -> str:
    """The text of an .odt, as `parse_text` reads it (see the module's docstring)."""
    import io

    from odfdo import Document

    file.seek(0)
    return _OdtReader(Document(io.BytesIO(file.read()))).read()
