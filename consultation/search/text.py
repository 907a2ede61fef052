"""French text as the search sees it: words folded (lower case, accents removed), common
words dropped, the rest reduced to their Snowball stem, so that "numerique" and
"numériques" are one term. The same folding serves the index (SQLite), the queries and the
highlighted extracts (both databases).

PostgreSQL indexes with its own `french` configuration over `unaccent`: the Snowball stemmer
and the Snowball list of French common words, applied after the accents are removed. This
module does the same, so that both databases find the same answers: `STOP_WORDS` is that
list (`SNOWBALL_FRENCH`), and a word is dropped when its folded form is one of the list's
entries as written — an entry with an accent ("été", "même") never matches a folded word,
exactly as on PostgreSQL — with a few more articles and pronouns (`GRAMMATICAL`), left out of
the words PostgreSQL is given. Longer lists (the `stop-words` package's) drop words a consultation
is about: « l'État », « une fiscalité plus juste », « les personnes handicapées », « la voie
publique ». `tests/search/test_real_answers.py` compares both on the words of real answers.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

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


# The Snowball project's French stop list (snowballstem.org, BSD licence), as PostgreSQL's
# `french` text search configuration ships it (tsearch_data/french.stop).
SNOWBALL_FRENCH = frozenset(
    (
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "dans",
        "de",
        "des",
        "du",
        "elle",
        "en",
        "et",
        "eux",
        "il",
        "je",
        "la",
        "le",
        "leur",
        "lui",
        "ma",
        "mais",
        "me",
        "même",
        "mes",
        "moi",
        "mon",
        "ne",
        "nos",
        "notre",
        "nous",
        "on",
        "ou",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "qui",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "ta",
        "te",
        "tes",
        "toi",
        "ton",
        "tu",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "c",
        "d",
        "j",
        "l",
        "à",
        "m",
        "n",
        "s",
        "t",
        "y",
        "été",
        "étée",
        "étées",
        "étés",
        "étant",
        "étante",
        "étants",
        "étantes",
        "suis",
        "es",
        "est",
        "sommes",
        "êtes",
        "sont",
        "serai",
        "seras",
        "sera",
        "serons",
        "serez",
        "seront",
        "serais",
        "serait",
        "serions",
        "seriez",
        "seraient",
        "étais",
        "était",
        "étions",
        "étiez",
        "étaient",
        "fus",
        "fut",
        "fûmes",
        "fûtes",
        "furent",
        "sois",
        "soit",
        "soyons",
        "soyez",
        "soient",
        "fusse",
        "fusses",
        "fût",
        "fussions",
        "fussiez",
        "fussent",
        "ayant",
        "ayante",
        "ayantes",
        "ayants",
        "eu",
        "eue",
        "eues",
        "eus",
        "ai",
        "as",
        "avons",
        "avez",
        "ont",
        "aurai",
        "auras",
        "aura",
        "aurons",
        "aurez",
        "auront",
        "aurais",
        "aurait",
        "aurions",
        "auriez",
        "auraient",
        "avais",
        "avait",
        "avions",
        "aviez",
        "avaient",
        "eut",
        "eûmes",
        "eûtes",
        "eurent",
        "aie",
        "aies",
        "ait",
        "ayons",
        "ayez",
        "aient",
        "eusse",
        "eusses",
        "eût",
        "eussions",
        "eussiez",
        "eussent",
    )
)
# Articles, pronouns and conjunctions the Snowball list lacks: a query made of them alone
# finds nothing, on either database (PostgreSQL is given the query's other words only).
GRAMMATICAL = frozenset(("les", "cet", "cette", "leurs", "ça", "où", "dont", "car", "donc", "ni"))
STOP_WORDS = SNOWBALL_FRENCH | GRAMMATICAL


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
    return list(_query(query))


def query_words(query: str) -> list[str]:
    """The query's words that count, one per distinct term (what PostgreSQL is given)."""
    return list(_query(query).values())


def _query(query: str) -> dict[str, str]:
    seen: dict[str, str] = {}
    for word in WORD.findall(query):
        found = term(word)
        if found and found not in seen:
            seen[found] = word
    return dict(list(seen.items())[:MAX_QUERY_TERMS])


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
