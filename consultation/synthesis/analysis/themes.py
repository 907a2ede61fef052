"""Themes: what the contributions talk about, found from their words.

The contributions are read as bags of words, and a theme is a set of words that tend to appear
together (topic modelling). The caller passes one text per campaign (its representative), so
that a text sent a thousand times weighs as one.

How it is computed:

1. **Words.** Each text is cut into words; each word is reduced to its dictionary form
   ("lemma": "hôpitaux" → "hôpital", "écoles" → "école") with simplemma, whose French data
   ships with the package. Only words that can say what a text is about are counted:
   grammatical words ("le", "de", "avec"…, the French list of the `stop-words` package), the
   words that carry a position (`STANCE_WORDS`: "pas", "contre", "pour", "sans", "plus"…)
   and all-purpose words found evenly in every topic (`NON_TOPICAL_WORDS`: "pouvoir",
   "falloir", "mettre", "chose", "gens"…) are left out. Position words separate two texts
   about the same measure, not two subjects: counted, they made a theme « ne, pas, mais, plus,
   pouvoir, savoir » out of every subject at once on real answers; stance is read elsewhere
   (opinion groups, statement kinds). Words found in fewer than `MIN_DOCUMENT_FREQUENCY` texts
   are left out; at most `MAX_TERMS` words are kept, the most frequent; lemmas that differ
   only by accents (« geothermie ») are one term. The lemmatiser was measured on the dev part
   of the evaluation corpus, the rest unchanged: simplemma NMI 0.38, no lemmatisation 0.23,
   spaCy's `fr_core_news_sm` 0.22 at about 4,000 words a second (85,000 contributions would
   take minutes): simplemma is kept.
2. **Weights.** Each text becomes a vector of TF-IDF weights (scikit-learn): a word weighs
   more when it is frequent in the text and rare in the others.
3. **Themes.** Non-negative matrix factorisation (NMF, scikit-learn) writes each text as a
   mix of a few themes, each theme being a weighted list of words. A text belongs to the theme
   that weighs most in its mix.
4. **How many themes.** The number is chosen from the data, between 2 and `max_themes`, by
   two measures (at most `SELECTION_TEXTS` texts are used for this choice). *Stability*: for
   each candidate number the model is fitted on two random samples of `STABILITY_SHARE` of the
   texts, and the two groupings of the texts they share are compared (adjusted Rand index: 1
   when they group the texts identically, about 0 when they agree only by chance), averaged
   over `STABILITY_PAIRS` pairs of samples. *Coherence*: for each theme of those fits, how
   often its key terms appear in the same texts (normalised pointwise mutual information of
   each pair of its `TERMS` key terms: 1 when they always appear together, 0 when they are
   independent, -1 when never together), averaged. A number is kept as a candidate when its
   stability reaches `MIN_STABILITY`, its coherence `MIN_COHERENCE` (key terms that appear
   together more often than by chance), and no two of its themes share `REDUNDANT_SHARE` or
   more of their key terms (it cut one theme in two); the largest candidate is chosen — a few
   detailed themes, which a moderator merges easily, rather than two vague ones; with no
   candidate, the most stable number. On the evaluation corpus's dev part (eight questions,
   `eval/README.md`) the previous rule, the largest number within 0.05 of the best stability
   of a single pair, kept 2 to 6 themes; this one keeps 8 to 12 (topic agreement on the
   held-out part: NMI 0.38 against 0.12, above the TF-IDF + k-means baseline's 0.19). The
   fits that only choose the number stop after `SELECTION_ITERATIONS` iterations. The
   silhouette of the groups is not used: on short texts it prefers two themes. The representation was measured
   too, at eight themes on the dev part: NMF on TF-IDF (NMI 0.42) did better than k-means on
   normalised TF-IDF (0.25) and than LSA + k-means (0.35); sublinear term frequency and word
   pairs changed it by less than 0.02 either way, so the plain TF-IDF of single lemmas is
   kept (it is also the fastest). The final model is then fitted on up to `FIT_TEXTS` texts
   and applied to the others.
5. **What is shown.** For each theme: its `TERMS` weightiest words; its texts; and
   `EXCERPTS` excerpts, taken from the texts that belong most clearly to the theme, skipping
   any text whose words overlap an excerpt already chosen by `NEAR_IDENTICAL` or more
   (Jaccard similarity of their word sets). An excerpt is the passage of the text where the
   theme's words weigh most, cut at sentence or word boundaries to `EXCERPT_LENGTH`
   characters, quoted as written; it starts at a substantive sentence: one with at least
   `MIN_EXCERPT_WORDS` theme words and no more position words than theme words (a theme made
   of one-word answers, with no such sentence, is quoted from any sentence that is not a
   non-answer). Each theme also has up to `PHRASES` key phrases (`key_phrases`): runs of two
   or three theme words, with link words allowed between them (« transports en commun »,
   « impôt sur le revenu »), found in at least `MIN_PHRASE_TEXTS` of its `PHRASE_TEXTS` most
   typical texts, ranked by how many texts have them times the theme's weight of their words,
   written as most often written; the theme's provisional name is made of them.

**Within an article** (`themes_within`): an article with at least `PART_MIN_TEXTS` substantive
texts (those the consultation's themes read: non-answers and campaign copies left out) gets
themes of its own, found from the weights already computed for the whole consultation
(`vectorise`, steps 1 and 2 done once): its texts' rows, its `PART_MAX_TERMS` most frequent
terms. The number of themes is chosen cheaply: from 2 up to one theme per
`PART_TEXTS_PER_THEME` texts (at most `PART_MAX_THEMES`), one fit per number on at most
`PART_SELECTION_TEXTS` of its texts, without the samples of the stability measure; the largest
number is kept whose themes are distinct (`REDUNDANT_SHARE`), coherent (`MIN_COHERENCE`) and
each hold at least `PART_MIN_THEME_SHARE` of the texts, else 2. The model is then fitted on up
to `PART_FIT_TEXTS` of its texts; each theme gets `PART_EXCERPTS` excerpts and key phrases from
its `PART_PHRASE_TEXTS` most typical texts. On the evaluation corpus's eight questions taken as
articles (volunteers' categories, all parts) this gave NMI 0.38 on average against 0.43 for
`find_themes` run on each question alone, four to six times faster; at RN×10 the 40 articles
take a few seconds instead of about 50.

Below `MIN_TEXTS` texts no theme is computed. Limits: a theme is a statistical regularity, not
an understanding; a text mixing several subjects is put under its main one; irony and
negation ("pas contre") are not understood, only counted.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache

import numpy as np
import simplemma
from scipy import sparse
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.metrics import adjusted_rand_score
from threadpoolctl import threadpool_limits

from consultation.synthesis.analysis.nonanswers import is_non_answer
from consultation.synthesis.analysis.text import (
    GRAMMATICAL_WORDS,
    NON_TOPICAL_WORDS,
    normalise,
)

MIN_TEXTS = 20
MIN_DOCUMENT_FREQUENCY = 2
MAX_TERMS = 20_000
STANCE_WORDS = frozenset(
    ("pas", "ne", "non", "ni", "contre", "pour", "sans", "plus", "moins", "trop")
    + ("aucun", "aucune", "jamais", "rien", "mais")
)
SELECTION_TEXTS = 2_500
STABILITY_SHARE = 0.8
STABILITY_PAIRS = 2
MIN_STABILITY = 0.4
MIN_COHERENCE = 0.0
REDUNDANT_SHARE = 0.5
FIT_TEXTS = 30_000
MAX_ITERATIONS = 300
SELECTION_ITERATIONS = 100  # the fits that only choose the number of themes
TERMS = 8
EXCERPTS = 4
PHRASES = 5
PHRASE_TEXTS = 200
MIN_PHRASE_TEXTS = 2
# Words allowed inside a key phrase, between its content words (« impôt sur le revenu »).
LINK_WORDS = frozenset(
    """de du des d la le les l sur en à au aux pour par contre""".split()  # noqa: SIM905
)
EXCERPT_LENGTH = 300
MIN_EXCERPT_WORDS = 5
NEAR_IDENTICAL = 0.5
EXCERPT_CANDIDATES = 40
LEMMA_CACHE = 200_000
# Themes within an article (`themes_within`; see "Within an article").
PART_MIN_TEXTS = 30
PART_MAX_THEMES = 5
PART_TEXTS_PER_THEME = 8
PART_MIN_THEME_SHARE = 0.1
PART_MAX_TERMS = 1_000
PART_SELECTION_TEXTS = 300
PART_SELECTION_ITERATIONS = 50
PART_FIT_TEXTS = 2_000
PART_ITERATIONS = 100
PART_EXCERPTS = 2
PART_PHRASE_TEXTS = 20

_TOKEN = r"(?u)\b[^\W\d_]+\b"
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
_ELIDED = {"n": "ne"}


@dataclass(frozen=True)
class Theme:
    terms: list[str]  # key terms (lemmas), weightiest first
    member_ids: list[int]  # contributions assigned to the theme
    excerpts: list[tuple[int, str]]  # (id, verbatim excerpt), representative, not alike
    phrases: list[str] = field(default_factory=list)  # key phrases, as most often written


@dataclass(frozen=True)
class Vectors:
    """The texts the themes read as TF-IDF weights of their lemmas (steps 1 and 2), kept so that
    the themes within a part of the consultation (`themes_within`) reuse them instead of
    reading the words again: `weights` has one row per item of `items`, in order (a text with
    no counted word has an empty row), one column per term of `terms`."""

    items: list[tuple[int, str]]
    weights: sparse.csr_matrix
    terms: np.ndarray

    @cached_property
    def _rows(self) -> dict[int, int]:
        """The row of each text that has a counted word, by id."""
        counted = self.weights.getnnz(axis=1)
        return {item_id: row for row, (item_id, _) in enumerate(self.items) if counted[row]}

    def rows_of(self, ids: Sequence[int]) -> np.ndarray:
        """The rows of the texts `ids` that have a counted word, in the order of `items`."""
        rows = self._rows
        return np.array(sorted({rows[i] for i in ids if i in rows}), dtype=np.int64)


def vectorise(items: Sequence[tuple[int, str]]) -> Vectors:
    """The weights of the texts `items` (id, text) as `find_themes` counts them."""
    items = list(items)
    if not items:
        return Vectors(items, sparse.csr_matrix((0, 0)), np.array([], dtype=object))
    weights, terms = _weights([text for _, text in items])
    return Vectors(items, weights, terms)


def find_themes(
    items: Sequence[tuple[int, str]],
    *,
    seed: int = 0,
    max_themes: int = 12,
    progress: Callable[[float], None] | None = None,
    vectors: Vectors | None = None,
) -> list[Theme]:
    """Topics of the texts, biggest first; [] when there are too few texts to say. `vectors`,
    when given, are the texts' weights already computed (`vectorise(items)`)."""
    report = progress or (lambda fraction: None)
    items = list(items)
    if len(items) < MIN_TEXTS:
        return []
    if vectors is None:
        vectors = vectorise(items)
    weights, terms = vectors.weights, vectors.terms
    report(0.2)
    if len(terms) < 2:
        return []
    keep = np.flatnonzero(weights.getnnz(axis=1))
    if len(keep) < MIN_TEXTS:
        return []
    weights = weights[keep]
    # One thread: the matrices are small, and threads fighting for shared cores cost more.
    with threadpool_limits(limits=1):
        largest = min(max_themes, len(keep) // 2, len(terms))
        count = _choose_count(weights, seed, largest, report)
        report(0.8)
        mix, components = _fit(weights, count, seed)
    report(0.9)
    themes = _themes(mix, components, terms, [items[i] for i in keep])
    report(1.0)
    return themes


def lemmas(text: str) -> list[str]:
    """The words of `text` the themes count: lemmas, grammatical words left out."""
    return [lemma for token in re.findall(_TOKEN, text.casefold()) if (lemma := _lemma(token))]


@cache
def _stop_words() -> frozenset[str]:
    return GRAMMATICAL_WORDS | STANCE_WORDS | NON_TOPICAL_WORDS


@lru_cache(maxsize=LEMMA_CACHE)
def _lemma(token: str) -> str | None:
    """The lemma counted for a lower-case word, or None for a word that says nothing of a topic
    (grammatical, position or all-purpose word)."""
    token = _ELIDED.get(token, token)
    if len(token) < 2 or token in _stop_words():
        return None
    lemma = simplemma.lemmatize(token, lang="fr").casefold()
    if lemma in _stop_words():
        return None
    return lemma


def _weights(texts: list[str]) -> tuple[sparse.csr_matrix, np.ndarray]:
    """TF-IDF weights of the lemmas: words are counted as written, then the columns of the
    forms of one lemma are added together (each distinct word is lemmatised once). Lemmas that
    differ only by accents (« géothermie », « geothermie ») are one term, named by its most
    frequent spelling."""
    counter = CountVectorizer(token_pattern=_TOKEN, lowercase=True, dtype=np.float32)
    try:
        counts = counter.fit_transform(texts)
    except ValueError:  # not a single word in any text
        return sparse.csr_matrix((len(texts), 0)), np.array([], dtype=object)
    forms = counter.get_feature_names_out()
    lemma_of = [_lemma(form) for form in forms]
    kept = [i for i, lemma in enumerate(lemma_of) if lemma]
    kept_keys = [_fold(lemma) for lemma in lemma_of if lemma]  # the term of each of `kept`
    vocabulary = sorted(set(kept_keys))
    column = {key: j for j, key in enumerate(vocabulary)}
    merge = sparse.csr_matrix(
        (np.ones(len(kept), dtype=np.float32), (kept, [column[key] for key in kept_keys])),
        shape=(len(forms), len(vocabulary)),
    )
    lemma_counts = (counts @ merge).tocsc()
    frequency = lemma_counts.getnnz(axis=0)
    frequent = np.flatnonzero(frequency >= MIN_DOCUMENT_FREQUENCY)
    frequent = frequent[np.argsort(-frequency[frequent], kind="stable")][:MAX_TERMS]
    frequent.sort()
    if len(frequent) == 0:
        return sparse.csr_matrix((len(texts), 0)), np.array([], dtype=object)
    weights = TfidfTransformer().fit_transform(lemma_counts[:, frequent].tocsr())
    return weights.astype(np.float64).tocsr(), _spellings(counts, lemma_of, vocabulary)[frequent]


def _spellings(
    counts: sparse.csr_matrix, lemma_of: list[str | None], vocabulary: list[str]
) -> np.ndarray:
    """The most frequent lemma of each term (terms are lemmas with accents folded)."""
    totals = np.asarray(counts.sum(axis=0)).ravel()
    by_lemma: dict[str, float] = {}
    for lemma, total in zip(lemma_of, totals.tolist(), strict=True):
        if lemma:
            by_lemma[lemma] = by_lemma.get(lemma, 0.0) + total
    best: dict[str, tuple[float, str]] = {}
    for lemma, frequency in by_lemma.items():
        key = _fold(lemma)
        if key not in best or (frequency, lemma) > best[key]:
            best[key] = (frequency, lemma)
    return np.array([best[key][1] for key in vocabulary], dtype=object)


@lru_cache(maxsize=LEMMA_CACHE)
def _fold(lemma: str) -> str:
    return normalise(lemma)


def _nmf(
    weights: sparse.csr_matrix, count: int, seed: int, iterations: int = MAX_ITERATIONS
) -> tuple[np.ndarray, NMF]:
    model = NMF(n_components=count, init="nndsvda", max_iter=iterations, random_state=seed)
    with _quiet():
        mix: np.ndarray = model.fit_transform(weights)
    return mix, model


@contextmanager
def _quiet() -> Iterator[None]:
    """An unfinished fit is still usable, and a perfect one makes the error term's square root
    see a rounding below zero: neither is worth a warning."""
    with warnings.catch_warnings(), np.errstate(invalid="ignore"):
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


def _choose_count(
    weights: sparse.csr_matrix, seed: int, largest: int, report: Callable[[float], None]
) -> int:
    """The largest number of themes that is stable across samples, does not cut a theme in two,
    and whose themes are nearly as coherent as the most coherent stable number's (step 4)."""
    if largest <= 2:
        return 2
    rng = np.random.default_rng(seed)
    sample = weights
    if weights.shape[0] > SELECTION_TEXTS:
        sample = weights[np.sort(rng.choice(weights.shape[0], SELECTION_TEXTS, replace=False))]
    size = sample.shape[0]
    present = (sample > 0).astype(np.float64).tocsc()
    pairs = []
    for _ in range(STABILITY_PAIRS):
        first = np.sort(rng.choice(size, int(size * STABILITY_SHARE), replace=False))
        second = np.sort(rng.choice(size, int(size * STABILITY_SHARE), replace=False))
        _, in_first, in_second = np.intersect1d(first, second, return_indices=True)
        pairs.append((first, second, in_first, in_second))
    stability, coherence, distinct = {}, {}, {}
    counts = range(2, largest + 1)
    for done, count in enumerate(counts, start=1):
        agreements, coherences, redundant = [], [], False
        for first, second, in_first, in_second in pairs:
            mix_first, model_first = _nmf(sample[first], count, seed, SELECTION_ITERATIONS)
            mix_second, model_second = _nmf(sample[second], count, seed, SELECTION_ITERATIONS)
            agreements.append(
                adjusted_rand_score(
                    mix_first.argmax(axis=1)[in_first], mix_second.argmax(axis=1)[in_second]
                )
            )
            coherences += [
                _coherence(model.components_, present) for model in (model_first, model_second)
            ]
            redundant = redundant or _redundant(model_first) or _redundant(model_second)
        stability[count] = float(np.mean(agreements))
        coherence[count] = float(np.mean(coherences))
        distinct[count] = not redundant
        report(0.2 + 0.6 * done / len(counts))
    candidates = [
        c
        for c in counts
        if distinct[c] and stability[c] >= MIN_STABILITY and coherence[c] >= MIN_COHERENCE
    ]
    if not candidates:
        return max(counts, key=lambda c: (distinct[c], stability[c]))
    return max(candidates)


def _coherence(components: np.ndarray, present: sparse.csc_matrix) -> float:
    """Mean coherence of the themes: for each theme, the normalised pointwise mutual information
    of every pair of its `TERMS` key terms, from how often they appear in the same text (1 when
    they always appear together, 0 when independent, -1 when never together)."""
    total = present.shape[0]
    scores = []
    for row in components:
        top = np.argsort(-row, kind="stable")[:TERMS]
        columns = present[:, top]
        together = (columns.T @ columns).toarray() / total
        alone = np.diag(together)
        first, second = np.triu_indices(len(top), 1)
        joint = together[first, second]
        with np.errstate(divide="ignore", invalid="ignore"):
            npmi = np.where(
                joint > 0,
                np.log(joint / (alone[first] * alone[second])) / -np.log(joint),
                -1.0,
            )
        scores.append(float(np.nan_to_num(npmi, nan=0.0).mean()) if len(joint) else 0.0)
    return float(np.mean(scores))


def _redundant(model: NMF) -> bool:
    """Whether two themes share at least `REDUNDANT_SHARE` of their key terms."""
    tops = [set(np.argsort(-row, kind="stable")[:TERMS].tolist()) for row in model.components_]
    return any(
        len(first & second) >= REDUNDANT_SHARE * TERMS
        for i, first in enumerate(tops)
        for second in tops[i + 1 :]
    )


def _fit(
    weights: sparse.csr_matrix,
    count: int,
    seed: int,
    iterations: int = MAX_ITERATIONS,
    most: int = FIT_TEXTS,
) -> tuple[np.ndarray, np.ndarray]:
    """The mix of themes of every text and the themes' word weights, the model fitted on at
    most `most` of the texts and applied to the others."""
    total = weights.shape[0]
    if total <= most:
        mix, model = _nmf(weights, count, seed, iterations)
        return mix, model.components_
    rng = np.random.default_rng(seed)
    fitted = np.sort(rng.choice(total, most, replace=False))
    _, model = _nmf(weights[fitted], count, seed, iterations)
    with _quiet():
        mix = model.transform(weights)
    return mix, model.components_


def themes_within(
    vectors: Vectors,
    ids: Sequence[int],
    *,
    seed: int = 0,
    max_themes: int = PART_MAX_THEMES,
) -> list[Theme]:
    """The themes of a part of the texts (an article's), from their weights in `vectors`
    (never read again), biggest first; [] below `PART_MIN_TEXTS` texts with a counted word.

    The number of themes is chosen cheaply (see "Within an article" above): from 2 up to one
    theme per `PART_TEXTS_PER_THEME` texts (at most `max_themes`), one fit per number on at most
    `PART_SELECTION_TEXTS` texts, the largest number whose themes are distinct (no two share
    `REDUNDANT_SHARE` of their key terms), coherent (`MIN_COHERENCE`) and each hold at least
    `PART_MIN_THEME_SHARE` of the texts; 2 when none is. The model is then fitted on the part's
    texts with that number."""
    rows = vectors.rows_of(ids)
    if len(rows) < PART_MIN_TEXTS:
        return []
    weights = vectors.weights[rows]
    frequency = weights.getnnz(axis=0)
    columns = np.flatnonzero(frequency >= MIN_DOCUMENT_FREQUENCY)
    columns = np.sort(columns[np.argsort(-frequency[columns], kind="stable")][:PART_MAX_TERMS])
    weights = weights[:, columns]
    keep = np.flatnonzero(weights.getnnz(axis=1))
    largest = min(max_themes, len(keep) // PART_TEXTS_PER_THEME, len(columns))
    if len(keep) < PART_MIN_TEXTS or largest < 2:
        return []
    weights, terms = weights[keep], vectors.terms[columns]
    items = [vectors.items[i] for i in rows[keep]]
    rng = np.random.default_rng(seed)
    sample = weights
    if weights.shape[0] > PART_SELECTION_TEXTS:
        chosen = np.sort(rng.choice(weights.shape[0], PART_SELECTION_TEXTS, replace=False))
        sample = weights[chosen]
    # The sample's fits read only the terms it has (the others would weigh nothing).
    sample = sample[:, np.flatnonzero(sample.getnnz(axis=0))]
    present = (sample > 0).astype(np.float64).tocsc()
    count = 2
    with threadpool_limits(limits=1):
        for candidate in range(2, largest + 1):
            mix, model = _nmf(sample, candidate, seed, PART_SELECTION_ITERATIONS)
            sizes = np.bincount(mix.argmax(axis=1), minlength=candidate)
            if (
                not _redundant(model)
                and _coherence(model.components_, present) >= MIN_COHERENCE
                and sizes.min() >= PART_MIN_THEME_SHARE * sample.shape[0]
            ):
                count = candidate
        mix, components = _fit(weights, count, seed, PART_ITERATIONS, PART_FIT_TEXTS)
    return _themes(
        mix, components, terms, items, excerpts=PART_EXCERPTS, phrase_texts=PART_PHRASE_TEXTS
    )


def _themes(
    mix: np.ndarray,
    components: np.ndarray,
    terms: np.ndarray,
    items: list[tuple[int, str]],
    *,
    excerpts: int = EXCERPTS,
    phrase_texts: int = PHRASE_TEXTS,
) -> list[Theme]:
    labels = mix.argmax(axis=1)
    strength = mix.max(axis=1)
    purity = strength / np.maximum(mix.sum(axis=1), 1e-12)
    themes = []
    for theme in range(components.shape[0]):
        members = np.flatnonzero((labels == theme) & (strength > 0))
        if len(members) == 0:
            continue
        word_weights = {
            _fold(str(term)): weight for term, weight in zip(terms, components[theme], strict=True)
        }
        top = np.argsort(-components[theme], kind="stable")[:TERMS]
        ranked = members[np.argsort(-(strength[members] * purity[members]), kind="stable")]
        themes.append(
            Theme(
                terms=[str(terms[i]) for i in top if components[theme, i] > 0],
                member_ids=sorted(items[i][0] for i in members),
                excerpts=_excerpts(
                    [items[i] for i in ranked[:EXCERPT_CANDIDATES]], word_weights, excerpts
                ),
                phrases=key_phrases([items[i][1] for i in ranked[:phrase_texts]], word_weights),
            )
        )
    return sorted(themes, key=lambda t: (-len(t.member_ids), t.member_ids[0]))


_PHRASE_GAP = re.compile(r"[\s'’-]*")


def key_phrases(texts: Sequence[str], word_weights: dict[str, float]) -> list[str]:
    """The theme's key phrases: runs of two or three content words, with link words allowed
    between them (`LINK_WORDS`: « transports en commun », « impôt sur le revenu »), found in at
    least `MIN_PHRASE_TEXTS` of `texts`, ranked by how many texts have them times the theme's
    weight of their words; each written as most often written (in lower case). A phrase whose
    words are all in a better one is left out."""
    found: dict[tuple[str, ...], set[int]] = {}
    written: dict[tuple[str, ...], Counter[str]] = {}
    for number, text in enumerate(texts):
        tokens = [
            (match.start(), match.end(), _fold(lemma) if (lemma := _lemma(word)) else None, word)
            for match in re.finditer(_TOKEN, text)
            for word in [match.group().casefold()]
        ]
        for first, (start, _, key, _) in enumerate(tokens):
            if key is None:
                continue
            words = [key]
            for previous, following in zip(
                tokens[first:], tokens[first + 1 : first + 6], strict=False
            ):
                if not _PHRASE_GAP.fullmatch(text, previous[1], following[0]):
                    break
                if following[2] is None:
                    if following[3] not in LINK_WORDS:
                        break
                    continue
                words.append(following[2])
                phrase = tuple(words)
                found.setdefault(phrase, set()).add(number)
                written.setdefault(phrase, Counter())[text[start : following[1]].casefold()] += 1
                if len(words) == 3:
                    break
    scored = sorted(
        (
            (-len(numbers) * sum(word_weights.get(word, 0.0) for word in phrase), phrase)
            for phrase, numbers in found.items()
            if len(numbers) >= MIN_PHRASE_TEXTS and len(set(phrase)) == len(phrase)
        ),
    )
    chosen: list[tuple[str, ...]] = []
    for score, phrase in scored:
        if score >= 0:
            break
        if any(set(phrase) <= set(better) for better in chosen):
            continue
        chosen.append(phrase)
        if len(chosen) == PHRASES:
            break
    return [" ".join(written[phrase].most_common(1)[0][0].split()) for phrase in chosen]


def _excerpts(
    candidates: list[tuple[int, str]], word_weights: dict[str, float], most: int = EXCERPTS
) -> list[tuple[int, str]]:
    """Up to `most` excerpts from texts not alike, each from a substantive sentence; from
    any sentence that is not a non-answer when no candidate has a substantive one (a theme of
    one-word answers)."""
    for substantive in (True, False):
        chosen: list[tuple[int, str]] = []
        seen: list[set[str]] = []
        for item_id, text in candidates:
            words = set(lemmas(text))
            if any(_jaccard(words, other) >= NEAR_IDENTICAL for other in seen):
                continue
            passage = excerpt(text, word_weights, substantive=substantive)
            if not passage:
                continue
            chosen.append((item_id, passage))
            seen.append(words)
            if len(chosen) == most:
                break
        if chosen:
            return chosen
    return []


def _jaccard(first: set[str], second: set[str]) -> float:
    union = len(first | second)
    return len(first & second) / union if union else 1.0


def substantive_sentence(sentence: str) -> bool:
    """Whether a sentence can be quoted for a theme: at least `MIN_EXCERPT_WORDS` theme words,
    and no more position words than theme words (« Je ne sais pas, mais pas plus. » is not)."""
    words = lemmas(sentence)
    position = sum(
        _ELIDED.get(token, token) in STANCE_WORDS
        for token in re.findall(_TOKEN, sentence.casefold())
    )
    return len(words) >= MIN_EXCERPT_WORDS and position <= len(words)


def excerpt(
    text: str,
    word_weights: dict[str, float],
    length: int = EXCERPT_LENGTH,
    *,
    substantive: bool = True,
) -> str:
    """The passage of `text` where the weighted words weigh most, at most `length` characters,
    as written; "…" marks a cut inside a sentence. The passage starts at a substantive sentence
    (`substantive_sentence`), or, when `substantive` is false, at any sentence that is not a
    non-answer; "" when there is none."""
    sentences = [s for s in _SENTENCE_END.split(text.strip()) if s.strip()]
    quotable = [
        index
        for index, sentence in enumerate(sentences)
        if (substantive_sentence(sentence) if substantive else not is_non_answer(sentence))
    ]
    if not quotable:
        return ""
    scores = [
        sum(
            word_weights.get(lemma, word_weights.get(_fold(lemma), 0.0))
            for lemma in lemmas(sentences[index])
        )
        for index in quotable
    ]
    best = quotable[int(np.argmax(scores))]
    passage = sentences[best].strip()
    for following in sentences[best + 1 :]:
        if len(passage) + 1 + len(following.strip()) > length:
            break
        passage = f"{passage} {following.strip()}"
    if len(passage) <= length:
        return passage
    cut = passage[: length - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return f"{cut}…"
