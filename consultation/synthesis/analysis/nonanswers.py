"""Non-answers: contributions that say nothing of the subject (« RAS », « Non », « je ne sais
pas », « / », « sans avis », « rien à dire », « . »).

They are counted and shown as such in the draft, never as campaigns (twelve « RAS » are not a
coordinated text) and never in themes (they would make a theme of « rien, savoir, avis »).

How it is decided: the text is normalised (`text.normalise`: case, accents, punctuation) and
cut into words; a word says something of the subject when it has two letters or more and is
neither a French grammatical word (the `stop-words` list), nor a number, nor a word of
refusal, ignorance or reference to another answer (`EMPTY_WORDS`: « ras », « rien », « sais »,
« avis », « idée », « oui », « non », « réponse », « précédente »…). A text with fewer than
`MIN_CONTENT_WORDS` such words is a non-answer. « Non. » is one: in a consultation on a draft
text, a bare « Non » says nothing of the text. « Géothermie » is an answer (one content word),
and so is « Appliquer toutes mes propositions », which a reader may still judge empty: the rule
only sets aside what has no content word at all.
"""

from __future__ import annotations

import functools

from stop_words import get_stop_words

from consultation.synthesis.analysis.text import normalise

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


@functools.cache
def _grammatical_words() -> frozenset[str]:
    return frozenset(
        word for entry in get_stop_words("french") for word in normalise(entry).split()
    )


def content_words(text: str) -> list[str]:
    """The normalised words of `text` that may say something of the subject."""
    return [
        word
        for word in normalise(text).split()
        if len(word) >= 2
        and not word.isdigit()
        and word not in EMPTY_WORDS
        and word not in _grammatical_words()
    ]


def is_non_answer(text: str) -> bool:
    """Whether `text` says nothing of the subject (fewer than `MIN_CONTENT_WORDS` content
    words)."""
    return len(content_words(text)) < MIN_CONTENT_WORDS
