"""Votes on articles.

Only verified accounts vote, and only while the consultation is open — the clock is read
inside the write transaction. One vote per participant and article is enforced by a unique
constraint; casting again changes the vote (an upsert, so that concurrent duplicates end as
one row), and a vote can be withdrawn until closing. Counts are aggregates over indexed
columns, hence exact under concurrency.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from consultation.accounts.models import User
from consultation.consultations.models import Consultation
from consultation.consultations.services import can_view, format_paris
from consultation.core import clock
from consultation.core.errors import ConsultationNotOpen, NotAllowed, NotFound, ValidationFailed
from consultation.extensions import db
from consultation.participation.models import ArticleVote, Opinion
from consultation.texts.models import Article, TextVersion

logger = logging.getLogger(__name__)


def parse_opinion(value) -> Opinion:
    """The Opinion named by `value`; ValidationFailed with the allowed values otherwise."""
    try:
        return Opinion(value)
    except ValueError:
        raise ValidationFailed(
            "Avis inconnu : choisissez « D'accord », « Mitigé » ou « Pas d'accord ».",
            fields={"value": "Valeurs possibles : agree, mixed, disagree."},
        ) from None


def get_article(article_id: int, viewer: User | None) -> tuple[Article, Consultation]:
    """The article and its consultation, if `viewer` may see them; NotFound otherwise."""
    article = db.session.get(Article, article_id)
    consultation = consultation_of(article) if article is not None else None
    if consultation is None or not can_view(viewer, consultation):
        raise NotFound("Aucun article à cette adresse.")
    return article, consultation


def consultation_of(article: Article) -> Consultation:
    return db.session.scalar(
        sa.select(Consultation).join(TextVersion).where(TextVersion.id == article.version_id)
    )


def check_can_participate(actor: User, consultation: Consultation, now: datetime) -> None:
    """Raise NotAllowed for an unverified account, ConsultationNotOpen outside the open period."""
    if not actor.is_verified:
        raise NotAllowed("Confirmez votre adresse e-mail pour participer.")
    if not consultation.is_open_at(now):
        raise ConsultationNotOpen(
            "La consultation n'est pas ouverte : les avis sont reçus du "
            f"{format_paris(consultation.opens_at)} au {format_paris(consultation.closes_at)}."
        )


def cast_article_vote(
    actor: User, article: Article, value, *, now: datetime | None = None
) -> Opinion:
    """Record or change `actor`'s opinion on `article`. Returns the opinion recorded."""
    opinion = parse_opinion(value)
    now = now or clock.now()
    check_can_participate(actor, consultation_of(article), now)
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(ArticleVote).values(
        article_id=article.id, user_id=actor.id, value=opinion, created_at=now, updated_at=now
    )
    statement = statement.on_conflict_do_update(
        index_elements=["article_id", "user_id"],
        set_={"value": statement.excluded.value, "updated_at": statement.excluded.updated_at},
    )
    db.session.execute(statement)
    logger.info("article vote: article=%s user=%s", article.id, actor.id)
    return opinion


def withdraw_article_vote(actor: User, article: Article, *, now: datetime | None = None) -> None:
    """Remove `actor`'s opinion on `article` (nothing happens if there was none)."""
    now = now or clock.now()
    check_can_participate(actor, consultation_of(article), now)
    db.session.execute(
        sa.delete(ArticleVote).where(
            ArticleVote.article_id == article.id, ArticleVote.user_id == actor.id
        )
    )


def article_vote_counts(article_ids: list[int]) -> dict[int, dict[str, int]]:
    """{article_id: {"agree": n, "mixed": n, "disagree": n}} in one aggregate query."""
    counts = {article_id: {o.value: 0 for o in Opinion} for article_id in article_ids}
    if not article_ids:
        return counts
    rows = db.session.execute(
        sa.select(ArticleVote.article_id, ArticleVote.value, sa.func.count())
        .where(ArticleVote.article_id.in_(article_ids))
        .group_by(ArticleVote.article_id, ArticleVote.value)
    )
    for article_id, value, count in rows:
        counts[article_id][value.value] = count
    return counts


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
