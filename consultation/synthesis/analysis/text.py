"""Text normalisation shared by the analyses.

Two contributions that differ only by capitals, accents, punctuation or spacing say the same
thing: "Je suis CONTRE l'article 3 !" and "je suis contre l article 3" normalise to the same
string. Letters are case folded (which also folds "ß" to "ss"), accents are removed by Unicode
decomposition, the ligatures œ and æ are spelled out, every character that is neither a letter
nor a digit becomes a space, and runs of spaces collapse to one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from stop_words import get_stop_words

# Words of the `stop-words` package's French list that name what a consultation is about:
# « l'État », « une fiscalité plus juste », « les personnes âgées », « la voie publique »,
# « le point d'indice ». They are content words for every analysis.
CONTENT_WORDS = frozenset(
    ("état", "droite", "force", "grande", "haut", "juste", "nom", "nommé", "nommée", "nommés")
    + ("nouveau", "nouveaux", "parole", "personne", "personnes", "pièce", "plein", "point")
    + ("sujet", "valeur", "voie", "mot", "début", "essai", "dos", "mine")
)
# The grammatical words the analyses leave out (as written, accents included).
GRAMMATICAL_WORDS = frozenset(get_stop_words("french")) - CONTENT_WORDS
# Frequent words that say nothing of a topic (step 1 of `themes`): spread evenly over the topics of
# the evaluation corpus's dev part (normalised entropy of their share of each topic's answers at
# least 0.8, found in six topics of eight or more: « pouvoir », « mettre », « permettre »,
# « savoir », « grand », « exemple », « an », « certains », « niveau »), the modal and
# all-purpose verbs and nouns of the same kind, and the adverbs that came up among the dev
# themes' key terms or phrases (« déjà », « mieux », « ainsi », « aujourd'hui »).
NON_TOPICAL_WORDS = frozenset(
    """
    pouvoir vouloir devoir falloir savoir faire mettre permettre donner aller penser croire
    trouver prendre voir dire passer rendre venir laisser arriver demander
    chose gens personne exemple an année fois cas niveau façon manière moment jour
    grand petit bon certains certain celui etc
    déjà assez ainsi surtout vraiment toujours beaucoup notamment mieux également actuellement
    aujourd hui
    """.split()  # noqa: SIM905
)

_ASCII_ALPHANUMERIC = bytes(
    code if chr(code).isascii() and chr(code).isalnum() else ord(" ") for code in range(256)
)
_COMBINING_MARKS = re.compile(r"[\u0300-\u036f]")
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Case folded, accents removed, punctuation to spaces, spaces collapsed."""
    folded = (text or "").casefold().replace("œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", folded)
    bare = _COMBINING_MARKS.sub("", decomposed)
    if bare.isascii():  # most French text once unaccented: a byte table is faster
        return " ".join(bare.encode().translate(_ASCII_ALPHANUMERIC).decode().split())
    return _NOT_ALPHANUMERIC.sub(" ", bare).strip()


def phrases_pattern(phrases: Iterable[str]) -> str:
    """A regular expression matching any of `phrases` (longest first), as a character trie:
    each character is tried once whatever the number of phrases; a space matches any spacing."""
    trie: dict[str, Any] = {}
    for phrase in phrases:
        node = trie
        for character in " ".join(phrase.split()):
            node = node.setdefault(character, {})
        node[""] = {}
    return _trie(trie)


def _trie(node: dict[str, Any]) -> str:
    branches = [
        (r"\s+" if character == " " else re.escape(character)) + _trie(child)
        for character, child in sorted(node.items())
        if character
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    return f"(?:{body})?" if "" in node else body


# Sentences and list items (`sentence_spans`).
_LINE = re.compile(r"[^\n\r]+")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"'»”)\]]*\s+")
_LIST_MARKER = re.compile(r"\s*(?:[-–—•*·▪►➢→]+|\d{1,2}\s*[.)°]|[a-zA-Z]\))\s*")
_INLINE_ITEMS = re.compile(r"\s*;\s*|\s+[-–—•]\s+")
_TRIM = " \t,;"


def sentence_spans(text: str) -> list[tuple[int, int, bool]]:
    """The sentences and list items of `text`, as `(start, end, is_item)` character spans,
    in order, surrounding spaces and separators left out.

    A sentence ends at « . », « ! », « ? » or « … » followed by a space, or at a line break.
    A line opening with a list marker (« - », « • », « * », « 1. », « 2) », « a) ») is a list
    item, its marker left out of the span; so is each part of a list announced by a colon and
    separated by « ; » or by « - » (« Mes propositions : réduire… ; supprimer… »). What comes
    before a colon is a sentence of its own, and so is what follows it (« Santé : accentuer
    la prévention. »)."""
    spans: list[tuple[int, int, bool]] = []
    for line in _LINE.finditer(text or ""):
        start, end = line.span()
        marker = _LIST_MARKER.match(text, start, end)
        item = marker is not None and marker.end() > start and not text[start:end].isspace()
        if marker is not None and item:
            start = marker.end()
        position = start
        for pause in _SENTENCE_BREAK.finditer(text, start, end):
            _sentence(text, position, pause.start() + len(pause.group().rstrip()), item, spans)
            position = pause.end()
        _sentence(text, position, end, item, spans)
    return spans


def _sentence(
    text: str, start: int, end: int, item: bool, spans: list[tuple[int, int, bool]]
) -> None:
    """Adds the sentence text[start:end], cut into items when it announces a list."""
    colon = text.find(":", start, end)
    if colon >= 0:
        parts = list(_INLINE_ITEMS.finditer(text, colon + 1, end))
        if parts:
            _add(text, start, colon, item, spans)
            position = colon + 1
            for separator in parts:
                _add(text, position, separator.start(), True, spans)
                position = separator.end()
            _add(text, position, end, True, spans)
            return
        _add(text, start, colon, item, spans)  # « Santé : accentuer les efforts… »
        start = colon + 1
    _add(text, start, end, item, spans)


def _add(text: str, start: int, end: int, item: bool, spans: list[tuple[int, int, bool]]) -> None:
    while start < end and (text[start] in _TRIM or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in _TRIM or text[end - 1].isspace()):
        end -= 1
    if start < end:
        spans.append((start, end, item))
