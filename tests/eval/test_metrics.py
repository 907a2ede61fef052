import pytest

from eval import metrics


def test_purity_counts_each_groups_majority():
    gold = ["a", "a", "b", "b", "b", "c"]
    found = [1, 1, 1, 2, 2, 2]
    # group 1: a,a,b -> 2; group 2: b,b,c -> 2
    assert metrics.purity(gold, found) == pytest.approx(4 / 6)
    assert metrics.purity([], []) == 0.0


def test_identical_groupings_agree_fully_whatever_the_names():
    gold = ["a", "a", "b", "b"]
    found = [7, 7, 3, 3]
    assert metrics.nmi(gold, found) == pytest.approx(1.0)
    assert metrics.ari(gold, found) == pytest.approx(1.0)
    assert metrics.purity(gold, found) == 1.0


def test_one_group_for_everything_carries_no_information():
    gold = ["a", "a", "b", "b"]
    assert metrics.nmi(gold, [0, 0, 0, 0]) == pytest.approx(0.0)
    assert metrics.ari(gold, [0, 0, 0, 0]) == pytest.approx(0.0)
    assert metrics.purity(gold, [0, 0, 0, 0]) == 0.5


def test_coverage():
    assert metrics.coverage(3, 4) == 0.75
    assert metrics.coverage(0, 0) == 0.0


def test_scores_from_counts():
    result = metrics.scores(2, 4, 8)
    assert (result.precision, result.recall) == (0.5, 0.25)
    assert result.f1 == pytest.approx(2 * 0.5 * 0.25 / 0.75)
    assert metrics.scores(0, 0, 3) == metrics.Scores(0.0, 0.0, 0.0)


def test_spans_overlap_by_half_of_the_shorter():
    assert metrics.overlaps((1, 0, 10), (1, 5, 30))  # 5 of the shorter 10
    assert not metrics.overlaps((1, 0, 10), (1, 6, 30))  # 4 of 10
    assert not metrics.overlaps((1, 0, 10), (2, 0, 10))  # another answer
    assert metrics.overlaps((1, 10, 12), (1, 0, 100))  # the short one inside the long one


def test_spans_match_one_to_one():
    gold = [(1, 0, 10), (1, 20, 30)]
    predicted = [(1, 0, 30)]  # overlaps both, counts once
    assert metrics.match_spans(gold, predicted) == [(0, 0)]
    result = metrics.span_scores(gold, predicted)
    assert (result.precision, result.recall) == (1.0, 0.5)


def test_pairwise_grouping():
    gold = ["x", "x", "y", "y"]
    found = [1, 1, 1, 2]
    # found pairs together: (0,1) (0,2) (1,2) = 3; gold pairs: (0,1) (2,3) = 2; both: (0,1)
    result = metrics.pairwise_grouping(gold, found)
    assert result.precision == pytest.approx(1 / 3)
    assert result.recall == pytest.approx(1 / 2)
