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
    ``préliminaire``, ``unique``…, optionally a suffix as for articles), then either nothing,
    or a separator (``–``, ``—``, ``-``, ``:``, ``.``) and a title, or a title in capitals.
    ``Première partie``, ``Deuxième partie``… are accepted too. Without a title on the line,
    the next non-blank line is the title unless it is itself a heading, a quoted line or the
    closing block.

    Ranks, from the top: partie, livre, titre, chapitre, section, sous-section, paragraphe. A
    new division closes the open divisions of the same or a lower rank. A Markdown heading
    that is not a keyword heading is a division of kind ``"heading"``; when it meets a keyword
    division, their Markdown levels are compared if both have one (the keyword heading's
    level tells which rank that level stands for), otherwise the ranks are.

Article heading
    A line that is entirely ``Article <number>`` or ``Art. <number>`` (any case, optionally
    after Markdown ``#``\\ s and/or ``**bold**``). Numbers: ``1er``/``1 er``/``premier``/``Ier``
    (all normalised to ``1er``), ``2``, ``4-1``, ``2.1``, ``unique``, ``additionnel``,
    ``préliminaire``, ``liminaire``, roman numerals, codified numbers ``L. 123-4``,
    ``L123-4``, ``LO 1``, ``R.* 12-1``, ``D. 5``, ``A. 3``. Then a suffix: any sequence of
    Latin ordinal adverbs — ``bis``, ``ter``, ``quater``, ``quinquies``, ``sexies``,
    ``septies``, ``octies``, ``nonies`` (``novies``), ``decies``, then the compounds
    ``undecies``, ``duodecies``, ``terdecies``, ``quaterdecies``, ``quindecies``,
    ``sexdecies``, ``septdecies``, ``octodecies``, ``novodecies``, ``vicies``, ``unvicies``…
    ``tricies``… ``nonagies`` (and their usual variants: ``tredecies``, ``quinquiesdecies``,
    ``duodevicies``…) — and groups of one to three capital letters: ``5 bis A``,
    ``11 quaterdecies B``, ``3 bis AA``, ``1er A``, ``199 terdecies-0 A``. After the number
    comes the end of the line, a separator and a title, one or more parenthesised notes
    (``(nouveau)``, ``(Supprimé)``, ``(Non modifié)``, ``(art. L. 331-1 du code …)``)
    optionally followed by a separator and a title, or for ``additionnel`` the words
    ``après …`` / ``avant …``. Text after the separator that reads like a sentence
    (``Art. 2. – Le présent décret entre en vigueur …``, as the Journal officiel prints
    decrees) is the article's first alinéa, not its title. ``Article 2 du code civil est ainsi
    modifié :`` is not a heading.

    A line made only of parenthesised notes right after an article heading, before its first
    alinéa (``Article 7`` then ``(Supprimé)``), is added to the article's title. An article
    whose notes say it is deleted, unchanged or conforming (``(Supprimé)``,
    ``(Suppression maintenue)``, ``(Non modifié)``, ``(Conforme)``, ``(Pour mémoire)``) may
    have no alinéa.

Grouped article heading
    ``Articles 4 à 6``, ``Articles 4 et 5``, ``Articles 4 bis, 4 ter et 5`` followed by such a
    note (on the line or the next one) and no text stands for each of these articles:
    ``Articles 4 à 6 (Supprimés)`` gives articles 4, 5 and 6, each titled ``(Supprimé)``. A
    range is expanded over integers (``4 à 6``, ``1er à 3``), over Latin suffixes of one
    number (``4 à 4 quater``, ``4 bis à 4 quater``) or over the last capital letter
    (``1er A à 1er C``); any other range is refused.

Alinéas
    Every other non-blank line inside an article is one alinéa (``1°``, ``a)`` and list items
    included), kept as written. A text wrapped at a fixed width (as Markdown copies of codes
    are, every paragraph cut into lines of about 80 characters) keeps its alinéas whole: a
    line that directly follows an alinéa, without a blank line between them, continues it when
    that alinéa does not end with a punctuation mark (``.``, ``;``, ``:``, ``»``…) and the line
    starts with a lower-case letter and is not an item (``a)``, ``-``); it is joined to it
    with a space. Markdown thematic breaks (``---``) and lines made only of dots
    (``………``, where a parliamentary text leaves out articles it does not reproduce) are
    ignored.

Quotations
    A line starting with ``«``, or any line while a quotation opened by ``«`` is not closed by
    ``»``, is an alinéa of the enclosing article and never a heading. By French drafting
    convention each quoted alinéa opens with ``«`` and only the last one closes with ``»``:
    a ``«`` opening a line inside a quotation continues it rather than nesting another.

Annexes
    A line that is entirely ``ANNEXE``, ``Annexe I``, ``Annexe 2``, ``Annexes`` or ``Article
    ANNEXE`` (as Légifrance lists an annex among the articles), optionally after Markdown
    marks and followed by a separator and a title (``ANNEXE – Liste des décisions``), opens an
    annex: it is read as an article labelled ``Annexe …`` so that people can contribute on it,
    and every following line up to the next annex heading is one of its alinéas as written,
    even one that looks like a heading (an annex's ``TITRE Ier`` or the ``Article 63.`` of a
    table of references is the annex's content, not the text's structure). An annex may follow
    the closing block, as in the Journal officiel.

Closing block
    Once an article has been read, a line starting with ``Fait le``, ``Fait à`` or
    ``Délibéré en séance publique`` outside a quotation starts the closing block
    (signatures); every following line belongs to it.

Text before the first heading is the preamble (visas, « Décrète : »); text between a division
heading (and its title) and its first article or sub-division is the division's intro.

Lines that look like headings but are not understood
    No line is folded silently into its neighbour. An unquoted line that starts like an
    article heading (``Article``, ``Art.`` or ``Articles`` and a number) or a division heading
    (a keyword and a number) without being one, and that does not read as a sentence (ending
    with ``.``, ``;``, ``:``…), is imported where it falls (alinéa, preamble, intro, title) and
    reported in `ParsedText.warnings` with its line number and the reason; the organiser
    acknowledges them before the text is saved. A line that would be an article heading but
    for an unknown Latin-looking suffix (``Article 11 undecimies``) is refused.

Errors raise `TextImportError` with a French message naming the line: control characters or
binary data, empty or oversized input, no article, an article without alinéa, the same article
number twice, an unclosed quotation that swallows a heading, an unknown suffix, a grouped
heading that cannot be expanded or that has text.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from consultation.core.i18n import number as locale_number

__all__ = [
    "LATIN_ORDINALS",
    "MAX_SOURCE_CHARS",
    "ParsedArticle",
    "ParsedDivision",
    "ParsedText",
    "TextImportError",
    "TextWarning",
    "latin_ordinal",
    "heading_kind",
    "normalize_source",
    "parse_text",
]

MAX_SOURCE_CHARS = 2_000_000
MAX_SLUG_LENGTH = 50
MAX_CLOSING_LINE_LENGTH = 150
MAX_TITLE_LENGTH = 150  # inline text after an article number longer than this is an alinéa
MAX_NOTE_LENGTH = 200  # a line of parenthesised notes after an article heading
MAX_GROUP_SIZE = 100  # articles one grouped heading may stand for
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

# --- Latin ordinal adverbs (bis, ter … decies, undecies … vicies …) -------------------------

_LATIN_UNITS = {
    "bis": 2,
    "ter": 3,
    "quater": 4,
    "quinquies": 5,
    "sexies": 6,
    "septies": 7,
    "octies": 8,
    "nonies": 9,
    "novies": 9,
}
_LATIN_TENS = {
    "decies": 10,
    "vicies": 20,
    "tricies": 30,
    "quadragies": 40,
    "quinquagies": 50,
    "sexagies": 60,
    "septuagies": 70,
    "octogies": 80,
    "nonagies": 90,
}
# Prefixes of the compounds: un-decies (11), duo-decies (12)… duode-vicies (18), unde-vicies (19).
_LATIN_PREFIXES = {
    "un": 1,
    "duo": 2,
    "ter": 3,
    "tre": 3,
    "quater": 4,
    "quattuor": 4,
    "quin": 5,
    "quinquies": 5,
    "sex": 6,
    "sexies": 6,
    "sept": 7,
    "septem": 7,
    "septies": 7,
    "octo": 8,
    "octies": 8,
    "novo": 9,
    "nono": 9,
    "novem": 9,
    "novies": 9,
    "nonies": 9,
    "duode": -2,
    "unde": -1,
}
_CANONICAL_PREFIXES = ("", "un", "duo", "ter", "quater", "quin", "sex", "sept", "octo", "novo")
_CANONICAL_UNITS = ("", "", "bis", "ter", "quater", "quinquies", "sexies", "septies", "octies")


def latin_ordinal(rank: int) -> str:
    """The usual Latin adverb for the `rank`-th article inserted after another (2 ≤ rank < 100).

    2 → bis, 9 → nonies, 10 → decies, 11 → undecies, 14 → quaterdecies, 20 → vicies,
    23 → tervicies, 30 → tricies.
    """
    if not 2 <= rank < 100:
        raise ValueError(f"no Latin ordinal for {rank}")
    if rank < 9:
        return _CANONICAL_UNITS[rank]
    if rank == 9:
        return "nonies"
    tens = next(word for word, value in _LATIN_TENS.items() if value == rank // 10 * 10)
    return _CANONICAL_PREFIXES[rank % 10] + tens


LATIN_ORDINALS = tuple(latin_ordinal(rank) for rank in range(2, 100))
_KNOWN_LATIN = sorted(set(LATIN_ORDINALS) | set(_LATIN_UNITS) | {"tredecies", "quinquiesdecies"})


def _latin_rank(word: str) -> int:
    """The rank a Latin adverb stands for (bis → 2, quaterdecies → 14)."""
    word = word.lower()
    if word in _LATIN_UNITS:
        return _LATIN_UNITS[word]
    for tens, value in _LATIN_TENS.items():
        if word.endswith(tens):
            return value + _LATIN_PREFIXES.get(word[: -len(tens)], 0)
    raise ValueError(word)


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(sorted(set(words), key=lambda word: (-len(word), word)))


_LATIN = (
    rf"(?:(?:{_alternatives(_LATIN_PREFIXES)})?(?:{_alternatives(_LATIN_TENS)})"
    rf"|{_alternatives(_LATIN_UNITS)})"
)

# --- Patterns ---------------------------------------------------------------------------------

_SEPARATOR = r"[–—‑−:.\-]"  # en dash, em dash, non-breaking hyphen, minus, colon, full stop, hyphen
_CAPITALS = r"(?-i:[A-Z]{1,3})"
_SUFFIX = rf"""
    (?P<suffix>
        (?:
            [\s-]*{_LATIN}\b(?:-\d+\b)?
          | \s+{_CAPITALS}(?=\s*(?:$|{_SEPARATOR}|\(|,)|\s+(?:{_LATIN}|(?-i:à|a|et))\b)
        )*
    )
"""
_NUMBER = rf"""
    (?P<number>
        (?P<code>(?-i:LO|L|R|D|A))\s*(?:\.\s*)?(?P<star>\*\s*)?(?P<code_digits>\d+(?:[-.]\d+)*)
      | (?P<first>1\s?er|1ᵉʳ|premier|(?-i:I)er)\b
      | (?P<digits>\d+(?:[-.]\d+)*)
      | (?P<word>unique|additionnel|préliminaire|liminaire)\b
      | (?P<roman>(?-i:[IVXLC]+))\b
    )
    {_SUFFIX}
"""
_UNNAMED_NUMBER = re.sub(r"\(\?P<\w+>", "(?:", _NUMBER)
_FLAGS = re.IGNORECASE | re.VERBOSE

_LINE_BREAKS = re.compile(r"\r\n?")
_FORBIDDEN_CHAR = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffd\ufffe\uffff]"
)
_BLOCKQUOTE = re.compile(r"^(?:>\s*)+")
_MD_HEADING = re.compile(r"^(#{1,6})(?:\s+|$)")
_GUILLEMET = re.compile(r"[«»]")

_ARTICLE = re.compile(rf"^(?:article\s+|art\.\s*|art\s+){_NUMBER}(?P<rest>.*)$", _FLAGS)
_NUMBER_ALONE = re.compile(rf"^{_NUMBER}$", _FLAGS)
_ARTICLES = re.compile(
    rf"""
    ^articles\s+
    (?P<numbers>
        {_UNNAMED_NUMBER}(?:\s*,\s*{_UNNAMED_NUMBER})*
        \s+(?P<joint>(?-i:à|a|et))\s+{_UNNAMED_NUMBER}
    )
    (?P<rest>.*)$
    """,
    _FLAGS,
)
_GROUP_PARTS = re.compile(r"\s*,\s*|\s+(?:à|a|et)\s+")

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
    _FLAGS,
)

_ORDINAL_DIVISION = re.compile(
    r"""
    ^(?P<number>première|premier|deuxième|seconde?|troisième|quatrième|cinquième|sixième
        |septième|huitième|neuvième|dixième)
    \s+(?P<keyword>partie|livre)\b
    (?P<suffix>)
    (?P<rest>.*)$
    """,
    _FLAGS,
)

# Lines that start like a heading: checked when they are not one.
_ARTICLE_LIKE = re.compile(
    r"""
    ^(?P<head>(?:articles?\s+|art\.\s*|art\s+)
    (?:\d|1ᵉʳ|(?:premier|unique|additionnel|préliminaire|liminaire)\b|(?-i:[IVXLC]+)\b
      |(?-i:LO|L|R|D|A)\s*(?:\.\s*)?(?:\*\s*)?\d))
    """,
    _FLAGS,
)
_DIVISION_LIKE = re.compile(
    r"""
    ^(?:partie|livre|titre|chapitre|sous[-\s]?section|section|paragraphe)\s+
    (?:(?-i:[IVXLC]+)(?:er|re)?\b|\d|(?:premier|première|préliminaire|liminaire|unique)\b)
    """,
    _FLAGS,
)
_UNKNOWN_SUFFIX = re.compile(
    rf"^(?:article\s+|art\.\s*|art\s+){_UNNAMED_NUMBER}(?:\s+|\s*-\s*)(?P<word>[^\W\d_]+)\b(?P<rest>.*)$",
    _FLAGS,
)
_LATIN_WORD = re.compile(_LATIN, re.IGNORECASE)

_TITLE_AFTER_SEPARATOR = re.compile(rf"^\s*(?:{_SEPARATOR}\s*)+(?P<title>.*)$")
_NOTES = re.compile(r"^\s*(?P<notes>\([^()]*\)(?:\s*\([^()]*\))*)")
_NOTES_LINE = re.compile(r"^\([^()]*\)(?:\s*\([^()]*\))*$")
_EMPTY_NOTE = re.compile(
    r"\b(?:supprimée?s?|suppression|abrogée?s?|non\s+modifiée?s?|conformes?|pour\s+mémoire)\b",
    re.IGNORECASE,
)
_PLURAL_NOTE = re.compile(r"\b(supprimée?|abrogée?|modifiée?|conforme)s\b", re.IGNORECASE)
_ADDITIONAL_PLACE = re.compile(r"^\s+(?P<title>(?:après|avant)\b.*)$", re.IGNORECASE)
_SUFFIX_PART = re.compile(rf"(?i:{_LATIN})(?:-\d+)?|[A-Z]{{1,3}}")
_CLOSING = re.compile(r"^(?:fait\s+(?:le|à|a)\s|délibéré\s+en\s+séance\s+publique)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.;:!?…]$")
_ANNEX = re.compile(
    r"""
    ^(?:article\s+)?(?P<word>annexes?)
    (?:\s+(?P<number>(?-i:[IVXLC]+)|\d+|(?-i:[A-Z])))?
    \s*(?:(?:[.:–—-]|\s[-–—]\s)\s*(?P<title>.*))?$
    """,
    re.IGNORECASE | re.VERBOSE,
)
_ENDS_ALINEA = re.compile(r"[.;:!?…»\"”)]$")
_ITEM_START = re.compile(r"^(?:[a-z]{1,3}\)|[a-z]{1,3}°|[-–—•*+]\s)")
_FIRST = re.compile(r"\b1er\b")
_FIRST_WORDS = re.compile(r"^(?:premier|ier)\b", re.IGNORECASE)
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


@dataclass(frozen=True)
class TextWarning:
    """A line that starts like a heading but was not understood as one.

    `text` is the line as read (without Markdown marks), `reason` a French clause saying why it
    is doubtful and what it was read as.
    """

    line: int
    text: str
    reason: str

    @property
    def message(self) -> str:
        text: str = _(
            "Ligne %(line)s : « %(text)s » — %(reason)s.",
            line=self.line,
            text=_excerpt(self.text),
            reason=self.reason,
        )
        return text

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "text": self.text, "reason": self.reason}


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
    """The whole text: title, preamble, divisions (pre-order), articles, closing block, and
    the lines reported as doubtful headings."""

    title: str = ""
    preamble: list[str] = field(default_factory=list)
    divisions: list[ParsedDivision] = field(default_factory=list)
    articles: list[ParsedArticle] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)
    warnings: list[TextWarning] = field(default_factory=list)

    @property
    def warnings_digest(self) -> str:
        """A fingerprint of the warnings (their text and reason, not their line numbers), so
        that an acknowledgement holds for exactly the warnings that were shown; "" if none."""
        if not self.warnings:
            return ""
        payload = json.dumps([[w.text, w.reason] for w in self.warnings], ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def heading_kind(line: str) -> str | None:
    """What `line` is for the importer when read alone: ``"article"`` (an article or annex
    heading, grouped or not), ``"article_untitled"`` (one without a title on its line),
    ``"division"``, ``"division_untitled"`` (a keyword division whose title is the next
    line), or None. Lets a reader of formatted documents (texts.office) write a styled
    heading so that the importer reads it as the document shows it."""
    content = _line_content(line)
    if _match_annex(content):
        return "article"
    _level, candidate = _heading_candidate(content)
    try:
        article = _match_article(candidate, 0)
    except TextImportError:
        return None
    if article is not None:
        return "article" if article.title or article.first_paragraph else "article_untitled"
    division = _match_division(candidate)
    if division is not None:
        return "division" if division.title else "division_untitled"
    return None


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
    any input that cannot be imported; lines that look like headings but are not understood
    are listed in the result's `warnings`.
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
        raise TextImportError(_("Le texte doit être fourni sous forme de texte."))
    if len(source) > MAX_SOURCE_CHARS:
        raise TextImportError(
            _(
                "Le texte est trop long (%(length)s caractères) : la limite est de %(limit)s "
                "caractères. Découpez-le en plusieurs consultations.",
                length=locale_number(len(source)),
                limit=locale_number(MAX_SOURCE_CHARS),
            )
        )
    text = _LINE_BREAKS.sub("\n", source).removeprefix("\ufeff")
    if not text.strip():
        raise TextImportError(
            _("Le texte est vide : collez ou importez le texte soumis à la consultation.")
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
        _(
            "Caractère non autorisé (%(code)s) à la ligne %(line)s : le texte semble contenir "
            "des données binaires ou des caractères de contrôle. Collez le texte depuis votre "
            "traitement de texte ou enregistrez-le en texte brut (UTF-8).",
            code=code,
            line=line,
        ),
        line,
    )


def _names_line(message: str, line: int) -> bool:
    """Whether the message already says "ligne N" or "lignes M et N" (or, translated, what
    the catalogue makes of "ligne N")."""
    if re.search(rf"\b[Ll]igne {line}\b|\blignes [\d, et]*\b{line}\b", message):
        return True
    translated: str = _("ligne %(line)s", line=line)
    return translated.lower() in message.lower()


def _mention_line(message: str, line: int) -> str:
    mentioned: str
    if message.endswith("."):
        mentioned = _("%(message)s (ligne %(line)s).", message=message[:-1], line=line)
    else:
        mentioned = _("%(message)s (ligne %(line)s)", message=message, line=line)
    return mentioned


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


def _continues(previous: str, content: str) -> bool:
    """Whether `content`, read right after the line `previous` with no blank line between,
    is the rest of the same alinéa cut by a fixed-width wrapping."""
    return (
        not _ENDS_ALINEA.search(previous)
        and content[0].islower()
        and not _ITEM_START.match(content)
    )


def _is_thematic_break(content: str) -> bool:
    """A Markdown rule (``---``), or a line of dots: the mark parliamentary texts print where
    articles not reproduced are left out."""
    compact = "".join(content.split())
    if compact and not compact.strip(".…") and len(compact.replace("…", "...")) >= 3:
        return True
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
    numbers: list[str]  # one number, or those a grouped heading stands for
    title: str
    first_paragraph: str
    may_be_empty: bool  # its notes say it is deleted, unchanged or conforming
    grouped: str = ""  # the grouped heading as written ("Articles 4 à 6"), else ""
    label: str = ""  # "Annexe I" for an annex; else "Article <number>"


@dataclass
class _DivisionHeading:
    kind: str
    label: str
    title: str


def _match_article(candidate: str, line: int) -> _ArticleHeading | None:
    """The article heading this line is, if it is one. Raises TextImportError for a grouped
    heading whose articles cannot be listed."""
    match = _ARTICLE.match(candidate)
    if match is None:
        return _match_grouped_articles(candidate, line)
    number = _article_number(match)
    rest = match.group("rest")
    parts = _after_number(rest)
    if parts is None and number == ADDITIONAL:
        place = _ADDITIONAL_PLACE.match(rest)
        parts = ("", place.group("title").strip()) if place else None
    if parts is None:
        return None
    notes, inline = parts
    empty = bool(_EMPTY_NOTE.search(notes))
    if inline and _reads_as_alinea(inline):
        return _ArticleHeading([number], notes, inline, empty)
    return _ArticleHeading([number], _join_title(notes, _clean_title(inline)), "", empty)


def _match_annex(content: str) -> _ArticleHeading | None:
    """``ANNEXE``, ``Annexe II – Liste…``, ``Article ANNEXE``: the heading of an annex."""
    _level, candidate = _heading_candidate(content)
    match = _ANNEX.match(candidate)
    if match is None:
        return None
    number = " ".join(part for part in ("Annexe", match.group("number")) if part)
    title = _clean_title(match.group("title") or "")
    return _ArticleHeading([number], title, "", False, label=number)


def _match_grouped_articles(candidate: str, line: int) -> _ArticleHeading | None:
    """``Articles 4 à 6 (Supprimés)``: one heading standing for several articles."""
    match = _ARTICLES.match(candidate)
    if match is None:
        return None
    parts = _after_number(match.group("rest"))
    if parts is None or parts[1]:
        return None  # "Articles 1er à 3 : supprimés." is a sentence
    label = _collapse(candidate[: match.end("numbers")])
    pieces = _GROUP_PARTS.split(match.group("numbers"))
    numbers = []
    for piece in pieces:
        alone = _NUMBER_ALONE.match(piece.strip())
        if alone is None:
            return None
        numbers.append(_article_number(alone))
    if match.group("joint").lower() != "et":
        if len(numbers) != 2:
            return None
        numbers = _expand_range(numbers[0], numbers[1], label, line)
    notes = _PLURAL_NOTE.sub(lambda m: m.group(1), parts[0])
    return _ArticleHeading(numbers, notes, "", bool(_EMPTY_NOTE.search(notes)), label)


def _expand_range(first: str, last: str, label: str, line: int) -> list[str]:
    """The numbers from `first` to `last` (4 → 6, 4 → 4 quater, 1er A → 1er C, 3 bis AB →
    3 bis AD)."""
    numbers = _range_numbers(first, last)
    if numbers is None or not 2 <= len(numbers) <= MAX_GROUP_SIZE:
        raise TextImportError(
            _(
                "Ligne %(line)s : impossible de déduire la liste des articles que désigne "
                "« %(label)s ». Donnez à chaque article son intitulé (« Article %(first)s », …) "
                "ou énumérez-les (« Articles %(first)s, … et %(last)s »).",
                line=line,
                label=label,
                first=first,
                last=last,
            ),
            line,
        )
    return numbers


def _range_numbers(first: str, last: str) -> list[str] | None:
    a, b = _number_parts(first), _number_parts(last)
    if a is None or b is None:
        return None
    (base_a, latin_a, caps_a), (base_b, latin_b, caps_b) = a, b
    if not caps_a and not caps_b and not latin_a and not latin_b:
        start, end = _integer(base_a), _integer(base_b)
        if start is None or end is None or end - start >= MAX_GROUP_SIZE:
            return None
        return ["1er" if n == 1 else str(n) for n in range(start, end + 1)]
    if base_a == base_b and not caps_a and not caps_b:
        start, end = _latin_rank(latin_a) if latin_a else 1, _latin_rank(latin_b)
        if not latin_b or not 1 <= start < end < 100:
            return None
        return [base_a if n == 1 else f"{base_a} {latin_ordinal(n)}" for n in range(start, end + 1)]
    stem_a = f"{base_a} {latin_a}".strip()
    stem_b = f"{base_b} {latin_b}".strip()
    if stem_a == stem_b and caps_a and caps_b and caps_a[:-1] == caps_b[:-1] and caps_a < caps_b:
        head = caps_a[:-1]
        letters = range(ord(caps_a[-1]), ord(caps_b[-1]) + 1)
        return [f"{stem_a} {head}{chr(letter)}" for letter in letters]
    return None


def _number_parts(number: str) -> tuple[str, str, str] | None:
    """(base, Latin adverb or "", capitals or "") of a normalised number ("4 bis A" →
    ("4", "bis", "A")), None when its suffix has more parts than that."""
    tokens = number.split(" ")
    latin = caps = ""
    if len(tokens) > 1 and tokens[-1].isupper() and len(tokens[-1]) <= 3:
        caps = tokens.pop()
    if len(tokens) > 1 and _LATIN_WORD.fullmatch(tokens[-1]):
        latin = tokens.pop()
    if len(tokens) > 1 and not tokens[-1][:1].isdigit():
        return None  # "4 bis A bis", "199 terdecies-0 A"…
    return " ".join(tokens), latin, caps


def _integer(base: str) -> int | None:
    if base == "1er":
        return 1
    return int(base) if base.isdigit() else None


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
        latin = _LATIN_WORD.fullmatch(part.split("-")[0])
        parts.append(part.lower() if latin else part)
    return "".join(f" {part}" for part in parts)


def _after_number(rest: str) -> tuple[str, str] | None:
    """(parenthesised notes, text after a separator) of what follows a heading's number,
    ("", "") when nothing does, None when the line goes on as a sentence."""
    if not rest.strip():
        return "", ""
    notes = ""
    found = _NOTES.match(rest)
    if found:
        notes = _collapse(found.group("notes"))
        rest = rest[found.end() :]
        if not rest.strip():
            return notes, ""
    separated = _TITLE_AFTER_SEPARATOR.match(rest)
    if separated:
        return notes, separated.group("title").strip()
    return None


def _join_title(notes: str, title: str) -> str:
    return " – ".join(part for part in (notes, title) if part)


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
    parts = _after_number(rest)
    title = _join_title(parts[0], parts[1]) if parts is not None else _capitalised_title(rest)
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


def _doubt(candidate: str, line: int) -> str | None:
    """Why a line that is not a heading looks like one (a French clause), or None.

    Raises TextImportError when the line would be an article heading but for an unknown
    Latin-looking suffix: that is a typing error, and importing it would lose an article.
    """
    bare = candidate.rstrip(" »*_")
    if _SENTENCE_END.search(bare) and _unknown_suffix(candidate) is None:
        return None
    if _ARTICLE_LIKE.match(candidate):
        word = _unknown_suffix(candidate)
        if word is not None:
            raise TextImportError(
                _(
                    "Ligne %(line)s : « %(text)s » ressemble à un intitulé d'article, mais "
                    "« %(word)s » n'est pas un suffixe connu. Les suffixes reconnus sont bis, "
                    "ter, quater, quinquies, sexies, septies, octies, nonies, decies, puis "
                    "undecies, duodecies, terdecies, quaterdecies… vicies, unvicies… tricies…, "
                    "suivis le cas échéant de lettres capitales (« 11 quaterdecies B »). "
                    "Corrigez l'intitulé ; s'il s'agit d'un alinéa, commencez-le autrement "
                    "(« L'article … »).",
                    line=line,
                    text=_excerpt(candidate),
                    word=word,
                ),
                line,
            )
        heading = _ARTICLE.match(candidate)
        if heading is None:
            not_article: str = _("commence comme un intitulé d'article mais n'en a pas la forme")
            return not_article
        article_rest: str = _(
            "commence comme l'intitulé de l'article %(number)s, mais la suite (« %(rest)s ») "
            "n'est ni un suffixe (bis, ter…, A, B…), ni une mention entre parenthèses, ni un "
            "titre après un tiret ou deux-points",
            number=_article_number(heading),
            rest=_excerpt(heading.group("rest").strip(), 40),
        )
        return article_rest
    if _DIVISION_LIKE.match(candidate):
        heading = _DIVISION.match(candidate)
        if heading is None:
            not_division: str = _(
                "commence comme un intitulé de division (titre, chapitre…) mais n'en a pas la forme"
            )
            return not_division
        label = _collapse(candidate[: max(heading.end("suffix"), heading.end("number"))])
        division_rest: str = _(
            "commence comme l'intitulé « %(label)s », mais la suite (« %(rest)s ») n'est ni un "
            "titre après un tiret ou deux-points, ni un titre en capitales",
            label=label,
            rest=_excerpt(heading.group("rest").strip(), 40),
        )
        return division_rest
    return None


def _unknown_suffix(candidate: str) -> str | None:
    """The word that keeps an article heading from being one when it looks like a mistyped
    Latin adverb (``Article 11 undecimies``, ``Article 4 undécies``), else None."""
    match = _UNKNOWN_SUFFIX.match(candidate)
    if match is None or _after_number(match.group("rest")) is None:
        return None
    word = match.group("word")
    if _LATIN_WORD.fullmatch(word) or not (word.islower() or word.isupper()):
        return None
    lowered = word.lower()
    if lowered.endswith(("cies", "gies")) or difflib.get_close_matches(
        lowered, _KNOWN_LATIN, n=1, cutoff=0.8
    ):
        return word
    return None


# --- Slugs and checks ---------------------------------------------------------------------


def article_slug(address: str) -> str:
    """The slug an article number or a typed address stands for: « 1er », « premier », « Ier »
    and « 1 » all give "1", « 3 bis » gives "3-bis"."""
    address = _FIRST_WORDS.sub("1er", address.replace("-", " ").strip().lower())
    return _slug_base(address)


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
                where = (
                    _("ligne %(line)s", line=article.line)
                    if earlier.line == article.line
                    else _(
                        "lignes %(first)s et %(second)s", first=earlier.line, second=article.line
                    )
                )
                raise TextImportError(
                    _(
                        "L'article %(number)s apparaît deux fois (%(where)s) : chaque numéro "
                        "d'article doit être unique.",
                        number=article.number,
                        where=where,
                    ),
                    article.line,
                )
            first_line[base] = article
        slug, counter = base, 1
        while slug in taken:
            counter += 1
            slug = f"{base}-{counter}"
        taken.add(slug)
        article.slug = slug


def _excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


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


@dataclass
class _Group:
    """The articles read from the last article heading (several for a grouped heading)."""

    articles: list[ParsedArticle]
    label: str
    may_be_empty: bool


class _Parser:
    """Reads the text line by line and builds a ParsedText."""

    def __init__(self) -> None:
        self.result = ParsedText()
        self.stack: list[_OpenDivision] = []
        self.level_ranks: dict[int, float] = {}
        self.container: list[str] = self.result.preamble
        self.where: str = _("une ligne du préambule")  # what a line added to the container becomes
        self.group: _Group | None = None  # set while the container is an article's alinéas
        self.groups: list[_Group] = []
        self.pending_title: ParsedDivision | None = None
        self.depth = 0
        self.quotation = _Quotation()
        self.in_closing = False
        self.seen_content = False
        self.wrapped: list[str] | None = None  # the container whose last line may go on
        self.in_annex = False

    def feed(self, number: int, raw: str) -> None:
        """Read one line (1-based `number`)."""
        content = _line_content(raw)
        wrapped, self.wrapped = self.wrapped, None
        if not content:
            return
        if wrapped is not None and _continues(wrapped[-1], content):
            wrapped[-1] = f"{wrapped[-1]} {content}"
            before = self.depth
            self.depth = _quote_depth_after(content, before)
            self._track_quotation(number, before)
            self.wrapped = wrapped
            return
        pending, self.pending_title = self.pending_title, None
        annex = None if self.depth > 0 else _match_annex(content)
        if annex is not None and (self.result.articles or self.in_closing):
            self.in_closing = False
            self._open_article(number, annex)
            self.in_annex = True
            return
        if self.in_annex:
            self._append(number, content)
            return
        if self.in_closing:
            self.result.closing.append(content)
            return
        before = self.depth
        self.depth = _quote_depth_after(content, before)
        quoted = before > 0 or content.startswith("«")
        if quoted:
            self._note_swallowed_heading(number, content, before)
            self._append(number, content)
        else:
            self._read_unquoted(number, content, pending)
        self._track_quotation(number, before)
        self.seen_content = True

    def finish(self) -> ParsedText:
        """Check the structure read and return it."""
        if self.depth > 0 and self.quotation.swallowed_line is not None:
            raise TextImportError(
                _(
                    "Le guillemet « ouvert à la ligne %(opened)s n'est jamais refermé : la ligne "
                    "%(line)s (« %(text)s ») est lue comme une citation et non comme un "
                    "intitulé. Ajoutez le guillemet fermant » à la fin de la citation.",
                    opened=self.quotation.opened_at,
                    line=self.quotation.swallowed_line,
                    text=_excerpt(self.quotation.swallowed_text),
                ),
                self.quotation.opened_at,
            )
        if not self.result.articles:
            raise TextImportError(
                _(
                    "Aucun article n'a été trouvé. Chaque article doit commencer par une ligne "
                    "d'intitulé seule, par exemple « Article 1er », « Article 2 » ou « Article "
                    "unique », suivie de ses alinéas."
                )
            )
        self._check_paragraphs()
        _assign_slugs(self.result.articles)
        return self.result

    def _check_paragraphs(self) -> None:
        for group in self.groups:
            article = group.articles[0]
            if article.paragraphs or group.may_be_empty:
                continue
            if group.label:
                raise TextImportError(
                    _(
                        "L'intitulé « %(label)s » (ligne %(line)s) regroupe plusieurs articles "
                        "sans dire qu'ils sont supprimés ou non modifiés : ajoutez la mention "
                        "« (Supprimés) » ou « (Non modifiés) », ou donnez à chaque article son "
                        "intitulé et son texte.",
                        label=group.label,
                        line=article.line,
                    ),
                    article.line,
                )
            raise TextImportError(
                _(
                    "L'article %(number)s (ligne %(line)s) ne contient aucun alinéa : écrivez "
                    "son texte sur les lignes qui suivent son intitulé, ou indiquez "
                    "« (Supprimé) » s'il est supprimé.",
                    number=article.number,
                    line=article.line,
                ),
                article.line,
            )

    # Containers

    def _append(self, number: int, content: str) -> None:
        """Add a line to the current container (alinéas, intro or preamble)."""
        if self.group is not None and self.group.label:
            raise TextImportError(
                _(
                    "L'intitulé « %(label)s » (ligne %(line)s) regroupe plusieurs articles : ils "
                    "ne peuvent pas avoir de texte commun (ligne %(number)s). Donnez à chaque "
                    "article son intitulé et son texte.",
                    label=self.group.label,
                    line=self.group.articles[0].line,
                    number=number,
                ),
                number,
            )
        self.container.append(content)
        if self.group is not None:
            self.wrapped = self.container

    def _warn(self, number: int, text: str, reason: str | None, where: str) -> None:
        if reason is not None:
            self.result.warnings.append(
                TextWarning(
                    number,
                    text,
                    _("%(reason)s ; lue comme %(where)s", reason=reason, where=where),
                )
            )

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
        if _ARTICLE.match(candidate) or _ARTICLES.match(candidate) or _match_division(candidate):
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
        article = _match_article(candidate, number)
        if article is not None:
            self._open_article(number, article)
            return
        division = _match_division(candidate)
        if division is not None:
            self._open_keyword_division(number, division, level)
            return
        doubt = _doubt(candidate, number)
        if level is not None and candidate:
            if level == 1 and not self.seen_content:
                self.result.title = candidate
                where = _("le titre du texte")
            elif pending is not None:
                pending.title = candidate
                where = _("le titre de « %(label)s »", label=pending.label)
            else:
                self._open_heading(number, level, candidate)
                where = _("un intertitre")
            self._warn(number, candidate, doubt, where)
            return
        if pending is not None:
            pending.title = _clean_title(candidate)
            self._warn(
                number, candidate, doubt, _("le titre de « %(label)s »", label=pending.label)
            )
            return
        if doubt is None and self._add_notes(candidate):
            return
        self._append(number, content)
        self._warn(number, candidate, doubt, self.where)

    def _add_notes(self, candidate: str) -> bool:
        """A line of notes right after an article heading goes to its title: "(Supprimé)"."""
        group = self.group
        if group is None or group.articles[0].paragraphs:
            return False
        if len(candidate) > MAX_NOTE_LENGTH or not _NOTES_LINE.match(candidate):
            return False
        notes = _PLURAL_NOTE.sub(lambda m: m.group(1), _collapse(candidate))
        for article in group.articles:
            article.title = " ".join(part for part in (article.title, notes) if part)
        group.may_be_empty = group.may_be_empty or bool(_EMPTY_NOTE.search(notes))
        return True

    def _open_article(self, number: int, heading: _ArticleHeading) -> None:
        division = self.stack[-1].index if self.stack else None
        articles = [
            ParsedArticle(
                number=article_number,
                slug="",
                label=heading.label or f"Article {article_number}",
                title=heading.title,
                division=division,
                paragraphs=[heading.first_paragraph] if heading.first_paragraph else [],
                line=number,
            )
            for article_number in heading.numbers
        ]
        self.result.articles.extend(articles)
        self.group = _Group(articles, heading.grouped, heading.may_be_empty)
        self.groups.append(self.group)
        self.container = articles[0].paragraphs
        self.where = _("un alinéa de l'article %(number)s", number=articles[0].number)

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
        self.group = None
        self.where = (
            _("une ligne d'introduction de « %(label)s »", label=label)
            if label
            else _("une ligne d'introduction de l'intertitre « %(title)s »", title=_excerpt(title))
        )
        return division


def _closes(open_division: _OpenDivision, new: _OpenDivision) -> bool:
    """Whether `new` ends `open_division` (same or higher place in the hierarchy)."""
    if open_division.keyword and new.keyword:
        return open_division.rank >= new.rank
    if open_division.md_level is not None and new.md_level is not None:
        return open_division.md_level >= new.md_level
    return open_division.rank >= new.rank
