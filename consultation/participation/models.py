"""Participation: opinion votes on articles (contributions come next)."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from consultation.core.db import UTCDateTime, enum_column, utcnow
from consultation.extensions import db


class Opinion(enum.Enum):
    agree = "agree"
    mixed = "mixed"
    disagree = "disagree"

    @property
    def label(self) -> str:
        return OPINION_LABELS[self]


OPINION_LABELS = {
    Opinion.agree: "D'accord",
    Opinion.mixed: "Mitigé",
    Opinion.disagree: "Pas d'accord",
}


class ArticleVote(db.Model):
    """One participant's opinion on one article: the database allows no second row."""

    __tablename__ = "article_votes"
    __table_args__ = (
        sa.UniqueConstraint("article_id", "user_id"),
        sa.Index("ix_article_votes_article_id_value", "article_id", "value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(sa.ForeignKey("articles.id", ondelete="CASCADE"))
    # No cascade: erasing an account anonymises it, and counts stay frozen.
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    value: Mapped[Opinion] = mapped_column(enum_column(Opinion, 10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
