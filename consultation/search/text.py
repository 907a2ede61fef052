"""French text as the search sees it: words folded (lower case, accents removed), common
words dropped, the rest reduced to their Snowball stem, so that "numerique" and
"numériques" are one term. The same folding serves the index (SQLite), the queries and the
highlighted extracts (both databases).

PostgreSQL indexes with its own `french` configuration over `unaccent` (the same Snowball
algorithm, accents removed first, as here): its matches and these highlights agree.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer
from stop_words import get_stop_words

from consultation.core.sanitize import Markup, mark_spans

# Letters and digits; an underscore or an apostrophe separates words ("l'accès": l, accès).
WORD = re.compile(r"[^\W_]+")
MAX_QUERY_TERMS = 12
EXTRACT_CHARS = 240

_stemmer = snowballstemmer.stemmer("french")


def fold(word: str) -> str:
    """Lower case without accents or ligature marks ("Élève" → "eleve")."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


STOP_WORDS = frozenset(fold(word) for word in get_stop_words("french"))


@lru_cache(maxsize=200_000)
def term(word: str) -> str | None:
    """The search term of one word, None for a word too common or too short to search."""
    folded = fold(word)
    if len(folded) < 2 or folded in STOP_WORDS:
        return None
    stem: str = _stemmer.stemWord(folded)
    return stem


def terms(text: str) -> list[str]:
    """Every term of `text`, in order (repeats kept: the index counts them)."""
    return [t for t in (term(w) for w in WORD.findall(text)) if t]


def index_text(text: str) -> str:
    """What the SQLite full-text table holds for `text`: its terms, space-separated."""
    return " ".join(terms(text))


def query_terms(query: str) -> list[str]:
    """The distinct terms of a query, in order, at most MAX_QUERY_TERMS."""
    seen: dict[str, None] = {}
    for t in terms(query):
        seen.setdefault(t, None)
    return list(seen)[:MAX_QUERY_TERMS]


def highlight(text: str, wanted: set[str]) -> Markup:
    """`text` escaped, each word whose term is wanted within <mark>."""
    return mark_spans(text, _spans(text, 0, len(text), wanted))


def extract(text: str, wanted: set[str], size: int = EXTRACT_CHARS) -> Markup:
    """About `size` characters of `text` around its first wanted word (its start when none
    is found), escaped, each wanted word within <mark>, an ellipsis where it is cut."""
    first = next((m for m in WORD.finditer(text) if term(m.group()) in wanted), None)
    start = 0
    if first is not None and first.start() > size // 3:
        start = _word_start(text, first.start() - size // 3)
    end = _word_end(text, min(len(text), start + size))
    spans = [(a - start, b - start) for a, b in _spans(text, start, end, wanted)]
    return mark_spans(text[start:end], spans, cut_before=start > 0, cut_after=end < len(text))


def _word_start(text: str, at: int) -> int:
    """The start of the first word beginning at or after `at`."""
    match = WORD.search(text, at)
    if match is None:
        return at
    if match.start() == at and at > 0 and WORD.match(text, at - 1):
        following = WORD.search(text, match.end())  # `at` fell inside a word: skip it
        return following.start() if following else at
    return match.start()


def _word_end(text: str, at: int) -> int:
    """`at`, moved back to the end of the last whole word before it."""
    if at >= len(text):
        return len(text)
    last = None
    for match in WORD.finditer(text, max(0, at - 60), at + 1):
        if match.end() <= at:
            last = match
    return last.end() if last else at


def _spans(text: str, start: int, end: int, wanted: set[str]) -> list[tuple[int, int]]:
    return [
        match.span() for match in WORD.finditer(text, start, end) if term(match.group()) in wanted
    ]
