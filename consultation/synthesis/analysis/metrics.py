"""Vote metrics of the draft: how supported and how divisive an item is.

Support is the lower bound of the 95 % Wilson interval of the share of favourable votes, a
mixed vote counting as half a favourable one (`wilson_lower_bound`, the score the
`popular` ordering already uses). It ranks three unanimous votes below three hundred mostly
favourable ones: the fewer the votes, the more cautious the bound.

Controversy is 2·min(agree, disagree) / (agree + disagree): 1 when the camps are exactly
balanced, 0 when everyone votes the same way. A ratio over a handful of votes means nothing,
so it is only given from `MIN_CONTROVERSY_VOTES` votes (agree + disagree; mixed votes take no
side and are left out). `controversy` (twice the smaller camp, a count) is the stored score
that orders lists: it grows with the number of voters, the ratio does not.
"""

from __future__ import annotations

from consultation.participation.tallies import controversy, wilson_lower_bound

__all__ = ["MIN_CONTROVERSY_VOTES", "controversy", "controversy_ratio", "wilson_lower_bound"]

MIN_CONTROVERSY_VOTES = 10


def controversy_ratio(
    agree: int, disagree: int, *, min_votes: int = MIN_CONTROVERSY_VOTES
) -> float | None:
    """2·min(agree, disagree)/(agree + disagree); None under min_votes (agree+disagree)."""
    total = agree + disagree
    if total <= 0 or total < min_votes:
        return None
    return 2 * min(agree, disagree) / total
