"""Vote counters and the scores the orderings read.

Each article and contribution keeps its agree / mixed / disagree counters; a contribution also
keeps its `popularity` and `controversy` scores. Pages read them with the row instead of
counting votes, and the `popular` and `controversial` orderings walk an index, so that page
400 costs what page 1 costs.

Exactness: `record_vote` locks the voted row (`SELECT … FOR UPDATE` on PostgreSQL; SQLite
write transactions already run one at a time, `BEGIN IMMEDIATE`), reads the participant's
previous vote, writes the new one and moves the counters — all in one transaction. Concurrent
votes on one target therefore queue on that row and each sees the previous one's result.
`recount` recomputes every counter from the votes themselves: the tests run it after
concurrent voting and `flask participation recount` lets an operator check a live database.
Each change of a vote is also an entry of the consultation's record (`core.journal`), appended
last in the transaction, after the lock on the voted row.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import InstrumentedAttribute, load_only

from consultation.core import journal
from consultation.core.db import get_existing
from consultation.extensions import db
from consultation.participation.models import (
    ArticleVote,
    Contribution,
    ContributionVote,
    Opinion,
)
from consultation.texts.models import Article, TextVersion

_COUNTER = {opinion: f"votes_{opinion.value}" for opinion in Opinion}


def record_vote(
    target: Article | Contribution, user_id: int, opinion: Opinion | None, now: datetime
) -> Opinion | None:
    """Set `user_id`'s opinion on `target` (None removes it) and update its counters; a change
    (a new vote, another value, a withdrawal) is announced to the consultation's record.

    Returns the previous opinion, or None.
    """
    vote_model, target_column = _votes_of(target)
    # Serialise the votes on this target: the lock is held until the transaction ends.
    db.session.refresh(target, with_for_update=True)
    # A select of either vote model: typed as their common base.
    vote = cast(
        "ArticleVote | ContributionVote | None",
        db.session.scalar(
            sa.select(vote_model).where(target_column == target.id, vote_model.user_id == user_id)
        ),
    )
    previous = vote.value if vote is not None else None
    if opinion is None:
        if vote is not None:
            db.session.delete(vote)
    elif vote is None:
        db.session.add(
            vote_model(
                **{target_column.key: target.id},
                user_id=user_id,
                value=opinion,
                created_at=now,
                updated_at=now,
            )
        )
    else:
        vote.value, vote.updated_at = opinion, now
    if previous is not opinion:
        if previous is not None:
            _add(target, previous, -1)
        if opinion is not None:
            _add(target, opinion, +1)
        if isinstance(target, Contribution):
            rescore(target)
    db.session.flush()
    if previous is not opinion:
        _announce(target, user_id, opinion, now)
    return previous


def _announce(
    target: Article | Contribution, user_id: int, opinion: Opinion | None, now: datetime
) -> None:
    if isinstance(target, Contribution):
        consultation_id, subject = target.consultation_id, {"contribution": target.tracking_number}
    else:
        # Identity-map lookup: the services load the version with the article.
        consultation_id = get_existing(TextVersion, target.version_id).consultation_id
        subject = {"article": target.number}
    journal.record(
        consultation_id,
        "vote",
        now,
        participant_id=user_id,
        value=opinion.value if opinion else None,
        **subject,
    )


def _add(target: Article | Contribution, opinion: Opinion, delta: int) -> None:
    name = _COUNTER[opinion]
    setattr(target, name, (getattr(target, name) or 0) + delta)


def rescore(contribution: Contribution) -> None:
    """Derive the stored scores from the contribution's counters."""
    agree, mixed, disagree = (
        contribution.votes_agree or 0,
        contribution.votes_mixed or 0,
        contribution.votes_disagree or 0,
    )
    contribution.popularity = wilson_lower_bound(agree, mixed, disagree)
    contribution.controversy = controversy(agree, disagree)


def wilson_lower_bound(agree: int, mixed: int, disagree: int, z: float = 1.96) -> float:
    """Lower bound of the 95 % Wilson interval of the support share (mixed counts half);
    0 without votes. Few unanimous votes rank below many mostly favourable ones."""
    n = agree + mixed + disagree
    if n == 0:
        return 0.0
    p = (agree + 0.5 * mixed) / n
    return (p + z * z / (2 * n) - z * math.sqrt((p * (1 - p) + z * z / (4 * n)) / n)) / (
        1 + z * z / n
    )


def controversy(agree: int, disagree: int) -> int:
    """Twice the smaller camp: high when many vote and the camps are balanced."""
    return 2 * min(agree, disagree)


def recount(consultation_id: int | None = None) -> int:
    """Recompute every counter and score from the votes (of one consultation, or all).

    Returns how many rows were wrong (and are now corrected). Run under a write transaction.
    """
    wrong = 0
    for model, vote_model, column in (
        (Article, ArticleVote, ArticleVote.article_id),
        (Contribution, ContributionVote, ContributionVote.contribution_id),
    ):
        tally = _tally(vote_model, column)
        rows = db.session.execute(
            sa.select(model, tally.c.agree, tally.c.mixed, tally.c.disagree)
            .outerjoin(tally, tally.c.target_id == model.id)
            .where(*_in_consultation(model, consultation_id))
            .options(load_only(*_stored_columns(model)))  # not the bodies
        )
        for target, *counts in rows:
            before = _stored(target)
            for opinion, count in zip(Opinion, counts, strict=True):
                setattr(target, _COUNTER[opinion], count or 0)
            if isinstance(target, Contribution):
                rescore(target)
            wrong += _stored(target) != before
    wrong += _recount_contributions_per_article(consultation_id)
    db.session.flush()
    return wrong


def _recount_contributions_per_article(consultation_id: int | None) -> int:
    counted = (
        sa.select(Contribution.article_id, sa.func.count().label("n"))
        .where(
            Contribution.article_id.is_not(None), *_in_consultation(Contribution, consultation_id)
        )
        .group_by(Contribution.article_id)
        .subquery()
    )
    wrong = 0
    rows = db.session.execute(
        sa.select(Article, counted.c.n)
        .outerjoin(counted, counted.c.article_id == Article.id)
        .where(*_in_consultation(Article, consultation_id))
    )
    for article, count in rows:
        if article.contributions_count != (count or 0):
            article.contributions_count = count or 0
            wrong += 1
    return wrong


def _stored_columns(model: type[Article] | type[Contribution]) -> list[InstrumentedAttribute[Any]]:
    columns: list[InstrumentedAttribute[Any]] = [
        model.id,
        model.votes_agree,
        model.votes_mixed,
        model.votes_disagree,
    ]
    if model is Contribution:
        columns += [Contribution.popularity, Contribution.controversy]
    return columns


def _stored(target: Article | Contribution) -> tuple[Any, ...]:
    if isinstance(target, Contribution):
        return (*target.vote_counts.values(), target.popularity, target.controversy)
    return tuple(target.vote_counts.values())


def _in_consultation(
    model: type[Article] | type[Contribution], consultation_id: int | None
) -> list[sa.ColumnElement[bool]]:
    if consultation_id is None:
        return []
    if model is Contribution:
        return [Contribution.consultation_id == consultation_id]
    return [
        Article.version_id.in_(
            sa.select(TextVersion.id).where(TextVersion.consultation_id == consultation_id)
        )
    ]


def _tally(
    vote_model: type[ArticleVote] | type[ContributionVote], column: InstrumentedAttribute[int]
) -> sa.Subquery:
    def count(opinion: Opinion) -> sa.Label[Any]:
        return sa.func.sum(sa.case((vote_model.value == opinion, 1), else_=0)).label(opinion.value)

    return (
        sa.select(column.label("target_id"), *(count(o) for o in Opinion))
        .group_by(column)
        .subquery()
    )


def _votes_of(
    target: Article | Contribution,
) -> tuple[type[ArticleVote] | type[ContributionVote], InstrumentedAttribute[int]]:
    if isinstance(target, Contribution):
        return ContributionVote, ContributionVote.contribution_id
    return ArticleVote, ArticleVote.article_id
