"""The importer of French legal texts pasted as plain text or Markdown.

Grammar accepted, line by line (blank lines separate nothing):

- **Divisions**: a line opening with LIVRE, PARTIE, TITRE, CHAPITRE, SECTION, SOUS-SECTION or
  PARAGRAPHE (any case, optionally after Markdown `#`s or inside `**bold**`), then a number
  (`Ier`, `II`, `1`, `1er`, `premier`, `préliminaire`, optionally `bis`, `ter`…), then
  optionally a separator and a title. Without a title on the line, the next non-empty line is
  the title when it is not itself a division, an article or a quotation. Ranks go
  livre < partie < titre < chapitre < section < sous-section < paragraphe: a division closes
  the open divisions of the same or a deeper rank.
- **Markdown headings** that are neither divisions nor articles are divisions of kind
  "heading", ranked by their number of `#`; a first H1 before any content is the title of
  the document.
- **Articles**: a line that is entirely an article heading: `Article 1er`, `Article premier`,
  `Art. 2`, `ARTICLE 3`, `Article 5 bis`, `Article unique`, `Article additionnel`,
  `Article L. 123-4`, `Article R.* 12-1`, `Article 4-1`, optionally followed by a separator
  and a title — or by the first alinéa, when that reads as a sentence, as decrees write
  "Art. 1er. – Le présent décret…". "Article 2 du code civil est modifié :" is a paragraph,
  not a heading.
- **Paragraphs** (alinéas): every other non-empty line inside an article, numbered from 1.
- **Quotations**: a line opening with `«`, or any line while a `«` is still open, belongs to
  the enclosing article and never starts an article or a division — that is how a bill
  inserts codified articles (`« Art. L. 300-5. – …`). As French usage repeats `«` at the
  start of each quoted paragraph and closes with `»` only at the end, a `«` opening a line
  inside an open quotation does not nest.
- **Preamble**: lines before the first division or article (visas, "Décrète :").
- **Closing**: from a line opening with "Fait le" or "Fait à" (outside quotations) to the end.

Refused with a French message naming the line: control characters or binary data, a text
without any article, an article without paragraphs, the same article number twice.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

MAX_CHARS = 2_000_000
TITLE_MAX_LENGTH = 120

DIVISION_RANKS = {
    "livre": 1,
    "partie": 2,
    "titre": 3,
    "chapitre": 4,
    "section": 5,
    "sous_section": 6,
    "paragraphe": 7,
}
HEADING_BASE_RANK = 0  # a Markdown heading "#"×n ranks as n (so "# Title" wraps everything)

_SEPARATOR = r"\s*(?:[.:–—)-]\s*)+"
_ORDINAL = (
    r"(?:premier|première|premiere|préliminaire|preliminaire|unique|[IVXLC]+(?:er|re)?|"
    r"\d+(?:er|re|e)?)"
)
_LATIN = r"(?:bis|ter|quater|quinquies|sexies|septies|octies|nonies|novies|decies)"
_MARKDOWN_PREFIX = re.compile(r"^(#{1,6})\s+")
_BOLD = re.compile(r"^\*\*(.+?)\*\*:?\s*(.*)$")
_DIVISION = re.compile(
    rf"^(?P<kind>livre|partie|titre|chapitre|section|sous[- ]section|paragraphe)\s+"
    rf"(?P<number>{_ORDINAL}(?:\s+{_LATIN})?)(?:{_SEPARATOR}(?P<title>.*))?$",
    re.IGNORECASE,
)
_ORDINAL_PARTIE = re.compile(
    r"^(?P<number>première|premiere|deuxième|troisième|quatrième|cinquième|\w+ième)\s+partie"
    rf"(?:{_SEPARATOR}(?P<title>.*))?$",
    re.IGNORECASE,
)
_ARTICLE = re.compile(
    rf"^(?:article|art\.)\s+(?P<number>"
    rf"premier|1er|ier|unique|additionnel|"
    rf"(?:[LRDA]\s*\.?\s*\*?\s*)?\d+(?:\s*[-‑–]\s*\d+)*(?:\s+{_LATIN})?"
    rf")(?P<rest>.*)$",
    re.IGNORECASE,
)
_CLOSING = re.compile(r"^Fait\s+(?:le|à|a)\s", re.IGNORECASE)
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


class TextImportError(Exception):
    """Unparseable input. `message` is French; `line` is the 1-based line number or None."""

    def __init__(self, message: str, line: int | None = None):
        self.message = message
        self.line = line
        super().__init__(message)


@dataclass
class ParsedDivision:
    kind: str
    label: str
    title: str
    depth: int
    line: int
    parent: int | None
    intro: list[str] = field(default_factory=list)
    rank: int = 0


@dataclass
class ParsedArticle:
    number: str
    slug: str
    label: str
    title: str
    division: int | None
    paragraphs: list[str]
    line: int


@dataclass
class ParsedText:
    title: str
    preamble: list[str]
    divisions: list[ParsedDivision]
    articles: list[ParsedArticle]
    closing: list[str]


def normalize_source(source: str) -> str:
    """Canonical form used for fingerprinting.

    CRLF and CR become LF, trailing spaces are removed, Unicode is NFC, leading and trailing
    blank lines are dropped, and the text ends with exactly one newline.
    """
    text = unicodedata.normalize("NFC", source.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def parse_text(source: str) -> ParsedText:
    """Parse a legal text into divisions, articles and paragraphs. Raises TextImportError."""
    if not isinstance(source, str):
        raise TextImportError("Le texte doit être une chaîne de caractères.")
    if len(source) > MAX_CHARS:
        raise TextImportError(
            f"Le texte est trop long ({len(source):,} caractères ; {MAX_CHARS:,} au maximum).".replace(
                ",", " "
            )
        )
    lines = unicodedata.normalize("NFC", source.replace("\r\n", "\n").replace("\r", "\n")).split(
        "\n"
    )
    _check_characters(lines)
    if not any(line.strip() for line in lines):
        raise TextImportError("Le texte est vide : collez le texte soumis à la consultation.")
    parsed = _Parser().run(lines)
    _check_articles(parsed)
    return parsed


def _check_characters(lines: list[str]) -> None:
    for number, line in enumerate(lines, start=1):
        bad = _FORBIDDEN.search(line)
        if bad:
            code = f"U+{ord(bad.group()):04X}"
            raise TextImportError(
                f"Caractère non autorisé ({code}) à la ligne {number} : le texte semble contenir "
                "des données binaires ou des caractères de contrôle. Collez ou déposez un texte brut "
                "(Markdown ou texte) encodé en UTF-8.",
                number,
            )


def _check_articles(parsed: ParsedText) -> None:
    if not parsed.articles:
        raise TextImportError(
            "Aucun article n'a été trouvé. Chaque article doit commencer par une ligne telle que "
            "« Article 1er », « Article 2 », « Art. 3 » ou « Article unique »."
        )
    seen: dict[str, int] = {}
    for article in parsed.articles:
        if not article.paragraphs:
            raise TextImportError(
                f"L'{article.label.lower()} (ligne {article.line}) ne contient aucun alinéa.",
                article.line,
            )
        if article.number == "additionnel":
            continue
        key = article.number.lower()
        if key in seen:
            raise TextImportError(
                f"L'{article.label.lower()} apparaît deux fois (lignes {seen[key]} et {article.line}).",
                article.line,
            )
        seen[key] = article.line


class _Parser:
    """A single pass over the lines, tracking the open divisions and quotation depth."""

    def __init__(self) -> None:
        self.result = ParsedText(title="", preamble=[], divisions=[], articles=[], closing=[])
        self.stack: list[int] = []  # indices of open divisions, outermost first
        self.article: ParsedArticle | None = None
        self.awaiting_title: ParsedDivision | None = None
        self.quote_depth = 0
        self.in_closing = False
        self.seen_content = False
        self.slugs: dict[str, int] = {}

    def run(self, lines: list[str]) -> ParsedText:
        for number, raw in enumerate(lines, start=1):
            self.line(number, raw)
        return self.result

    def line(self, number: int, raw: str) -> None:
        text = raw.strip()
        if text.startswith(">"):
            text = text.lstrip(">").strip()
        if not text:
            return
        starts_quoted = text.startswith("«")
        quoted = self.quote_depth > 0 or starts_quoted
        delta = text.count("«") - text.count("»")
        if starts_quoted and self.quote_depth > 0:
            delta -= 1  # French usage repeats « at each quoted paragraph: no new nesting
        self.quote_depth = max(0, self.quote_depth + delta)
        if self.in_closing:
            self.result.closing.append(text)
            return
        if not quoted:
            if _CLOSING.match(text) and self.seen_content:
                self.in_closing = True
                self.result.closing.append(text)
                return
            if self.structure(number, text):
                return
        self.content(text)

    def structure(self, number: int, text: str) -> bool:
        """Handle `text` if it is a heading (document title, division, article)."""
        hashes = 0
        match = _MARKDOWN_PREFIX.match(text)
        if match:
            hashes = len(match.group(1))
            text = text[match.end() :].strip()
        bold = _BOLD.match(text)
        candidate = text
        if bold:
            candidate = (bold.group(1) + (" " + bold.group(2) if bold.group(2) else "")).strip()
        candidate = candidate.strip("*_ ").strip()
        article = _parse_article(candidate)
        if article is not None:
            value, label, title, first_paragraph = article
            self.start_article(number, value, label, title)
            if first_paragraph:
                self.article.paragraphs.append(first_paragraph)
            return True
        division = _parse_division(candidate)
        if division is not None:
            kind, label, title = division
            self.start_division(number, kind, label, title, DIVISION_RANKS[kind])
            return True
        if hashes:
            if hashes == 1 and not self.seen_content and not self.result.title:
                self.result.title = candidate
                return True
            self.start_division(
                number, "heading", "", candidate, HEADING_BASE_RANK + hashes, markdown=True
            )
            return True
        return False

    def start_division(
        self, number: int, kind: str, label: str, title: str, rank: int, markdown: bool = False
    ) -> None:
        self.seen_content = True
        self.article = None
        while self.stack and self.result.divisions[self.stack[-1]].rank >= rank:
            self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        division = ParsedDivision(
            kind=kind,
            label=label,
            title=title,
            depth=len(self.stack),
            line=number,
            parent=parent,
            rank=rank,
        )
        self.result.divisions.append(division)
        self.stack.append(len(self.result.divisions) - 1)
        self.awaiting_title = None if (title or markdown) else division

    def start_article(self, number: int, value: str, label: str, title: str) -> None:
        self.seen_content = True
        self.awaiting_title = None
        slug = _article_slug(value)
        count = self.slugs.get(slug, 0) + 1
        self.slugs[slug] = count
        if count > 1:
            # A second "Article additionnel" gets its own address; any other duplicate is
            # refused once parsing ends, naming both lines.
            slug = f"{slug}-{count}"
        self.article = ParsedArticle(
            number=value,
            slug=slug,
            label=label,
            title=title,
            division=self.stack[-1] if self.stack else None,
            paragraphs=[],
            line=number,
        )
        self.result.articles.append(self.article)

    def content(self, text: str) -> None:
        if self.article is not None:
            self.article.paragraphs.append(text)
            return
        if self.awaiting_title is not None:
            self.awaiting_title.title = text
            self.awaiting_title = None
            return
        if self.stack:
            self.result.divisions[self.stack[-1]].intro.append(text)
            return
        self.seen_content = True
        self.result.preamble.append(text)


def _parse_article(text: str) -> tuple[str, str, str, str] | None:
    """(number, label, title, first paragraph) when `text` is an article heading, else None.

    What follows the separator is a title ("Article 1er – Objet") unless it reads as a
    sentence — ending with . ; or : or longer than a title — as decrees write their first
    alinéa on the heading line ("Art. 1er. – Le présent décret…").
    """
    match = _ARTICLE.match(text)
    if not match:
        return None
    number = _normalize_article_number(match.group("number"))
    rest = match.group("rest")
    after = ""
    if rest.strip():
        separator = re.match(_SEPARATOR, rest)
        if separator:
            after = rest[separator.end() :].strip()
        elif number == "additionnel" and rest[0].isspace():
            after = rest.strip()  # "Article additionnel après l'article 3"
        else:
            return None
    label = f"Article {number}"
    if after and (after[-1] in ".;:" or len(after) > TITLE_MAX_LENGTH):
        return number, label, "", after
    return number, label, after, ""


def _normalize_article_number(raw: str) -> str:
    value = " ".join(raw.split())
    lowered = value.lower()
    if lowered in ("premier", "1er", "ier"):
        return "1er"
    if lowered in ("unique", "additionnel"):
        return lowered
    codified = re.match(r"^([LRDA])\s*\.?\s*(\*?)\s*(\d.*)$", value, re.IGNORECASE)
    if codified:
        letter, star, rest = codified.groups()
        rest = re.sub(r"\s*[-‑–]\s*", "-", rest)
        return f"{letter.upper()}.{star} {rest}"
    value = re.sub(r"\s*[-‑–]\s*", "-", value)
    return re.sub(r"\s+", " ", value.lower())


def _article_slug(number: str) -> str:
    if number == "1er":
        return "1"
    ascii_value = unicodedata.normalize("NFKD", number).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_value).strip("-") or "article"


def _parse_division(text: str) -> tuple[str, str, str] | None:
    """(kind, label, title) when `text` is a division heading, else None."""
    match = _DIVISION.match(text)
    if match:
        kind = match.group("kind").lower().replace(" ", "_").replace("-", "_")
        word = match.group("kind")
        word = word.capitalize() if not word.isupper() else word
        number = " ".join(match.group("number").split())
        return kind, f"{word} {number}", (match.group("title") or "").strip()
    match = _ORDINAL_PARTIE.match(text)
    if match:
        return (
            "partie",
            f"{match.group('number').capitalize()} partie",
            (match.group("title") or "").strip(),
        )
    return None
