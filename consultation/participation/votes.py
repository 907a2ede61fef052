"""Opinions on articles and on contributions.

One vote per participant and article (or contribution) is enforced by a unique constraint;
casting again changes the vote, and a vote can be withdrawn until closing, under the rules of
`standing`. The counters shown are kept on the voted row, moved under a lock by the
transaction that writes the vote (see `tallies`), hence exact under concurrency.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from consultation.accounts.models import User
from consultation.consultations.models import Consultation
from consultation.consultations.services import can_view
from consultation.core import clock
from consultation.core.db import get_existing
from consultation.core.errors import NotFound, ValidationFailed
from consultation.extensions import db
from consultation.participation import tallies
from consultation.participation.models import ArticleVote, Contribution, Opinion
from consultation.participation.standing import check_can_participate, check_can_vote_on
from consultation.texts.models import Article, TextVersion

logger = logging.getLogger(__name__)


def parse_opinion(value: object) -> Opinion:
    """The Opinion named by `value`; ValidationFailed with the allowed values otherwise."""
    try:
        return Opinion(value)
    except ValueError:
        raise ValidationFailed(
            _("Avis inconnu : choisissez « D'accord », « Mitigé » ou « Pas d'accord »."),
            fields={"value": _("Valeurs possibles : agree, mixed, disagree.")},
        ) from None


def get_article(article_id: int, viewer: User | None) -> tuple[Article, Consultation]:
    """The article and its consultation, if `viewer` may see them; NotFound otherwise."""
    article = db.session.get(Article, article_id)
    consultation = consultation_of(article) if article is not None else None
    if article is None or consultation is None or not can_view(viewer, consultation):
        raise NotFound(_("Aucun article à cette adresse."))
    return article, consultation


def consultation_of(article: Article) -> Consultation:
    # Identity-map lookups: no query once the version and consultation are loaded.
    # TextVersion.consultation is untyped: texts may not import consultations.
    consultation: Consultation = get_existing(TextVersion, article.version_id).consultation
    return consultation


def cast_article_vote(
    actor: User, article: Article, value: object, *, now: datetime | None = None
) -> Opinion:
    """Record or change `actor`'s opinion on `article`. Raises what `participation_refusal`
    finds, then ValidationFailed for an unknown value. Returns the opinion recorded."""
    now = now or clock.now()
    check_can_participate(actor, consultation_of(article), now)
    opinion = parse_opinion(value)
    tallies.record_vote(article, actor.id, opinion, now)
    logger.info("article vote: article=%s user=%s", article.id, actor.id)
    return opinion


def withdraw_article_vote(actor: User, article: Article, *, now: datetime | None = None) -> None:
    """Remove `actor`'s opinion on `article` (nothing happens if there was none)."""
    now = now or clock.now()
    check_can_participate(actor, consultation_of(article), now)
    if tallies.record_vote(article, actor.id, None, now) is not None:
        logger.info("article vote withdrawn: article=%s user=%s", article.id, actor.id)


def vote_counts(targets: Iterable[Article | Contribution]) -> dict[int, dict[str, int]]:
    """{id: {"agree": n, "mixed": n, "disagree": n}} of articles or contributions, read from
    their counters (no query)."""
    return {target.id: target.vote_counts for target in targets}


def my_article_vote(actor: User | None, article: Article) -> Opinion | None:
    if actor is None or not actor.is_authenticated:
        return None
    return db.session.scalar(
        sa.select(ArticleVote.value).where(
            ArticleVote.article_id == article.id, ArticleVote.user_id == actor.id
        )
    )


@dataclass(frozen=True)
class VoteShare:
    opinion: Opinion
    count: int
    percent: int  # rounded, for display; the counts are exact


def vote_split(counts: dict[str, int]) -> tuple[int, list[VoteShare]]:
    """The total and each opinion's share, for a bar readable without colour."""
    total = sum(counts.values())
    shares = [
        VoteShare(o, counts[o.value], round(100 * counts[o.value] / total) if total else 0)
        for o in Opinion
    ]
    return total, shares


def cast_contribution_vote(
    actor: User, contribution: Contribution, value: object, *, now: datetime | None = None
) -> Opinion:
    """Record or change `actor`'s opinion on a contribution (one per participant, upsert).
    Raises what `vote_refusal` finds, then ValidationFailed for an unknown value."""
    now = now or clock.now()
    check_can_vote_on(actor, contribution, now)
    opinion = parse_opinion(value)
    tallies.record_vote(contribution, actor.id, opinion, now)
    logger.info("contribution vote: contribution=%s user=%s", contribution.id, actor.id)
    return opinion


def withdraw_contribution_vote(
    actor: User, contribution: Contribution, *, now: datetime | None = None
) -> Opinion | None:
    """Remove `actor`'s opinion on a contribution (nothing happens if there was none), under
    the rule of `vote_refusal`. Returns the opinion removed, or None."""
    now = now or clock.now()
    check_can_vote_on(actor, contribution, now)
    previous = tallies.record_vote(contribution, actor.id, None, now)
    if previous is not None:
        logger.info(
            "contribution vote withdrawn: contribution=%s user=%s", contribution.id, actor.id
        )
    return previous
