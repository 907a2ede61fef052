"""Proposals: the concrete measures the contributions ask for, grouped and counted.

People answering a consultation write « il faudrait rétablir l'ISF », « Pourquoi ne pas taxer
le kérosène ? », « Supprimer le Sénat. » or a list « - réduction du nombre de députés ». The
same proposal comes back in dozens of answers with different wordings; the synthesis lists
each proposal once, with the number of contributions that make it and links to them.

How it is computed:

1. **Sentences.** Each text is cut into sentences and list items (`text.sentence_spans`: a
   sentence ends at « . », « ! », « ? », « … » or a line break; a line opening with « - »,
   « • », « * » or « 1. » is a list item, and so is each « ; »-separated part of a list
   announced by a colon; what follows a colon is read as a sentence of its own).
2. **Proposal sentences.** A sentence or item is a proposal when it shows one of these French
   cues, looked for in lower case with accents removed (so « IL FAUT », « il faudrai » and
   « Creer » count):
   - anywhere in it, a wording of obligation or wish (`MODAL_CUES`): « il faut », « il
     faudrait », « il serait bon / souhaitable / nécessaire de », « il est urgent de », « on
     devrait », « on pourrait », « l'État doit », « je propose », « je suggère », « je souhaite
     que », « nous demandons », « pourquoi ne pas », « la solution serait », « … est
     nécessaire », « stop à »… — unless it is one of the turns of phrase that only look like
     one (`NOT_PROPOSALS`: « il faut dire que », « s'il faut », « je dois dire »…);
   - at its start, after linking words such as « et », « donc », « enfin », « à mon avis »
     (`LEADING_WORDS`):
     - a wish opening with « que » (« Que l'on taxe le kérosène. »), when it is not a question;
     - an infinitive (« Créer… », « Sanctionner… », « Ne pas supprimer… », « Mieux former… »)
       or an imperative (« Taxons… », « Arrêtez… »). A word is an infinitive when simplemma's
       French dictionary gives it as the dictionary form of conjugated forms (« supprimait »,
       « supprimons », « supprimez », « supprimant » → « supprimer »), compared without
       accents; `NOT_INFINITIVES` lists the nouns spelled like one (« souvenir », « pouvoir
       d'achat »…);
     - an action noun (`ACTION_NOUNS`: « réduction de », « suppression de », « création de »,
       « mise en place de », « baisse de », « hausse de »…), alone, after « pour » or « un »
       (« Pour le maintien des aînés à domicile »), with any article in a list item (« - la
       suppression de l'ENA »); or a quantity asked for (« Plus de transparence »,
       « Davantage de contrôles »).
   A negated proposal (« il ne faut pas supprimer… », « Ne pas fermer… ») is a proposal too,
   a different one from its positive. A sentence with no word of its own once the cue is
   removed (« Il faut. ») is not a proposal. Each proposal is quoted as written (its character
   span in the text).
   A sentence is also cut before each clause that opens a proposal of its own after a comma,
   a semicolon, a bracket or « et » (« Lutter contre l'ingérence, surveiller les fonds et
   former les imams » is three proposals).
3. **What it says.** Each proposal is reduced to the set of its content words: the cue is
   removed, the words are reduced to their dictionary form (simplemma) and compared without
   accents, grammatical words (the French list of the `stop-words` package) and the words of
   the cues themselves (« falloir », « devoir », « proposer »…) are left out, an action noun
   becomes its verb (« suppression » → « supprimer », `ACTION_VERBS`), a few phrases and
   acronyms are read as one (`SYNONYMS`: « impôt sur la fortune » → « ISF », « remettre en
   place » → « rétablir »). A negation (« ne », « pas », « aucun », « jamais ») is kept as a
   mark: « ne pas supprimer le Sénat » and « supprimer le Sénat » are never grouped.
4. **Groups.** Two wordings are compared by their terms: the words of step 3 reduced to
   their stem (Snowball's French stemmer: « versée », « verser », « versement » → « vers »),
   numbers and all-purpose words left out (`GENERIC_WORDS`: « faire », « mettre », « déjà »,
   « exemple »…, the ones the themes leave out), the verbs of one measure read as one
   (`SAME_VERBS`: « diminuer », « baisser » → « réduire »). Two wordings with the same mark
   are near-identical when their terms differ by at most one term added, removed or replaced
   and they share at least `SIMILARITY` of them (Jaccard similarity: shared terms over all the
   terms of the two), or when they share at least `SHARED_TERMS` terms and `LOOSE_SIMILARITY`
   of them (« il faut diminuer le nombre de conseillers municipaux » and « réduire le nombre
   d'élus (députés, sénateurs, conseillers régionaux, départementaux) »). The wordings, most
   frequent first, join the group whose first wording is the most similar near-identical one,
   or start a group of their own. Every wording is compared with a group's first wording and
   never with its other members, so that groups do not drift from « supprimer le Sénat » to
   « supprimer l'ENA » through intermediate wordings. The candidate groups are found by
   look-ups: each first wording is indexed under its set of terms, each set it gives without
   one of them (two sets one term apart share one of these) and each three of its
   `LOOSE_TERMS` rarest terms in the consultation (two sets sharing three of those share
   one); a wording looks up the same keys of its own and reads at most `CANDIDATES` groups
   under each, so the work grows with the number of wordings, never with its square. The
   thresholds were chosen on the dev part of the evaluation corpus (`eval/README.md`): lower,
   they joined different proposals there (« Chaque habitant doit payer un impôt local » and
   « Que les impôts locaux soient les mêmes […] quelque soit le lieu d'habitation »).
   (Why not MinHash, as for campaigns: a proposal has a handful of terms, too few for
   signatures to estimate a similarity well, and the look-ups above find the near-identical
   pairs exactly, except two sets of more than `LOOSE_TERMS` terms sharing three terms that
   are not among their rarest, or a group beyond the first `CANDIDATES` under every key.)
   A sentence sent many times (a campaign's copies) is read once: its clauses, cues and words
   are kept for the next `SENTENCE_CACHE` distinct sentences.
5. **What is shown.** A group is labelled by its most frequent wording, quoted as written
   (cut at a word boundary to `LABEL_LENGTH` characters); it counts each contribution once,
   however many of its sentences it holds. Groups are listed most frequent first.

Limits: the cues are words, not an understanding: a proposal made without any of them
(« La gratuité des transports serait un progrès ») is missed, and a sentence using one for
something else (« On devrait voir le résultat l'an prochain ») is taken for a proposal. Two
wordings of one proposal with different words (« rétablir l'ISF » and « taxer davantage les
grandes fortunes ») are two groups, unless a synonym of the table joins them; in real answers
most rewordings of one proposal share fewer than three terms (« la proportionnelle » and
« un député élu au scrutin proportionnel sur liste départementale »), so they stay apart.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import combinations, islice
from typing import Any

import simplemma
import snowballstemmer

from consultation.synthesis.analysis.text import (
    GRAMMATICAL_WORDS,
    NON_TOPICAL_WORDS,
    normalise,
    phrases_pattern,
    sentence_spans,
)

SIMILARITY = 0.6
SHARED_TERMS = 3
LOOSE_SIMILARITY = 0.25
LOOSE_TERMS = 8
CANDIDATES = 100
LABEL_LENGTH = 120
LEMMA_CACHE = 200_000
SENTENCE_CACHE = 100_000

# Wordings of obligation or wish, anywhere in a sentence ("…" stands for the rest).
MODAL_CUES = (
    "il faut",
    "il faudrait",
    "il faudra",
    "faudrait-il",
    "ne faudrait-il pas",
    "il serait bon de",
    "il serait bien de",
    "il serait souhaitable de",
    "il serait nécessaire de",
    "il serait utile de",
    "il serait judicieux de",
    "il serait temps de",
    "il serait … de (pertinent, intéressant, préférable, opportun, normal, juste, logique, "
    "important, urgent)",
    "ne serait-il pas … de",
    "il est urgent de",
    "il est nécessaire de",
    "il est temps de",
    "il est … de (indispensable, essentiel, important, impératif, primordial, souhaitable)",
    "il conviendrait de",
    "il convient de",
    "il vaudrait mieux",
    "mieux vaudrait",
    "il suffirait de",
    "ce serait bien de",
    "on doit",
    "on devrait",
    "on pourrait",
    "ne pourrait-on pas",
    "nous devons",
    "nous devrions",
    "nous pourrions",
    "l'État doit",
    "l'État devrait",
    "… doit, doivent, devrait, devraient, devront (« les communes devraient… »)",
    "je propose",
    "je suggère",
    "je préconise",
    "je recommande",
    "je demande",
    "je souhaite",
    "je souhaiterais",
    "je voudrais",
    "j'aimerais",
    "je plaide pour",
    "nous proposons",
    "nous suggérons",
    "nous demandons",
    "nous souhaitons",
    "nous voudrions",
    "nous aimerions",
    "ma proposition",
    "notre proposition",
    "ma suggestion",
    "pourquoi ne pas",
    "pourquoi pas",
    "la solution serait",
    "un moyen serait",
    "l'idéal serait",
    "… est (serait, semble) nécessaire (indispensable, essentiel, urgent, souhaitable)",
    "stop à",
    "halte à",
)
# Turns of phrase that look like a cue but propose nothing.
NOT_PROPOSALS = (
    "il faut dire",
    "il faut avouer",
    "il faut reconnaître",
    "il faut savoir",
    "il faut croire",
    "il faut admettre",
    "il faut bien dire",
    "il faut noter",
    "il faut rappeler",
    "il faut souligner",
    "comme il faut",
    "quand il faut",
    "s'il faut",
    "si il faut",
    "lorsqu'il faut",
    "ce qu'il faut",
    "je dois dire",
    "je dois avouer",
    "je dois reconnaître",
    "on doit reconnaître",
    "on doit bien dire",
)
# Words that may open a sentence before its proposal.
LEADING_WORDS = (
    "et",
    "mais",
    "donc",
    "alors",
    "aussi",
    "enfin",
    "ensuite",
    "puis",
    "de plus",
    "en outre",
    "par ailleurs",
    "bref",
    "surtout",
    "également",
    "d'abord",
    "tout d'abord",
    "premièrement",
    "deuxièmement",
    "troisièmement",
    "selon moi",
    "à mon avis",
    "à mon sens",
    "pour moi",
    "personnellement",
    "en conclusion",
    "ainsi",
    "oui",
    "svp",
    "s'il vous plaît",
    "pour commencer",
    "pour finir",
    "je pense qu'",
    "je crois qu'",
    "il me semble qu'",
)
# Adverbs allowed between the start and an infinitive (« Mieux former… »).
ADVERBS = (
    "mieux",
    "davantage",
    "vraiment",
    "enfin",
    "aussi",
    "bien",
    "plutôt",
    "réellement",
    "systématiquement",
    "toujours",
    "encore",
    "vite",
    "rapidement",
    "absolument",
    "également",
)
# Nouns spelled like an infinitive, and infinitives used as nouns at a sentence's start.
NOT_INFINITIVES = (
    "souvenir",
    "sourire",
    "rire",
    "dîner",
    "déjeuner",
    "goûter",
    "coucher",
    "lever",
    "devoir",
    "pouvoir d'achat",
    "voir plus haut",
    "voir ci-dessus",
    "voir ci-dessous",
    "hier",
    "mer",
    "pierre",
    "super",
    "premier",
    "dernier",
    "entier",
    "cher",
)
# Action nouns that head a nominal proposal, with the verb each stands for when grouping.
ACTION_VERBS = {
    "réduction": "réduire",
    "suppression": "supprimer",
    "création": "créer",
    "mise en place": "instaurer",
    "mise en œuvre": "appliquer",
    "baisse": "baisser",
    "hausse": "augmenter",
    "augmentation": "augmenter",
    "diminution": "diminuer",
    "instauration": "instaurer",
    "taxation": "taxer",
    "interdiction": "interdire",
    "rétablissement": "rétablir",
    "retour": "rétablir",
    "abrogation": "abroger",
    "limitation": "limiter",
    "généralisation": "généraliser",
    "renforcement": "renforcer",
    "développement": "développer",
    "revalorisation": "revaloriser",
    "extension": "étendre",
    "simplification": "simplifier",
    "harmonisation": "harmoniser",
    "encadrement": "encadrer",
    "plafonnement": "plafonner",
    "remplacement": "remplacer",
    "maintien": "maintenir",
    "arrêt": "arrêter",
    "allègement": "alléger",
    "allongement": "allonger",
    "recrutement": "recruter",
    "obligation": "obliger",
    "sanction": "sanctionner",
    "gratuité": "gratuit",
    "prise en charge": "prendre charge",
    "prise en compte": "prendre compte",
    "réforme": "réformer",
    "refonte": "refondre",
    "fin": "arrêter",
    "aide": "aider",
    "soutien": "soutenir",
    "remboursement": "rembourser",
    "contrôle": "contrôler",
    "accès": "accéder",
    "lutte": "lutter",
    "investissement": "investir",
    "relocalisation": "relocaliser",
}
ACTION_NOUNS = tuple(ACTION_VERBS)
# Phrases and acronyms read as one word when grouping (compared as dictionary forms).
SYNONYMS = {
    "impôt sur la fortune": "isf",
    "impôt de solidarité sur la fortune": "isf",
    "remettre en place": "rétablir",
    "remise en place": "rétablir",
    "réinstaurer": "rétablir",
    "restaurer": "rétablir",
    "réintroduire": "rétablir",
    "mettre en place": "instaurer",
    "référendum d'initiative citoyenne": "ric",
    "école nationale d'administration": "ena",
    "caisse d'allocations familiales": "caf",
    "taxe sur la valeur ajoutée": "tva",
    "revenu de solidarité active": "rsa",
    "salaire minimum": "smic",
}
# Dictionary forms of the cues' own words, left out of what a proposal says.
CUE_WORDS = frozenset(
    ("falloir", "devoir", "pouvoir", "proposer", "suggerer", "preconiser", "recommander")
    + ("souhaiter", "vouloir", "aimer", "pourquoi", "etre", "avoir", "proposition")
    + ("suggestion", "urgent", "necessaire", "souhaitable", "important", "essentiel", "temps")
    + ("mieux", "davantage", "vraiment", "enfin", "egalement", "svp", "merci", "etat")
)
NEGATIONS = frozenset(("ne", "n", "pas", "aucun", "aucune", "jamais", "nul", "nulle"))
# All-purpose words left out when comparing proposals, those the themes leave out too:
# « faire mieux avec ce que nous payons déjà » and « il faut mettre l'accent sur la prévention »
# share no measure through « faire », « mettre », « déjà ».
GENERIC_WORDS = NON_TOPICAL_WORDS
# Verbs of one measure, compared as one (with the action nouns that stand for them:
# « baisse » → « baisser » → « réduire »).
SAME_VERBS = {
    "diminuer": "réduire",
    "baisser": "réduire",
    "abaisser": "réduire",
    "abolir": "supprimer",
    "abroger": "supprimer",
    "éliminer": "supprimer",
    "hausser": "augmenter",
    "relever": "augmenter",
    "accroître": "augmenter",
    "prohiber": "interdire",
    "bannir": "interdire",
    "instituer": "instaurer",
    "encourager": "favoriser",
    "promouvoir": "favoriser",
    "inciter": "favoriser",
}

_APOSTROPHES = "’‘ʼ`´′"
_TOKEN = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class ProposalSentence:
    contribution_id: int
    start: int
    end: int
    text: str  # text[start:end] of the contribution, as written


@dataclass
class ProposalGroup:
    label: str  # the most frequent wording, as written, at most LABEL_LENGTH characters
    sentences: list[ProposalSentence] = field(default_factory=list)

    @property
    def contribution_ids(self) -> list[int]:
        """The contributions making the proposal, each once, in the order of their sentences."""
        return list(dict.fromkeys(s.contribution_id for s in self.sentences))

    @property
    def count(self) -> int:
        """How many distinct contributions make the proposal."""
        return len(self.contribution_ids)


def proposal_spans(text: str) -> list[tuple[int, int]]:
    """The character spans of the proposal sentences and list items of `text`, in order."""
    text = text or ""
    return [(start, end) for start, end, _ in _clause_cues(text, fold(text))]


def find_proposals(items: Sequence[tuple[int, str]], *, min_count: int = 1) -> list[ProposalGroup]:
    """Every proposal of the texts `(contribution id, text)`, near-identical ones grouped;
    the groups made by at least `min_count` contributions, most frequent first."""
    wordings: dict[tuple[bool, frozenset[str]], list[ProposalSentence]] = defaultdict(list)
    for contribution_id, text in items:
        for start, end, key in _proposals(text or ""):
            sentence = ProposalSentence(contribution_id, start, end, text[start:end])
            wordings[key].append(sentence)
    groups = []
    for members in _group(wordings):
        group = ProposalGroup(_label(members), members)
        if group.count >= min_count:
            groups.append(group)
    return sorted(groups, key=lambda g: (-g.count, g.label))


def proposal_clauses(
    text: str, folded: str, sentences: list[tuple[int, int, bool]]
) -> list[tuple[int, int]]:
    """`proposal_spans` of a text whose `fold` and `text.sentence_spans` are already known."""
    return [(start, end) for start, end, _ in _clause_cues(text, folded, sentences)]


def proposal_cue(sentence: str, is_item: bool = False) -> tuple[int, int, bool] | None:
    """The cue of one sentence's proposal, `(start, end, negated)`: the characters to remove
    to keep what it proposes, and whether the proposal is negated; None when the sentence is
    not a proposal (by its cues alone)."""
    return cue_of_folded(fold(sentence), is_item)


def cue_of_folded(folded: str, is_item: bool = False) -> tuple[int, int, bool] | None:
    """`proposal_cue` of a sentence already folded."""
    modal = _modal().search(folded)
    while modal is not None:
        context = max(0, modal.start() - len("comme "))
        exclusion = _not_proposal().search(folded, context, modal.end() + len(" reconnaitre"))
        if exclusion is None or not exclusion.start() <= modal.start() < exclusion.end():
            start = modal.start("verb") if modal.group("verb") else modal.start()
            return start, modal.end(), _negated(modal)
        modal = _modal().search(folded, exclusion.end())
    lead = _lead().match(folded)
    position = lead.end() if lead else 0
    wish = _wish().match(folded, position)
    if wish is not None:
        if folded.rstrip().endswith("?"):
            return None
        return 0, wish.end(), False
    verbal = _verbal().match(folded, position)
    if verbal is not None:
        word = verbal.group("word")
        after = folded[verbal.end() : verbal.end() + 1]
        if after != "-" and _is_infinitive(word, folded[verbal.start("word") :]):
            return 0, verbal.start("word"), bool(verbal.group("neg"))
    nominal = (_item_noun() if is_item else _noun()).match(folded, position)
    if nominal is not None:
        if nominal.group("quantity"):
            return 0, nominal.start(), False
        return 0, nominal.start("noun" if nominal.group("noun") else "alone"), False
    return None


def content_key(
    sentence: str, cue_start: int, cue_end: int, negated: bool
) -> tuple[bool, frozenset[str]]:
    """What a proposal says, for grouping: (negated, its content words' dictionary forms),
    the cue `sentence[cue_start:cue_end]` left out."""
    rest = f"{sentence[:cue_start]} {sentence[cue_end:]}".translate(_QUOTES)
    words = [word.casefold() for word in _TOKEN.findall(rest)]
    lemmas = [_lemma(word) for word in words]
    negated = negated or any(word in NEGATIONS for word in lemmas)
    joined = " ".join(lemmas)
    synonyms, pattern = _synonyms()
    joined = pattern.sub(lambda match: synonyms[match.group()], joined)
    kept = frozenset(
        lemma
        for lemma in joined.split()
        if lemma not in _stop_words() and lemma not in CUE_WORDS and lemma not in NEGATIONS
    )
    return negated, kept


def fold(text: str) -> str:
    """`text` in lower case without accents, typographic apostrophes as « ' », character for
    character (the same length, so that a position in one is a position in the other)."""
    lowered = text.lower().replace("’", "'").replace("œ", "o")
    if len(lowered) == len(text):
        try:  # most French text is Latin-1 once its apostrophes are plain: a byte table
            return lowered.encode("latin-1").translate(_latin_table()).decode("latin-1")
        except UnicodeEncodeError:
            pass
    return text.translate(_fold_table())


@cache
def _latin_table() -> bytes:
    folded = [ord(_fold_table().get(code, chr(code))) for code in range(256)]
    return bytes(code if new > 255 else new for code, new in enumerate(folded))


_QUOTES = str.maketrans(dict.fromkeys(_APOSTROPHES, "'"))
_BOUNDARY = re.compile(r"\s*[,;(]\s*|\s+et\s+")


def _proposals(text: str) -> list[tuple[int, int, tuple[bool, frozenset[str]]]]:
    found = []
    for start, end, cue in _clause_cues(text, fold(text)):
        key = _key(text[start:end], cue)
        if key is not None:
            found.append((start, end, key))
    return found


def _clause_cues(
    text: str, folded: str, sentences: list[tuple[int, int, bool]] | None = None
) -> list[tuple[int, int, tuple[int, int, bool]]]:
    """`(start, end, cue)` of each clause of `text` (`folded`, its `fold`; `sentences`, its
    `sentence_spans` when already known) that is a proposal: with a cue and some word of its
    own once the cue is removed."""
    found = []
    for first, last, is_item in sentence_spans(text) if sentences is None else sentences:
        for start, end, cue in _sentence_cues(folded[first:last], is_item):
            found.append((first + start, first + end, cue))
    return found


@lru_cache(maxsize=SENTENCE_CACHE)
def _sentence_cues(
    folded: str, is_item: bool
) -> tuple[tuple[int, int, tuple[int, int, bool]], ...]:
    """`_clause_cues` of one folded sentence, positions in it (a sentence sent many times, in
    a campaign, is read once)."""
    found = []
    for start, end in _clauses(folded, 0, len(folded)):
        clause = folded[start:end]
        cue = cue_of_folded(clause, is_item or start > 0)
        if cue is not None and _has_content(clause, cue[0], cue[1]):
            found.append((start, end, cue))
    return tuple(found)


def _has_content(folded: str, cue_start: int, cue_end: int) -> bool:
    """Whether a folded clause has a word that is neither grammatical nor a cue's own once the
    cue folded[cue_start:cue_end] is removed (« Il faut. » has none)."""
    words = _TOKEN.findall(f"{folded[:cue_start]} {folded[cue_end:]}")
    return any(
        len(word) > 1 and word not in _stop_words() and word not in CUE_WORDS for word in words
    )


@lru_cache(maxsize=SENTENCE_CACHE)
def _key(sentence: str, cue: tuple[int, int, bool]) -> tuple[bool, frozenset[str]] | None:
    """What the proposal of one clause says, None when nothing is left (a clause sent many
    times, in a campaign, is read once)."""
    key = content_key(sentence, *cue)
    return key if key[1] else None


def _clauses(folded: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentence folded[start:end] cut before each clause that opens a proposal of its own
    after a comma, a semicolon, a bracket or « et » (« Lutter contre X, surveiller Y et former
    Z »); the sentence whole when there is none."""
    cuts = [
        boundary
        for boundary in _BOUNDARY.finditer(folded, start, end)
        if _opens_proposal(folded[boundary.end() : end])
    ]
    if not cuts:
        return [(start, end)]
    pieces, position = [], start
    for boundary in cuts:
        pieces.append((position, boundary.start()))
        position = boundary.end()
    pieces.append((position, end))
    return [(first, last) for first, last in pieces if last > first]


def _opens_proposal(folded: str) -> bool:
    """Whether a clause opens with an infinitive or an action noun (not a wish: « que »
    after a comma mostly opens a subordinate clause)."""
    verbal = _verbal().match(folded)
    if (
        verbal is not None
        and folded[verbal.end() : verbal.end() + 1] != "-"
        and _is_infinitive(verbal.group("word"), folded[verbal.start("word") :])
    ):
        return True
    nominal = _item_noun().match(folded)
    return nominal is not None and not nominal.group("quantity")


_Probe = frozenset[str] | tuple[str, ...]
_Index = dict[_Probe, list[int]]


def _group(
    wordings: dict[tuple[bool, frozenset[str]], list[ProposalSentence]],
) -> list[list[ProposalSentence]]:
    """The wordings' sentences, grouped around the most frequent wordings (see the module's
    docstring, step 4)."""
    weight = {key: len({s.contribution_id for s in members}) for key, members in wordings.items()}
    order = sorted(wordings, key=lambda key: -weight[key])  # stable: ties in reading order
    terms = {key: _terms(key[1]) for key in order}
    frequency = Counter(term for words in terms.values() for term in words)
    leaders: list[frozenset[str]] = []
    members_of: list[list[ProposalSentence]] = []
    # One index for the wordings with the negation mark, one for the others.
    indexes: tuple[_Index, _Index] = (defaultdict(list), defaultdict(list))
    for key in order:
        negated, words = key[0], terms[key]
        if len(words) <= LOOSE_TERMS:
            rarest = sorted(words)
        else:  # the rarest terms are the ones the fewest groups share
            rarest = sorted(words, key=lambda term: (frequency[term], term))[:LOOSE_TERMS]
        index, probes = indexes[negated], _probes(words, rarest)
        best = _most_similar(words, probes, leaders, index)
        if best >= 0:
            members_of[best].extend(wordings[key])
            continue
        for probe in probes:
            index[probe].append(len(leaders))
        leaders.append(words)
        members_of.append(list(wordings[key]))
    return members_of


def _probes(words: frozenset[str], rarest: list[str]) -> list[_Probe]:
    """What a set of terms is indexed and looked up under: itself and itself without each of
    its terms (two sets one term apart share one of these), and each three of its
    `LOOSE_TERMS` rarest terms (two sets sharing three of them share one)."""
    probes: list[_Probe] = [words]
    if len(words) > 1:
        probes.extend(words - {term} for term in words)
    probes.extend(combinations(sorted(rarest), SHARED_TERMS))
    return probes


def _most_similar(
    words: frozenset[str],
    probes: list[_Probe],
    leaders: list[frozenset[str]],
    index: _Index,
) -> int:
    """The group whose first wording is the most similar to `words` (the first such group
    on a tie) among the first `CANDIDATES` groups indexed under each probe; -1 when none is
    near-identical."""
    best, best_similarity, seen = -1, 0.0, set()
    size = len(words)
    for probe in probes:
        for candidate in islice(index.get(probe, ()), CANDIDATES):
            if candidate in seen:
                continue
            seen.add(candidate)
            other = leaders[candidate]
            shared = len(words & other)
            similarity = shared / (size + len(other) - shared)
            if (
                similarity >= SIMILARITY
                and max(size, len(other)) - shared <= 1
                or shared >= SHARED_TERMS
                and similarity >= LOOSE_SIMILARITY
            ) and (
                similarity > best_similarity or similarity == best_similarity and candidate < best
            ):
                best, best_similarity = candidate, similarity
    return best


def _terms(words: frozenset[str]) -> frozenset[str]:
    """The terms a proposal is compared by: its words' stems (Snowball's French stemmer,
    « versement » and « verser » → « vers »), all-purpose words (`GENERIC_WORDS`) and numbers
    left out, the verbs of one measure as one (`SAME_VERBS`); its words' stems when no other
    is left."""
    terms = frozenset(term for word in words if (term := _term(word)) is not None)
    return terms or frozenset(_stem(word) for word in words)


@lru_cache(maxsize=LEMMA_CACHE)
def _term(word: str) -> str | None:
    if word in _generic_words() or word.isdigit():
        return None
    return _stem(_same_verbs().get(word, word))


@lru_cache(maxsize=LEMMA_CACHE)
def _stem(word: str) -> str:
    return str(_stemmer().stemWord(word))


@cache
def _stemmer() -> Any:
    return snowballstemmer.stemmer("french")


@cache
def _generic_words() -> frozenset[str]:
    return frozenset(fold(word) for word in GENERIC_WORDS)


@cache
def _same_verbs() -> dict[str, str]:
    return {fold(verb): fold(one) for verb, one in SAME_VERBS.items()}


def _label(members: list[ProposalSentence]) -> str:
    """The most frequent wording (by distinct contributions; the shortest on a tie), as
    first written, cut at a word boundary to `LABEL_LENGTH` characters."""
    by_form: dict[str, set[int]] = defaultdict(set)
    first: dict[str, str] = {}
    for sentence in members:
        form = normalise(sentence.text)
        by_form[form].add(sentence.contribution_id)
        first.setdefault(form, sentence.text)
    form = min(by_form, key=lambda f: (-len(by_form[f]), len(f), f))
    label = " ".join(first[form].split())
    if len(label) <= LABEL_LENGTH:
        return label
    cut = label[: LABEL_LENGTH - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return f"{cut}…"


@cache
def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x24F + 1):
        character = chr(code)
        lowered = character.lower()
        if len(lowered) != 1:
            continue
        base = _base_character(lowered)
        if base != character:
            table[code] = base
    for apostrophe in _APOSTROPHES:
        table[ord(apostrophe)] = "'"
    table[ord("œ")] = "o"  # one character for one: « œ » is rare enough not to need two
    table[ord("Œ")] = "o"
    table[ord("æ")] = "a"
    table[ord("Æ")] = "a"
    return table


def _base_character(character: str) -> str:
    """One lower-case character without its accent (itself when it has none or no base)."""
    decomposed = unicodedata.normalize("NFKD", character)
    return decomposed[0] if decomposed and len(decomposed[0]) == 1 else character


@cache
def _folded(phrases: tuple[str, ...]) -> str:
    """A regular expression matching any of the folded phrases, longest first."""
    return phrases_pattern(fold(phrase) for phrase in phrases)


_END = r"(?![^\W_])"
_SUBJECT = (
    r"(?:l'etat|le gouvernement|l'administration|les pouvoirs publics|la france|l'europe"
    r"|la loi|le legislateur|les communes|les collectivites|les elus|les entreprises|chacun"
    r"|tout le monde|les [a-z]+|la [a-z]+|le [a-z]+|l'[a-z]+|[a-z]+)"
)


_DE = r"(?:(?:de|que)(?![^\W_])|d'|qu')"
_ADJECTIVES = (
    r"(?:bon|bien|souhaitable|necessaire|utile|judicieux|temps|grand\s+temps|pertinent"
    r"|interessant|preferable|opportun|normal|juste|logique|important|urgent|indispensable"
    r"|essentiel|imperatif|primordial|sage)"
)


@cache
def _modal() -> re.Pattern[str]:
    """The cues of `MODAL_CUES`; a group named `neg…` holds a negation of the cue itself, the
    group `verb` starts the cue when a subject comes before it (« les communes devraient »)."""
    counter = iter(range(100))

    def neg() -> str:
        return rf"(?P<neg{next(counter)}>n'|ne\s+)?"

    pas = r"(?:\s+(?:pas|plus|jamais))?"
    return re.compile(
        rf"(?<![^\W_])(?:"
        rf"(?:il\s+)?{neg()}(?:faut|faudrait|faudrai|faudrais|faudra|fallait)(?!-){pas}{_END}"
        rf"|(?P<neg{next(counter)}>ne\s+)(?:faut|faudrait)-il\s+pas|faudrait-il"
        rf"|il\s+{neg()}(?:serait|serai|est|sera){pas}\s+(?:plus\s+|tres\s+|donc\s+"
        rf"|vraiment\s+)?{_ADJECTIVES}\s+{_DE}"
        rf"|ne\s+serait-il\s+pas\s+(?:plus\s+)?{_ADJECTIVES}\s+{_DE}"
        rf"|ce\s+serait\s+(?:bien|bon|mieux|super|genial)\s+{_DE}"
        rf"|il\s+{neg()}(?:conviendrait|convient|suffirait|suffit){pas}\s+{_DE}"
        rf"|il\s+vaudrait\s+mieux|mieux\s+vaudrait"
        rf"|(?:on|nous|l'on)\s+{neg()}(?:doit|devrait|devrai|pourrait|pourrai|aurait\s+du"
        rf"|devons|devrions|pourrions|devra){pas}{_END}"
        rf"|ne\s+pourrait-on\s+pas|pourrait-on|ne\s+devrait-on\s+pas|devrait-on"
        rf"|{_SUBJECT}\s+(?P<verb>{neg()}(?:doit|doivent|devrait|devraient|devront|devra){pas})"
        rf"{_END}"
        rf"|(?:je\s+|j')(?:vous\s+)?(?:propose|suggere|preconise|recommande|demande"
        rf"|souhaite|souhaiterais|voudrais|aimerais|plaide\s+pour|reclame){_END}"
        rf"|nous\s+(?:vous\s+)?(?:proposons|suggerons|preconisons|recommandons|demandons"
        rf"|souhaitons|voudrions|aimerions|reclamons){_END}"
        rf"|(?:ma|notre|mes|nos)\s+(?:propositions?|suggestions?|recommandations?"
        rf"|demandes?){_END}"
        rf"|pourquoi\s+(?:ne\s+)?pas{_END}"
        rf"|(?:la|une|ma|notre|la\s+seule|la\s+meilleure)\s+solution\s+(?:serait|est|c'est)"
        rf"|(?:l'ideal|un\s+moyen|le\s+mieux)\s+serait"
        rf"|(?:est|sont|serait|seraient|semble|semblent|devient)\s+(?:plus\s+que\s+|tres\s+"
        rf"|absolument\s+|donc\s+)?(?:necessaire|indispensable|essentiel|essentielle"
        rf"|primordial|primordiale|urgent|urgente|souhaitable|imperatif|imperative){_END}"
        rf"|(?:stop|halte)\s+(?:a|au|aux){_END}"
        rf")"
    )


def _negated(match: re.Match[str]) -> bool:
    return any(value for name, value in match.groupdict().items() if name.startswith("neg"))


@cache
def _not_proposal() -> re.Pattern[str]:
    return re.compile(rf"(?<![^\W_])(?:{_folded(NOT_PROPOSALS)}){_END}")


@cache
def _lead() -> re.Pattern[str]:
    return re.compile(rf"(?:\W*(?:{_folded(LEADING_WORDS)})(?:{_END}|(?<=')))*[\s,:;.!]*")


@cache
def _wish() -> re.Pattern[str]:
    return re.compile(r"qu(?:e\s+(?:l'on|on)|'on|e|')(?:\s+|(?<='))")


@cache
def _verbal() -> re.Pattern[str]:
    return re.compile(
        r"(?P<neg>n'|ne\s+(?:pas|plus|jamais)\s+|ne\s+)?(?:(?:se|s')\s*)?"
        rf"(?:(?:{_folded(ADVERBS)})\s+)?"
        r"(?P<word>[^\W\d_]+)"
    )


_NOUN_HEAD = (
    r"(?:(?:plus|meilleure?|vraie?|nouvelle?|veritable)\s+)?(?P<noun>{nouns})"
    r"(?:\s+[^\W\d_]+)?\s*(?:(?:de|du|des|a|au|aux|en|sur|pour)(?![^\W_])|d')"
)


@cache
def _noun() -> re.Pattern[str]:
    """An action noun opening a sentence, with « pour » or an indefinite article (« Une
    réduction de la TVA », « Pour le maintien des aînés à domicile »), or a quantity
    (« Plus de transparence », « Davantage de contrôles »)."""
    head = _NOUN_HEAD.format(nouns=_folded(ACTION_NOUNS))
    return re.compile(
        rf"(?:(?:pour\s+(?:la|le|l'|les|un|une|des)|une|un)\s*)?{head}"
        r"|(?P<quantity>davantage|plus|moins)\s+(?:de\s+|d')(?=[^\W\d_]{4})"
    )


@cache
def _item_noun() -> re.Pattern[str]:
    """An action noun opening a list item, with any article, or alone (« - la suppression de
    l'ENA », « - réduction du nombre de députés », « - retour »)."""
    head = _NOUN_HEAD.format(nouns=_folded(ACTION_NOUNS))
    return re.compile(
        r"(?:(?:pour\s+)?(?:la|le|l'|les|une|un|des|une\s+vraie|un\s+vrai)\s*)?"
        rf"(?:{head}|(?:plus|meilleure?|vraie?|nouvelle?)?\s*(?P<alone>{_folded(ACTION_NOUNS)})\s*$)"
        r"|(?P<quantity>davantage|plus|moins)\s+(?:de\s+|d')(?=[^\W\d_]{4})"
    )


def _is_infinitive(word: str, rest: str) -> bool:
    """Whether `word`, opening `rest` (both folded), is an infinitive or an imperative."""
    if word in _not_infinitives() or any(
        rest.startswith(phrase) for phrase in _not_infinitive_phrases().get(word, ())
    ):
        return False
    return _verb(word)


@lru_cache(maxsize=LEMMA_CACHE)
def _verb(word: str) -> bool:
    if word.endswith(("ons", "ez")):
        regular = word[: -3 if word.endswith("ons") else -2] + "er"  # « commencons »
        if regular in _infinitives() and not word.endswith("assez"):
            return True
        lemma = fold(simplemma.lemmatize(word, lang="fr"))
        return lemma != word and lemma in _infinitives() and not word.endswith("assez")
    return word in _infinitives()


@cache
def _not_infinitives() -> frozenset[str]:
    return frozenset(fold(phrase) for phrase in NOT_INFINITIVES if " " not in phrase)


@cache
def _not_infinitive_phrases() -> dict[str, tuple[str, ...]]:
    phrases: dict[str, list[str]] = defaultdict(list)
    for phrase in NOT_INFINITIVES:
        if " " in phrase:
            folded = fold(phrase)
            phrases[folded.split()[0]].append(folded)
    return {word: tuple(forms) for word, forms in phrases.items()}


@cache
def _infinitives() -> frozenset[str]:
    """French infinitives, without accents: the dictionary forms of conjugated forms in
    simplemma's French dictionary."""
    from simplemma.strategies.dictionaries.dictionary_factory import DEFAULT_DICTIONARY_FACTORY

    # The dictionary `simplemma.lemmatize` loads, shared rather than read a second time.
    dictionary = DEFAULT_DICTIONARY_FACTORY.get_dictionary("fr")
    found = set()
    for form, lemma in dictionary.items():
        if form.endswith(("ait", "ons", "ez", "ant")) and lemma.endswith(("er", "ir", "re", "oir")):
            found.add(fold(lemma))
    found.update(("etre", "avoir", "faire"))
    return frozenset(found)


@cache
def _stop_words() -> frozenset[str]:
    words = {fold(word) for word in GRAMMATICAL_WORDS}
    return frozenset(words | {"l", "d", "j", "s", "c", "qu", "m", "t", "y"})


@lru_cache(maxsize=LEMMA_CACHE)
def _lemma(word: str) -> str:
    """The dictionary form of a lower-case word, without accents, an action noun as its verb."""
    folded = fold(word)
    if folded in _stop_words() or len(folded) < 2 or folded.isdigit():
        return folded
    lemma = fold(simplemma.lemmatize(word, lang="fr").casefold())
    return _action_verbs().get(lemma, _action_verbs().get(folded, lemma))


@cache
def _action_verbs() -> dict[str, str]:
    return {fold(noun): fold(verb) for noun, verb in ACTION_VERBS.items() if " " not in noun}


@cache
def _synonyms() -> tuple[dict[str, str], re.Pattern[str]]:
    """The phrases of `SYNONYMS` and `ACTION_VERBS` as dictionary forms, and a pattern finding
    them in a text of dictionary forms, longest first."""
    table = {**{n: v for n, v in ACTION_VERBS.items() if " " in n}, **SYNONYMS}
    phrases = {
        " ".join(_lemma(w.casefold()) for w in _TOKEN.findall(phrase.translate(_QUOTES))): " ".join(
            _lemma(w) for w in _TOKEN.findall(replacement)
        )
        for phrase, replacement in table.items()
    }
    alternatives = "|".join(re.escape(phrase) for phrase in sorted(phrases, key=len, reverse=True))
    return phrases, re.compile(rf"(?<!\S)(?:{alternatives})(?!\S)")
