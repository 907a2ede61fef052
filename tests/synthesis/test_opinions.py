"""What all opinion groups agree on and what divides them, on votes whose groups are known:
nothing claimed on a few votes, a campaign counted once, consensus ranked by the product of the
groups' agree shares, cruxes by the spread between groups."""

from __future__ import annotations

import random

import pytest

from consultation.synthesis.analysis import opinions
from consultation.synthesis.analysis.opinions import (
    MIN_CLAIM_VOTES,
    OpinionMap,
    find_opinion_groups,
)

CAMP_A = list(range(1, 71))  # the bigger camp: "Groupe A"
CAMP_B = list(range(101, 161))
SPLIT = 20  # statements 0–9 agreed by camp A only, 10–19 by camp B only


def statement(number: int) -> tuple[str, int]:
    return ("contribution", number)


def two_camps() -> list[tuple[int, tuple[str, int], int]]:
    """Two camps that vote opposite ways on twenty statements: two clear groups."""
    votes = []
    for participant in CAMP_A + CAMP_B:
        in_a = participant in CAMP_A
        for number in range(SPLIT):
            votes.append((participant, statement(number), 1 if (number < 10) == in_a else -1))
    return votes


def planted(number: int, agree_a: int, voters_a: int, agree_b: int, voters_b: int) -> list:
    """Votes on one statement: the first `voters_*` of each camp, the first `agree_*` of them
    agreeing and the others disagreeing."""
    votes = []
    for camp, agree, voters in ((CAMP_A, agree_a, voters_a), (CAMP_B, agree_b, voters_b)):
        for rank, participant in enumerate(camp[:voters]):
            votes.append((participant, statement(number), 1 if rank < agree else -1))
    return votes


def groups_found(result: OpinionMap) -> None:
    assert result.clear
    assert [g.member_ids for g in result.groups] == [CAMP_A, CAMP_B]


def test_a_statement_with_few_votes_all_agreeing_is_not_a_consensus():
    votes = two_camps() + planted(50, 5, 5, 5, 5)  # 10 votes, all agreeing
    votes += planted(51, 10, 10, 10, 10)  # 20 votes, all agreeing: enough

    result = find_opinion_groups(votes)

    groups_found(result)
    assert MIN_CLAIM_VOTES == 20
    consensus = {s.statement: s for s in result.consensus}
    assert statement(50) not in consensus
    assert consensus[statement(51)].votes == 20
    assert statement(50) not in {s.statement for s in result.cruxes}


def test_consensus_is_ranked_by_the_product_of_the_groups_shares():
    # Smoothed shares: 41/52 = 0.79 in both groups (product 0.62, lowest 0.79), against
    # 51/52 = 0.98 and 38/52 = 0.73 (product 0.72, lowest 0.73): the product puts the second
    # first, the lowest share would not.
    votes = two_camps() + planted(60, 40, 50, 40, 50) + planted(61, 50, 50, 37, 50)
    votes += planted(62, 30, 50, 30, 50)  # 60 % in each group: 31/52 = 0.596, under the bar

    result = find_opinion_groups(votes)

    groups_found(result)
    assert [s.statement for s in result.consensus] == [statement(61), statement(60)]
    first, second = result.consensus
    assert first.group_agree == (round(51 / 52, 3), round(38 / 52, 3))
    assert second.group_agree == (round(41 / 52, 3), round(41 / 52, 3))
    assert first.lowest < second.lowest  # the order is not the lowest share's


def test_a_campaign_agreed_by_every_group_is_listed_once():
    copies = list(range(200, 206))  # six copies of one text, 200 its reference text
    votes = two_camps()
    for number in copies:
        votes += planted(number, 70, 70, 60, 60)  # everyone agrees

    alone = find_opinion_groups(votes)
    result = find_opinion_groups(votes, same_as={statement(n): statement(200) for n in copies})

    assert sorted(s.statement for s in alone.consensus) == [statement(n) for n in copies]
    groups_found(result)
    assert [s.statement for s in result.consensus] == [statement(200)]
    assert result.consensus[0].votes == 6 * 130
    assert result.consensus[0].group_agree == (round(421 / 422, 3), round(361 / 362, 3))


def test_a_campaign_counts_once_even_when_its_reference_text_got_no_vote():
    votes = two_camps() + planted(300, 70, 70, 60, 60) + planted(301, 70, 70, 60, 60)

    result = find_opinion_groups(votes, same_as={statement(300): 7, statement(301): 7})

    assert [s.statement for s in result.consensus] == [7]


def test_a_wide_divide_ranks_above_a_narrow_one(monkeypatch):
    monkeypatch.setattr(opinions, "MAX_CRUXES", 100)  # the planted split's twenty come first
    votes = two_camps() + planted(70, 45, 50, 5, 50)  # 90 % in A, 10 % in B
    votes += planted(71, 30, 50, 20, 50)  # 60 % / 40 %
    votes += planted(72, 5, 50, 45, 50)  # 10 % / 90 %: B for, A against
    votes += planted(73, 26, 50, 24, 50)  # 52 % / 48 %: no real divide
    votes += planted(74, 8, 9, 1, 9)  # 18 votes only
    votes += planted(75, 20, 50, 2, 50)  # 40 % / 4 %: no group mostly for it

    result = find_opinion_groups(votes)

    groups_found(result)
    order = [s.statement for s in result.cruxes]
    cruxes = dict(zip(order, result.cruxes, strict=True))
    assert order.index(statement(70)) < order.index(statement(71))
    assert order.index(statement(72)) < order.index(statement(71))
    assert cruxes[statement(70)].group_agree == (round(46 / 52, 3), round(6 / 52, 3))
    assert cruxes[statement(72)].group_agree == (round(6 / 52, 3), round(46 / 52, 3))
    assert cruxes[statement(71)].spread == pytest.approx(31 / 52 - 21 / 52, abs=0.001)
    assert not {statement(73), statement(74), statement(75)} & set(cruxes)
    # The planted split divides most: each of its statements is agreed by one camp only.
    assert set(order[:SPLIT]) == {statement(n) for n in range(SPLIT)}
    assert [s.spread for s in result.cruxes] == sorted(
        (s.spread for s in result.cruxes), reverse=True
    )


def test_cruxes_are_few():
    result = find_opinion_groups(two_camps() + planted(70, 45, 50, 5, 50))

    assert len(result.cruxes) == opinions.MAX_CRUXES


def test_no_cruxes_without_groups():
    rng = random.Random(3)
    votes = [(p, statement(n), rng.choice((1, 0, -1))) for p in range(1, 201) for n in range(15)]
    votes += [(p, statement(99), 1) for p in range(1, 201)]

    result = find_opinion_groups(votes)

    assert not result.clear and result.cruxes == []
    assert [s.statement for s in result.consensus] == [statement(99)]
    assert result.consensus[0].group_agree == (round(201 / 202, 3),)
