"""Agreement measures used by the evaluation harness: plain functions, no state.

Topic agreement compares two labellings of the same answers (gold topics, found themes);
proposals are compared as character spans of the answers; grouping is compared pair by pair.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import combinations

from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float


def scores(true_positives: int, predicted: int, expected: int) -> Scores:
    """Precision, recall and F1 from counts; 0 where a ratio has nothing to divide."""
    precision = true_positives / predicted if predicted else 0.0
    recall = true_positives / expected if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1)


def nmi(gold: Sequence[Hashable], found: Sequence[Hashable]) -> float:
    """Normalised mutual information (arithmetic mean normalisation, scikit-learn's default)."""
    return float(normalized_mutual_info_score(gold, found))


def ari(gold: Sequence[Hashable], found: Sequence[Hashable]) -> float:
    """Adjusted Rand index: 1 for identical groupings, about 0 for chance agreement."""
    return float(adjusted_rand_score(gold, found))


def purity(gold: Sequence[Hashable], found: Sequence[Hashable]) -> float:
    """Share of answers whose found group's majority gold label is their own."""
    if not gold:
        return 0.0
    by_group: dict[Hashable, Counter[Hashable]] = {}
    for label, group in zip(gold, found, strict=True):
        by_group.setdefault(group, Counter())[label] += 1
    return sum(counter.most_common(1)[0][1] for counter in by_group.values()) / len(gold)


def coverage(placed: int, total: int) -> float:
    """Share of the answers that were placed in a group."""
    return placed / total if total else 0.0


Span = tuple[int, int, int]  # (answer id, start, end), end exclusive


def overlaps(first: Span, second: Span, share: float = 0.5) -> bool:
    """Same answer, and the overlap covers at least `share` of the shorter span."""
    if first[0] != second[0]:
        return False
    common = min(first[2], second[2]) - max(first[1], second[1])
    shorter = min(first[2] - first[1], second[2] - second[1])
    return shorter > 0 and common >= share * shorter


def match_spans(gold: Sequence[Span], predicted: Sequence[Span]) -> list[tuple[int, int]]:
    """One-to-one matches (gold index, predicted index), each gold span taking the first
    unmatched predicted span that overlaps it enough, largest overlap first."""
    pairs = []
    for g, gold_span in enumerate(gold):
        for p, predicted_span in enumerate(predicted):
            if overlaps(gold_span, predicted_span):
                common = min(gold_span[2], predicted_span[2]) - max(gold_span[1], predicted_span[1])
                pairs.append((-common, g, p))
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    matches = []
    for _, g, p in sorted(pairs):
        if g not in used_gold and p not in used_predicted:
            used_gold.add(g)
            used_predicted.add(p)
            matches.append((g, p))
    return sorted(matches)


def span_scores(gold: Sequence[Span], predicted: Sequence[Span]) -> Scores:
    """Precision and recall of predicted spans against gold spans (one-to-one matching)."""
    return scores(len(match_spans(gold, predicted)), len(predicted), len(gold))


def pairwise_grouping(gold: Sequence[Hashable], found: Sequence[Hashable]) -> Scores:
    """Pairwise precision/recall of a grouping: over every pair of items, "same found group"
    against "same gold group"."""
    together_found = together_gold = together_both = 0
    for first, second in combinations(range(len(gold)), 2):
        same_found = found[first] == found[second]
        same_gold = gold[first] == gold[second]
        together_found += same_found
        together_gold += same_gold
        together_both += same_found and same_gold
    return scores(together_both, together_found, together_gold)
