"""Non-answers: contributions that say nothing of the subject (« RAS », « Non », « je ne sais
pas », « / », « sans avis », « rien à dire », « . »).

They are counted and shown as such in the draft, never as campaigns (twelve « RAS » are not a
coordinated text) and never in themes (they would make a theme of « rien, savoir, avis »).

How it is decided: the text is cut into runs of letters, each normalised (`text.normalise`:
case, accents; digits are not letters); a word says something of the subject when it has two
letters or more and is neither a French grammatical word (the `stop-words` list) nor a word
of refusal, ignorance or reference to another answer (`EMPTY_WORDS`: « ras », « rien »,
« sais », « avis », « idée », « oui », « non », « réponse », « précédente »…). A text with fewer than
`MIN_CONTENT_WORDS` such words is a non-answer. « Non. » is one: in a consultation on a draft
text, a bare « Non » says nothing of the text. « Géothermie » is an answer (one content word),
and so is « Appliquer toutes mes propositions », which a reader may still judge empty: the rule
only sets aside what has no content word at all.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from itertools import islice

from consultation.synthesis.analysis.text import GRAMMATICAL_WORDS, normalise

MIN_CONTENT_WORDS = 1
# Normalised (see text.normalise): refusal, ignorance, no opinion, yes/no, and references to
# another answer or question.
EMPTY_WORDS = frozenset(
    """
    ras rien neant aucun aucune aucuns aucunes nul nulle idem pareil ok oui non si bof
    sais sait savoir connais connait idee idees avis opinion commentaire commentaires
    dire ajouter particulier special speciale na nc nsp sp cf voir vu
    reponse reponses question questions precedente precedentes precedent precedents
    dessus dessous haut ci derniere dernieres dernier derniers meme memes
    propos pense pas plus sans
    """.split()  # noqa: SIM905
)


_LETTERS = re.compile(r"[^\W\d_]+")


@functools.cache
def _grammatical_words() -> frozenset[str]:
    return frozenset(word for entry in GRAMMATICAL_WORDS for word in normalise(entry).split())


def _content(text: str) -> Iterator[str]:
    """The normalised content words of `text`, lazily: each run of letters, unaccented
    (`text.normalise`) when it has non-ASCII letters, kept unless grammatical or empty."""
    for match in _LETTERS.finditer((text or "").casefold()):
        word = match.group()
        for part in (word if word.isascii() else normalise(word)).split():
            if len(part) >= 2 and part not in EMPTY_WORDS and part not in _grammatical_words():
                yield part


def content_words(text: str) -> list[str]:
    """The normalised words of `text` that may say something of the subject."""
    return list(_content(text))


def is_non_answer(text: str) -> bool:
    """Whether `text` says nothing of the subject (fewer than `MIN_CONTENT_WORDS` content
    words); reading stops at the first content words it needs."""
    return sum(1 for _ in islice(_content(text), MIN_CONTENT_WORDS)) < MIN_CONTENT_WORDS
