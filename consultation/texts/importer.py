"""Import of French draft legal texts (projets de loi, décrets, ordonnances, plans).

The organiser pastes the text as plain text or Markdown; `parse_text` turns it into a tree of
divisions and articles, each article keeping its alinéas (numbered 1..n) so that people can
later contribute on one paragraph. Pure standard library: no database, no Flask.

Grammar accepted (line by line; surrounding whitespace and a leading Markdown blockquote
marker ``>`` are ignored on every line, blank lines carry no meaning)
-----------------------------------------------------------------------------------------------

Title
    A Markdown H1 (``# Projet de loi …``) that is the first non-blank line and is neither a
    division nor an article heading.

Division heading
    A keyword at line start (any case, optionally after Markdown ``#``\\ s and/or ``**bold**``):
    ``PARTIE``, ``LIVRE``, ``TITRE``, ``CHAPITRE``, ``SECTION``, ``SOUS-SECTION``,
    ``PARAGRAPHE``, then a number (roman ``Ier``/``II``, arabic ``1``/``1er``, ``premier``,
    ``préliminaire``, ``unique``…, optionally ``bis``, ``ter``… and/or a capital letter), then
    either nothing, or a separator (``–``, ``—``, ``-``, ``:``, ``.``) and a title, or a title
    in capitals. ``Première partie``, ``Deuxième partie``… are accepted too. Without a title
    on the line, the next non-blank line is the title unless it is itself a heading, a quoted
    line or the closing block.

    Ranks, from the top: partie, livre, titre, chapitre, section, sous-section, paragraphe. A
    new division closes the open divisions of the same or a lower rank. A Markdown heading
    that is not a keyword heading is a division of kind ``"heading"``; when it meets a keyword
    division, their Markdown levels are compared if both have one (the keyword heading's
    level tells which rank that level stands for), otherwise the ranks are.

Article heading
    A line that is entirely ``Article <number>`` or ``Art. <number>`` (any case, optionally
    after Markdown ``#``\\ s and/or ``**bold**``). Numbers: ``1er``/``premier``/``Ier`` (all
    normalised to ``1er``), ``2``, ``4-1``, ``2.1``, ``unique``, ``additionnel``,
    ``préliminaire``, ``liminaire``, roman numerals, codified numbers ``L. 123-4``,
    ``L123-4``, ``LO 1``, ``R.* 12-1``, ``D. 5``, ``A. 3``; then optionally ``bis``, ``ter``…
    ``decies`` and/or a capital letter (``5 bis A``). After the number comes the end of the
    line, a separator and a title, a parenthesised note (``(nouveau)``), or for
    ``additionnel`` the words ``après …`` / ``avant …``. Text after the separator that reads
    like a sentence (``Art. 2. – Le présent décret entre en vigueur …``, as the Journal
    officiel prints decrees) is the article's first alinéa, not its title.
    ``Article 2 du code civil est ainsi modifié :`` is not a heading.

Alinéas
    Every other non-blank line inside an article is one alinéa (``1°``, ``a)`` and list items
    included), kept as written. Markdown thematic breaks (``---``) are ignored.

Quotations
    A line starting with ``«``, or any line while a quotation opened by ``«`` is not closed by
    ``»``, is an alinéa of the enclosing article and never a heading. By French drafting
    convention each quoted alinéa opens with ``«`` and only the last one closes with ``»``:
    a ``«`` opening a line inside a quotation continues it rather than nesting another.

Closing block
    Once an article has been read, a line starting with ``Fait le`` or ``Fait à`` outside a
    quotation starts the closing block (signatures); every following line belongs to it.

Text before the first heading is the preamble (visas, « Décrète : »); text between a division
heading (and its title) and its first article or sub-division is the division's intro.

Errors raise `TextImportError` with a French message naming the line: control characters or
binary data, empty or oversized input, no article, an article without alinéa, the same article
number twice, an unclosed quotation that swallows a heading.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

__all__ = [
    "MAX_SOURCE_CHARS",
    "ParsedArticle",
    "ParsedDivision",
    "ParsedText",
    "TextImportError",
    "normalize_source",
    "parse_text",
]

MAX_SOURCE_CHARS = 2_000_000
MAX_SLUG_LENGTH = 50
MAX_CLOSING_LINE_LENGTH = 150
MAX_TITLE_LENGTH = 150  # inline text after an article number longer than this is an alinéa
MIN_SENTENCE_WORDS = 5
EXCERPT_LENGTH = 60

# Ranks of keyword divisions, from the top of the hierarchy.
KIND_RANKS = {
    "partie": 0,
    "livre": 1,
    "titre": 2,
    "chapitre": 3,
    "section": 4,
    "sous_section": 5,
    "paragraphe": 6,
}
ADDITIONAL = "additionnel"

_SEPARATOR = r"[–—‑−:.\-]"  # en dash, em dash, non-breaking hyphen, minus, colon, full stop, hyphen
_SUFFIX_WORDS = "bis|ter|quater|quinquies|sexies|septies|octies|nonies|novies|decies"
_SUFFIX = rf"""
    (?P<suffix>
        (?:[\s-]*(?:{_SUFFIX_WORDS})\b)?
        (?:\s+(?-i:[A-Z])(?=\s*(?:$|{_SEPARATOR}|\()))?
    )
"""

_LINE_BREAKS = re.compile(r"\r\n?")
_FORBIDDEN_CHAR = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffd\ufffe\uffff]"
)
_BLOCKQUOTE = re.compile(r"^(?:>\s*)+")
_MD_HEADING = re.compile(r"^(#{1,6})(?:\s+|$)")
_GUILLEMET = re.compile(r"[«»]")

_ARTICLE = re.compile(
    rf"""
    ^(?:article\s+|art\.\s*|art\s+)
    (?P<number>
        (?P<code>(?-i:LO|L|R|D|A))\s*(?:\.\s*)?(?P<star>\*\s*)?(?P<code_digits>\d+(?:[-.]\d+)*)
      | (?P<first>1er|1ᵉʳ|premier|(?-i:I)er)
      | (?P<digits>\d+(?:[-.]\d+)*)
      | (?P<word>unique|additionnel|préliminaire|liminaire)\b
      | (?P<roman>(?-i:[IVXLC]+))
    )
    {_SUFFIX}
    (?P<rest>.*)$
    """,
    re.IGNORECASE | re.VERBOSE,
)

_DIVISION = re.compile(
    rf"""
    ^(?P<keyword>partie|livre|titre|chapitre|sous[-\s]?section|section|paragraphe)\s+
    (?P<number>
        (?-i:[IVXLC]+)(?:er|re)?
      | \d+(?:er|re)?
      | (?:premier|première|préliminaire|liminaire|unique|législative|réglementaire)\b
    )
    {_SUFFIX}
    (?P<rest>.*)$
    """,
    re.IGNORECASE | re.VERBOSE,
)

_ORDINAL_DIVISION = re.compile(
    r"""
    ^(?P<number>première|premier|deuxième|seconde?|troisième|quatrième|cinquième|sixième
        |septième|huitième|neuvième|dixième)
    \s+(?P<keyword>partie|livre)\b
    (?P<suffix>)
    (?P<rest>.*)$
    """,
    re.IGNORECASE | re.VERBOSE,
)

_TITLE_AFTER_SEPARATOR = re.compile(rf"^\s*(?:{_SEPARATOR}\s*)+(?P<title>.*)$")
_PARENTHESISED_NOTE = re.compile(r"^\s*(?P<title>\([^()]*\))\s*$")
_ADDITIONAL_PLACE = re.compile(r"^\s+(?P<title>(?:après|avant)\b.*)$", re.IGNORECASE)
_SUFFIX_PART = re.compile(rf"{_SUFFIX_WORDS}|[A-Z]", re.IGNORECASE)
_CLOSING = re.compile(r"^fait\s+(?:le|à|a)\s", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.;:!?…]$")
_FIRST = re.compile(r"\b1er\b")
_NON_SLUG = re.compile(r"[^a-z0-9]+")


class TextImportError(Exception):
    """Raised for unparseable input.

    `message` is a French sentence, naming the line when there is one; `line` is the 1-based
    line number or None.
    """

    def __init__(self, message: str, line: int | None = None) -> None:
        if line is not None and not _names_line(message, line):
            message = _mention_line(message, line)
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        return self.message


@dataclass
class ParsedDivision:
    """A titre, chapitre, section… or a plain Markdown heading (kind "heading")."""

    kind: str
    label: str
    title: str
    depth: int
    line: int
    parent: int | None
    intro: list[str] = field(default_factory=list)


@dataclass
class ParsedArticle:
    """An article and its alinéas."""

    number: str
    slug: str
    label: str
    title: str
    division: int | None
    paragraphs: list[str]
    line: int


@dataclass
class ParsedText:
    """The whole text: title, preamble, divisions (pre-order), articles, closing block."""

    title: str = ""
    preamble: list[str] = field(default_factory=list)
    divisions: list[ParsedDivision] = field(default_factory=list)
    articles: list[ParsedArticle] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)


def normalize_source(source: str) -> str:
    """Canonical form of a text, used for fingerprinting and storage.

    CRLF and CR become LF, a leading byte order mark is dropped, the text is put in Unicode NFC,
    trailing whitespace is removed from every line, leading and trailing blank lines are
    removed, and the result ends with exactly one "\\n" ("" for a blank text).
    """
    text = unicodedata.normalize("NFC", _LINE_BREAKS.sub("\n", source)).removeprefix("\ufeff")
    lines = [line.rstrip() for line in text.split("\n")]
    start, end = 0, len(lines)
    while start < end and not lines[start]:
        start += 1
    while end > start and not lines[end - 1]:
        end -= 1
    if start == end:
        return ""
    return "\n".join(lines[start:end]) + "\n"


def parse_text(source: str) -> ParsedText:
    """Parse a pasted legal text into divisions and articles with their alinéas.

    See the module docstring for the grammar. Raises TextImportError, and nothing else, for
    any input that cannot be imported.
    """
    text = _prepare(source)
    parser = _Parser()
    for number, line in enumerate(text.split("\n"), start=1):
        parser.feed(number, line)
    return parser.finish()


# --- Input checks -------------------------------------------------------------------------


def _prepare(source: object) -> str:
    """The source with LF line endings, NFC, no byte order mark; refuses unusable input."""
    if not isinstance(source, str):
        raise TextImportError("Le texte doit être fourni sous forme de texte.")
    if len(source) > MAX_SOURCE_CHARS:
        raise TextImportError(
            f"Le texte est trop long ({_thousands(len(source))} caractères) : la limite est de "
            f"{_thousands(MAX_SOURCE_CHARS)} caractères. Découpez-le en plusieurs consultations."
        )
    text = _LINE_BREAKS.sub("\n", source).removeprefix("\ufeff")
    if not text.strip():
        raise TextImportError(
            "Le texte est vide : collez ou importez le texte soumis à la consultation."
        )
    _check_characters(text)
    return unicodedata.normalize("NFC", text)


def _check_characters(text: str) -> None:
    forbidden = _FORBIDDEN_CHAR.search(text)
    if forbidden is None:
        return
    line = text.count("\n", 0, forbidden.start()) + 1
    code = f"U+{ord(forbidden.group()):04X}"
    raise TextImportError(
        f"Caractère non autorisé ({code}) à la ligne {line} : le texte semble contenir des "
        "données binaires ou des caractères de contrôle. Collez le texte depuis votre "
        "traitement de texte ou enregistrez-le en texte brut (UTF-8).",
        line,
    )


def _thousands(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


def _names_line(message: str, line: int) -> bool:
    """Whether the message already says "ligne N" or "lignes M et N"."""
    return bool(re.search(rf"\bligne {line}\b|\blignes [\d, et]*\b{line}\b", message))


def _mention_line(message: str, line: int) -> str:
    if message.endswith("."):
        return f"{message[:-1]} (ligne {line})."
    return f"{message} (ligne {line})"


# --- Line reading -------------------------------------------------------------------------


def _line_content(raw: str) -> str:
    """The line without surrounding whitespace nor leading blockquote markers."""
    content = raw.strip()
    if content.startswith(">"):
        content = _BLOCKQUOTE.sub("", content).strip()
    return content


def _quote_depth_after(content: str, depth: int) -> int:
    """Number of open « after this line, given the number open before it.

    Inside a quotation, a « opening the line continues the quotation (each quoted alinéa
    starts with «, only the last one ends with »).
    """
    start = 1 if depth > 0 and content.startswith("«") else 0
    for mark in _GUILLEMET.finditer(content, start):
        depth = depth + 1 if mark.group() == "«" else max(depth - 1, 0)
    return depth


def _is_thematic_break(content: str) -> bool:
    compact = "".join(content.split())
    return len(compact) >= 3 and compact[0] in "-*_=" and compact == compact[0] * len(compact)


def _heading_candidate(content: str) -> tuple[int | None, str]:
    """(Markdown heading level or None, line text without heading marks nor bold)."""
    level = None
    text = content
    heading = _MD_HEADING.match(content)
    if heading:
        level = len(heading.group(1))
        text = _drop_closing_hashes(content[heading.end() :])
    return level, _strip_emphasis(text)


def _drop_closing_hashes(text: str) -> str:
    text = text.strip()
    bare = text.rstrip("#")
    if bare != text and (not bare or bare[-1].isspace()):
        return bare.strip()
    return text


def _strip_emphasis(text: str) -> str:
    text = text.replace("**", "").replace("__", "")
    return text.strip().strip("*_").strip()


def _collapse(text: str) -> str:
    return " ".join(text.split())


# --- Headings -----------------------------------------------------------------------------


@dataclass
class _ArticleHeading:
    number: str
    title: str
    first_paragraph: str


@dataclass
class _DivisionHeading:
    kind: str
    label: str
    title: str


def _match_article(candidate: str) -> _ArticleHeading | None:
    """The article heading this line is, if it is one."""
    match = _ARTICLE.match(candidate)
    if match is None:
        return None
    number = _article_number(match)
    rest = match.group("rest")
    inline = _inline_after_number(rest)
    if inline is None and number == ADDITIONAL:
        place = _ADDITIONAL_PLACE.match(rest)
        inline = place.group("title").strip() if place else None
    if inline is None:
        return None
    if _reads_as_alinea(inline):
        return _ArticleHeading(number, "", inline)
    return _ArticleHeading(number, _clean_title(inline), "")


def _article_number(match: re.Match[str]) -> str:
    if match.group("code"):
        code = match.group("code").upper()
        mark = "." if len(code) == 1 else ""  # "L. 123-4", but "LO 1"
        star = "*" if match.group("star") else ""
        base = f"{code}{mark}{star} {match.group('code_digits')}"
    elif match.group("first"):
        base = "1er"
    elif match.group("digits"):
        base = match.group("digits")
    elif match.group("word"):
        base = match.group("word").lower()
    else:
        base = match.group("roman")
    return base + _normalize_suffix(match.group("suffix"))


def _normalize_suffix(suffix: str) -> str:
    parts = []
    for part in _SUFFIX_PART.findall(suffix):
        parts.append(part.upper() if len(part) == 1 else part.lower())
    return "".join(f" {part}" for part in parts)


def _inline_after_number(rest: str) -> str | None:
    """Text after a heading's number ("" when none), or None when the line is a sentence."""
    if not rest.strip():
        return ""
    separated = _TITLE_AFTER_SEPARATOR.match(rest)
    if separated:
        return separated.group("title").strip()
    note = _PARENTHESISED_NOTE.match(rest)
    if note:
        return note.group("title")
    return None


def _reads_as_alinea(inline: str) -> bool:
    """Whether text after "Art. 2. –" is the first alinéa rather than a title."""
    if inline.startswith("«") or len(inline) > MAX_TITLE_LENGTH:
        return True
    bare = inline.rstrip(" »*_")
    return bool(_SENTENCE_END.search(bare)) and len(bare.split()) >= MIN_SENTENCE_WORDS


def _clean_title(text: str) -> str:
    return _strip_emphasis(text)


def _match_division(candidate: str) -> _DivisionHeading | None:
    """The keyword division heading this line is, if it is one."""
    match = _DIVISION.match(candidate) or _ORDINAL_DIVISION.match(candidate)
    if match is None:
        return None
    rest = match.group("rest")
    title = _inline_after_number(rest)
    if title is None:
        title = _capitalised_title(rest)
    if title is None:
        return None
    label_end = max(match.end("suffix"), match.end("keyword"), match.end("number"))
    keyword = re.sub(r"[-\s]", "", match.group("keyword").lower())
    kind = "sous_section" if keyword == "soussection" else keyword
    return _DivisionHeading(kind, _collapse(candidate[:label_end]), _clean_title(title))


def _capitalised_title(rest: str) -> str | None:
    """A title in capitals may follow the number without separator: "TITRE II DISPOSITIONS"."""
    if not rest[:1].isspace():
        return None
    text = rest.strip()
    if any(char.isalpha() for char in text) and not any(char.islower() for char in text):
        return text
    return None


def _is_closing(candidate: str) -> bool:
    return len(candidate) <= MAX_CLOSING_LINE_LENGTH and bool(_CLOSING.match(candidate))


# --- Slugs and checks ---------------------------------------------------------------------


def _slug_base(number: str) -> str:
    text = unicodedata.normalize("NFKD", _FIRST.sub("1", number))
    ascii_text = text.encode("ascii", "ignore").decode("ascii").lower()
    slug = _NON_SLUG.sub("-", ascii_text).strip("-")
    return slug[:MAX_SLUG_LENGTH].rstrip("-") or "article"


def _assign_slugs(articles: list[ParsedArticle]) -> None:
    """Give each article a slug unique in the text; refuse a number used twice."""
    first_line: dict[str, ParsedArticle] = {}
    taken: set[str] = set()
    for article in articles:
        base = _slug_base(article.number)
        if article.number != ADDITIONAL:
            earlier = first_line.get(base)
            if earlier is not None:
                raise TextImportError(
                    f"L'article {article.number} apparaît deux fois (lignes {earlier.line} et "
                    f"{article.line}) : chaque numéro d'article doit être unique.",
                    article.line,
                )
            first_line[base] = article
        slug, counter = base, 1
        while slug in taken:
            counter += 1
            slug = f"{base}-{counter}"
        taken.add(slug)
        article.slug = slug


def _check_paragraphs(articles: list[ParsedArticle]) -> None:
    for article in articles:
        if not article.paragraphs:
            raise TextImportError(
                f"L'article {article.number} (ligne {article.line}) ne contient aucun alinéa : "
                "écrivez son texte sur les lignes qui suivent son intitulé.",
                article.line,
            )


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1] + "…"


# --- Parser -------------------------------------------------------------------------------


@dataclass
class _OpenDivision:
    index: int
    rank: float
    md_level: int | None
    keyword: bool


@dataclass
class _Quotation:
    opened_at: int | None = None
    swallowed_line: int | None = None
    swallowed_text: str = ""


class _Parser:
    """Reads the text line by line and builds a ParsedText."""

    def __init__(self) -> None:
        self.result = ParsedText()
        self.stack: list[_OpenDivision] = []
        self.level_ranks: dict[int, float] = {}
        self.container: list[str] = self.result.preamble
        self.pending_title: ParsedDivision | None = None
        self.depth = 0
        self.quotation = _Quotation()
        self.in_closing = False
        self.seen_content = False

    def feed(self, number: int, raw: str) -> None:
        """Read one line (1-based `number`)."""
        content = _line_content(raw)
        if not content:
            return
        pending, self.pending_title = self.pending_title, None
        if self.in_closing:
            self.result.closing.append(content)
            return
        before = self.depth
        self.depth = _quote_depth_after(content, before)
        quoted = before > 0 or content.startswith("«")
        if quoted:
            self._note_swallowed_heading(number, content, before)
            self.container.append(content)
        else:
            self._read_unquoted(number, content, pending)
        self._track_quotation(number, before)
        self.seen_content = True

    def finish(self) -> ParsedText:
        """Check the structure read and return it."""
        if self.depth > 0 and self.quotation.swallowed_line is not None:
            raise TextImportError(
                f"Le guillemet « ouvert à la ligne {self.quotation.opened_at} n'est jamais "
                f"refermé : la ligne {self.quotation.swallowed_line} "
                f"(« {_excerpt(self.quotation.swallowed_text)} ») est lue comme une citation et "
                "non comme un intitulé. Ajoutez le guillemet fermant » à la fin de la citation.",
                self.quotation.opened_at,
            )
        if not self.result.articles:
            raise TextImportError(
                "Aucun article n'a été trouvé. Chaque article doit commencer par une ligne "
                "d'intitulé seule, par exemple « Article 1er », « Article 2 » ou « Article "
                "unique », suivie de ses alinéas."
            )
        _check_paragraphs(self.result.articles)
        _assign_slugs(self.result.articles)
        return self.result

    # Quotations

    def _track_quotation(self, number: int, before: int) -> None:
        if self.depth == 0:
            self.quotation = _Quotation()
        elif before == 0:
            self.quotation = _Quotation(opened_at=number)

    def _note_swallowed_heading(self, number: int, content: str, before: int) -> None:
        """Remember a heading-looking line read as quoted only because a « is still open."""
        if before == 0 or content.startswith("«") or self.quotation.swallowed_line is not None:
            return
        _level, candidate = _heading_candidate(content)
        if _match_article(candidate) or _match_division(candidate):
            self.quotation.swallowed_line = number
            self.quotation.swallowed_text = candidate

    # Unquoted lines

    def _read_unquoted(self, number: int, content: str, pending: ParsedDivision | None) -> None:
        if _is_thematic_break(content):
            self.pending_title = pending
            return
        level, candidate = _heading_candidate(content)
        if self.result.articles and _is_closing(candidate):
            self.in_closing = True
            self.result.closing.append(content)
            return
        article = _match_article(candidate)
        if article is not None:
            self._open_article(number, article)
            return
        division = _match_division(candidate)
        if division is not None:
            self._open_keyword_division(number, division, level)
            return
        if level is not None and candidate:
            if level == 1 and not self.seen_content:
                self.result.title = candidate
            elif pending is not None:
                pending.title = candidate
            else:
                self._open_heading(number, level, candidate)
            return
        if pending is not None:
            pending.title = _clean_title(candidate)
            return
        self.container.append(content)

    def _open_article(self, number: int, heading: _ArticleHeading) -> None:
        article = ParsedArticle(
            number=heading.number,
            slug="",
            label=f"Article {heading.number}",
            title=heading.title,
            division=self.stack[-1].index if self.stack else None,
            paragraphs=[heading.first_paragraph] if heading.first_paragraph else [],
            line=number,
        )
        self.result.articles.append(article)
        self.container = article.paragraphs

    def _open_keyword_division(
        self, number: int, heading: _DivisionHeading, level: int | None
    ) -> None:
        rank = float(KIND_RANKS[heading.kind])
        if level is not None:
            self.level_ranks[level] = rank
        opened = _OpenDivision(index=-1, rank=rank, md_level=level, keyword=True)
        division = self._open_division(number, opened, heading.kind, heading.label, heading.title)
        if not heading.title:
            self.pending_title = division

    def _open_heading(self, number: int, level: int, title: str) -> None:
        opened = _OpenDivision(
            index=-1, rank=self._heading_rank(level), md_level=level, keyword=False
        )
        self._open_division(number, opened, "heading", "", title)

    def _heading_rank(self, level: int) -> float:
        """Rank of a plain Markdown heading, from the ranks keyword headings gave its level."""
        known = self.level_ranks
        if level in known:
            return known[level]
        shallower = [known_level for known_level in known if known_level < level]
        if shallower:
            return known[max(shallower)] + 0.5
        deeper = [known_level for known_level in known if known_level > level]
        if deeper:
            return known[min(deeper)] - 0.5
        return level - 1.5

    def _open_division(
        self, number: int, opened: _OpenDivision, kind: str, label: str, title: str
    ) -> ParsedDivision:
        while self.stack and _closes(self.stack[-1], opened):
            self.stack.pop()
        division = ParsedDivision(
            kind=kind,
            label=label,
            title=title,
            depth=len(self.stack),
            line=number,
            parent=self.stack[-1].index if self.stack else None,
        )
        opened.index = len(self.result.divisions)
        self.result.divisions.append(division)
        self.stack.append(opened)
        self.container = division.intro
        return division


def _closes(open_division: _OpenDivision, new: _OpenDivision) -> bool:
    """Whether `new` ends `open_division` (same or higher place in the hierarchy)."""
    if open_division.keyword and new.keyword:
        return open_division.rank >= new.rank
    if open_division.md_level is not None and new.md_level is not None:
        return open_division.md_level >= new.md_level
    return open_division.rank >= new.rank
