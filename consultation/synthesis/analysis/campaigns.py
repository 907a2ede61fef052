"""Campaigns: contributions sent many times, identical or nearly so.

An organisation often circulates a text that hundreds of people submit, some as is, some after
changing a few words or adding a sentence of their own. The synthesis counts such a campaign
once, with its size, and keeps what each person added: that part is a personal contribution
and must still be read. Nothing is discarded; every member is listed.

How it is computed:

1. **Identical texts.** Each text is normalised (case, accents, punctuation and spacing, see
   `text.normalise`) and grouped with the texts normalising to the same string. This costs one
   pass; the rest of the method works on one text per group, so a thousand copies cost what
   one does.
2. **Near-identical texts.** Each distinct text is cut into overlapping sequences of
   `SHINGLE_WORDS` consecutive words ("shingles"; a shorter text uses all its words as one
   shingle). Two texts are alike when they share most of their shingles (Jaccard similarity:
   shared shingles over all the shingles of the two). Comparing every pair would take hours
   at 85,000 texts, so each text gets a MinHash signature (datasketch, `NUM_PERM` hash
   functions: two signatures agree on a position with a probability equal to the similarity
   of the texts) and locality-sensitive hashing cuts the signatures into bands: texts with an
   identical band land in the same bucket. The bands are those datasketch's `MinHashLSH`
   chooses to catch pairs from `CANDIDATE_SIMILARITY` on; the buckets are formed with one
   sort per band over all signatures at once rather than by inserting texts one at a time
   into the index (same buckets, twenty times faster). In each bucket every text is compared
   with the bucket's first text, and the pairs whose estimated similarity reaches
   `CANDIDATE_SIMILARITY` are merged into candidate groups (connected components), so the work
   grows with the number of texts, never with its square.
3. **Check against the central text.** Merging pairs can chain texts that drift apart (A like
   B, B like C, C unlike A). In each candidate group the central text is the one most similar
   on average to the others, each weighted by how many people sent it (so the most sent text
   usually wins; estimated on the signatures, against at most `CENTRE_SAMPLE` texts of the
   group). A text stays in the campaign when it contains at least `THRESHOLD` of the central
   text's shingles and when at least `MIN_COMMON_SHARE` of its own shingles come from the
   central text (exact counts): an edited copy with a sentence of one's own stays, a long
   personal text that quotes the campaign is read as a contribution of its own. The texts
   left out are examined again for a campaign around another centre (at most `MAX_ROUNDS`
   times per group).
4. **What each person added.** A member's words are aligned with the central text's words
   (longest matching blocks, `difflib`); the words it has that the central text has not
   (inserted or replacing others) are its additions, quoted as written, separate passages
   joined by `ADDITION_SEPARATOR`.
5. **Only what says something.** An addition is kept as a personal text when it has at least
   `MIN_ADDITION_WORDS` content words: words of three letters or more that are neither French
   grammatical words (the `stop-words` list), nor numbers, nor the words of a politeness
   formula, a signature or a non-answer (`SIGNATURE_WORDS`: « cordialement », « merci »,
   « aucune », « rien »…), and when its content words are not all capitalised like names (a
   first name, a surname and a town are a signature). A changed word, « Aucune », « Merci,
   cordialement » or « Jean Dupont, Lyon » is not a personal text: the member stays in the
   campaign, nothing is quoted for them.

A group counts as a campaign from `MIN_SIZE` members, and when its central text has at least
`MIN_COMMON_WORDS` content words (`nonanswers.content_words`: grammatical words, numbers and
words of refusal or ignorance left out). A shorter common text (« Géothermie » ×13, « Santé,
éducation » ×16, « panneaux solaires » ×10, answers to a question that asks for a word or
two) is what many people answered, not a text circulated by an organisation: `split_short`
sets such groups apart as frequent answers, reported with their count, and their members take
part in the themes as individual texts. Non-answers (« RAS », « Non ») are set aside before
any of this (`nonanswers.is_non_answer`). Limits: a text that changes many words
of the campaign text, or a short campaign text edited in several places, may be missed (few
shingles survive); two campaigns that share most of their wording become one.
"""

from __future__ import annotations

import difflib
import functools
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import cast

import numpy as np
from datasketch import MinHash, MinHashLSH
from scipy import sparse
from scipy.sparse import csgraph

from consultation.synthesis.analysis.nonanswers import content_words
from consultation.synthesis.analysis.text import GRAMMATICAL_WORDS, normalise

MIN_SIZE = 3
THRESHOLD = 0.7
MIN_COMMON_SHARE = 0.5
SHINGLE_WORDS = 5
NUM_PERM = 128
CANDIDATE_SIMILARITY = 0.5
CENTRE_SAMPLE = 200
MAX_ROUNDS = 10
ADDITION_SEPARATOR = " […] "
MIN_ADDITION_WORDS = 3
MIN_COMMON_WORDS = 5
# Normalised (see text.normalise): politeness, signatures, non-answers.
SIGNATURE_WORDS = frozenset(
    """
    aucune aucun rien neant ras idem pareil ok oui non merci remerciements remercie cordialement
    cordiales cordial bonjour bonsoir salutations salutation sinceres sincerement
    respectueusement madame monsieur mesdames messieurs mme mlle veuillez agreer prie
    expression sentiments distinguees distingues meilleures meilleurs amities amitie signe
    signee signature nom prenom adresse
    """.split()  # noqa: SIM905
)

_WORD = re.compile(r"\S+")
_MASK32 = np.uint64(0xFFFFFFFF)
_MIX = np.uint64(0x01000193)


@dataclass(frozen=True)
class Campaign:
    representative_id: int  # the central member
    representative: str  # its text, as written
    member_ids: list[int]  # every member, representative included, ascending
    exact_ids: list[int]  # members identical to the representative after normalise()
    additions: dict[int, str]  # member id -> what that person added to the common text

    @property
    def count(self) -> int:
        return len(self.member_ids)


def find_campaigns(
    items: Iterable[tuple[int, str]],
    *,
    min_size: int = MIN_SIZE,
    threshold: float = THRESHOLD,
    progress: Callable[[float], None] | None = None,
) -> list[Campaign]:
    """Group identical and near-identical texts; campaigns of `min_size` members or more,
    biggest first."""
    report = progress or (lambda fraction: None)
    texts: dict[int, str] = {}
    ids_by_key: dict[str, list[int]] = {}
    for item_id, text in items:
        texts[item_id] = text
        ids_by_key.setdefault(normalise(text), []).append(item_id)
    ids_by_key.pop("", None)
    keys = list(ids_by_key)
    weights = np.array([len(ids_by_key[key]) for key in keys], dtype=np.int64)
    report(0.2)
    shingles = _shingle_hashes(keys)
    report(0.35)
    signatures = _signatures(shingles, lambda done: report(0.35 + 0.35 * done))
    groups = [g for g in _candidate_groups(signatures) if weights[g].sum() >= min_size]
    report(0.75)
    campaigns = []
    for done, group in enumerate(groups, start=1):
        for centre, members in _split(group, weights, signatures, shingles, min_size, threshold):
            campaigns.append(_campaign(centre, members, keys, ids_by_key, texts))
        report(0.75 + 0.25 * done / len(groups))
    report(1.0)
    return sorted(campaigns, key=lambda c: (-c.count, c.representative_id))


def split_short(
    groups: Iterable[Campaign], *, min_words: int = MIN_COMMON_WORDS
) -> tuple[list[Campaign], list[Campaign]]:
    """(campaigns, frequent answers): the groups whose central text has at least `min_words`
    content words, and the others (a short answer many people gave), each in the given order."""
    campaigns: list[Campaign] = []
    frequent: list[Campaign] = []
    for group in groups:
        long_enough = len(content_words(group.representative)) >= min_words
        (campaigns if long_enough else frequent).append(group)
    return campaigns, frequent


def _shingle_hashes(keys: list[str]) -> list[np.ndarray]:
    """Each text's shingles as 32-bit hashes, without building a string per shingle.

    Each distinct word is hashed once (CRC-32); the hashes of `SHINGLE_WORDS` consecutive
    words are then combined (multiply and exclusive-or, FNV-style) over all the texts at once.
    """
    cache: dict[str, int] = {}
    flat: list[int] = []
    lengths = np.empty(len(keys), dtype=np.int64)
    for row, key in enumerate(keys):
        words = key.split()
        hashes = [cache.get(word) for word in words]
        for position, value in enumerate(hashes):
            if value is None:
                word = words[position]
                hashes[position] = cache.setdefault(word, zlib.crc32(word.encode()))
        flat.extend(cast(list[int], hashes))  # every None was just replaced
        lengths[row] = len(words)
    word_hashes = np.array(flat, dtype=np.uint64)
    starts = np.cumsum(lengths) - lengths
    long_windows = _combine(word_hashes, SHINGLE_WORDS)
    result = []
    for start, length in zip(starts.tolist(), lengths.tolist(), strict=True):
        if length >= SHINGLE_WORDS:
            result.append(long_windows[start : start + length - SHINGLE_WORDS + 1])
        else:
            result.append(_combine(word_hashes[start : start + length], length))
    return result


def _combine(words: np.ndarray, width: int) -> np.ndarray:
    """Hash of every run of `width` consecutive word hashes."""
    count = len(words) - width + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint32)
    combined = words[:count].copy()
    for offset in range(1, width):
        combined = ((combined * _MIX) & _MASK32) ^ words[offset : offset + count]
    return combined.astype(np.uint32)


def _signatures(shingles: list[np.ndarray], progress: Callable[[float], None]) -> np.ndarray:
    """One MinHash signature per distinct text, as the rows of a matrix."""
    signatures = np.empty((len(shingles), NUM_PERM), dtype=np.uint32)
    sketches = MinHash.generator(shingles, num_perm=NUM_PERM, hashfunc=int)
    for row, sketch in enumerate(sketches):
        signatures[row] = sketch.hashvalues
        if row % 5000 == 4999:
            progress(row / len(shingles))
    return signatures


def _candidate_groups(signatures: np.ndarray) -> list[np.ndarray]:
    """Texts sharing an LSH bucket and similar enough, merged transitively."""
    count = len(signatures)
    if count < 2:
        return [np.arange(count)]
    lsh = MinHashLSH(threshold=CANDIDATE_SIMILARITY, num_perm=NUM_PERM)
    firsts, others = [], []
    for band in range(lsh.b):
        columns = np.ascontiguousarray(signatures[:, band * lsh.r : (band + 1) * lsh.r])
        _, bucket = np.unique(
            columns.view(np.dtype((np.void, 4 * lsh.r))).ravel(), return_inverse=True
        )
        order = np.argsort(bucket, kind="stable")
        sorted_buckets = bucket[order]
        starts = np.flatnonzero(np.r_[True, sorted_buckets[1:] != sorted_buckets[:-1]])
        first_of = order[starts][np.searchsorted(starts, np.arange(count), side="right") - 1]
        shared = order != first_of
        firsts.append(first_of[shared])
        others.append(order[shared])
    first, other = np.concatenate(firsts), np.concatenate(others)
    similar = _estimated_similarity(signatures, first, other) >= CANDIDATE_SIMILARITY
    graph = sparse.coo_matrix(
        (np.ones(int(similar.sum()), dtype=np.int8), (first[similar], other[similar])),
        shape=(count, count),
    )
    _, labels = csgraph.connected_components(graph, directed=False)
    order = np.argsort(labels, kind="stable")
    return np.split(order, np.flatnonzero(np.diff(labels[order])) + 1)


def _estimated_similarity(
    signatures: np.ndarray, left: np.ndarray, right: np.ndarray
) -> np.ndarray:
    """Share of signature positions where the two texts agree, pair by pair."""
    result = np.empty(len(left))
    for start in range(0, len(left), 8192):
        stop = start + 8192
        result[start:stop] = (signatures[left[start:stop]] == signatures[right[start:stop]]).mean(
            axis=1
        )
    return result


def _split(
    group: np.ndarray,
    weights: np.ndarray,
    signatures: np.ndarray,
    shingles: list[np.ndarray],
    min_size: int,
    threshold: float,
) -> Iterator[tuple[int, np.ndarray]]:
    """Yield (centre, members) for each campaign found in one candidate group."""
    remaining = np.asarray(group)
    distinct = {index: np.unique(shingles[index]) for index in remaining.tolist()}
    for _ in range(MAX_ROUNDS):
        if weights[remaining].sum() < min_size:
            return
        centre = _centre(remaining, weights, signatures)
        common = distinct[centre]
        kept = []
        for index in remaining.tolist():
            own = distinct[index]
            shared = np.intersect1d(common, own, assume_unique=True).size
            if shared >= threshold * common.size and shared >= MIN_COMMON_SHARE * own.size:
                kept.append(index)
        members = np.array(kept, dtype=np.int64)
        if weights[members].sum() >= min_size:
            yield centre, members
        remaining = np.setdiff1d(remaining, np.append(members, centre))


def _centre(candidates: np.ndarray, weights: np.ndarray, signatures: np.ndarray) -> int:
    """The text most similar on average to the others, each weighted by how often it was sent."""
    if len(candidates) == 1:
        return int(candidates[0])
    heaviest = candidates[np.argsort(-weights[candidates], kind="stable")][:CENTRE_SAMPLE]
    sample, sample_weights = signatures[heaviest], weights[heaviest]
    scores = np.empty(len(candidates))
    for start in range(0, len(candidates), 256):
        block = signatures[candidates[start : start + 256]]
        similar = (block[:, None, :] == sample[None, :, :]).mean(axis=2)
        scores[start : start + 256] = similar @ sample_weights
    return int(candidates[int(np.argmax(scores))])


def _campaign(
    centre: int,
    members: np.ndarray,
    keys: list[str],
    ids_by_key: dict[str, list[int]],
    texts: dict[int, str],
) -> Campaign:
    exact_ids = sorted(ids_by_key[keys[centre]])
    representative_id = exact_ids[0]
    representative = texts[representative_id]
    common = _words(representative)
    additions = {}
    for index in members:
        if index == centre:
            continue
        for member_id in ids_by_key[keys[index]]:
            added = added_words(common, texts[member_id])
            if is_personal(added):
                additions[member_id] = added
    return Campaign(
        representative_id=representative_id,
        representative=representative,
        member_ids=sorted(i for index in members for i in ids_by_key[keys[index]]),
        exact_ids=exact_ids,
        additions=dict(sorted(additions.items())),
    )


def _words(text: str) -> list[tuple[str, int, int]]:
    """(normalised word, start, end of the written token) for each word of `text`."""
    words = []
    for token in _WORD.finditer(text):
        for word in normalise(token.group()).split():
            words.append((word, token.start(), token.end()))
    return words


def added_words(common: list[tuple[str, int, int]] | str, text: str) -> str:
    """What `text` has that the common text has not, quoted as written ("" when nothing)."""
    if isinstance(common, str):
        common = _words(common)
    own = _words(text)
    matcher = difflib.SequenceMatcher(
        None, [w for w, _, _ in common], [w for w, _, _ in own], autojunk=False
    )
    spans: list[list[int]] = []
    for tag, _, _, j1, j2 in matcher.get_opcodes():
        if tag not in ("insert", "replace"):
            continue
        start, end = own[j1][1], own[j2 - 1][2]
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    return ADDITION_SEPARATOR.join(text[start:end] for start, end in spans)


@functools.cache
def _grammatical_words() -> frozenset[str]:
    return frozenset(word for entry in GRAMMATICAL_WORDS for word in normalise(entry).split())


def is_personal(addition: str) -> bool:
    """Whether an addition says something of its own (see step 5), rather than a changed word,
    a politeness formula, a signature or a non-answer."""
    content = [
        token
        for token in _WORD.findall(addition)
        for word in normalise(token).split()
        if len(word) >= 3
        and not word.isdigit()
        and word not in SIGNATURE_WORDS
        and word not in _grammatical_words()
    ]
    return len(content) >= MIN_ADDITION_WORDS and not all(map(_name_like, content))


def _name_like(token: str) -> bool:
    """Written like a name: a capital, then small letters (« Dupont », « Jean-Pierre »)."""
    letters = [c for c in token if c.isalpha()]
    return bool(letters) and letters[0].isupper() and any(c.islower() for c in letters[1:])
