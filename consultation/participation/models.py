"""Participation: opinions on articles, contributions, their revisions and votes."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consultation.core.canonical import new_salt
from consultation.core.charter import ModerationReason, hidden_notice
from consultation.core.db import UTCDateTime, VoteCounters, enum_column, utcnow
from consultation.core.i18n import N_, LazyString, lazy
from consultation.core.uploads import size_label
from consultation.extensions import Model
from consultation.participation.kinds import KindSpec, require_specs, spec_of


class Opinion(enum.Enum):
    agree = "agree"
    mixed = "mixed"
    disagree = "disagree"

    @property
    def label(self) -> LazyString:
        """In the reader's language."""
        return lazy(OPINION_LABELS[self])

    @property
    def label_fr(self) -> str:
        """The French source, for certified and machine-read outputs."""
        return OPINION_LABELS[self]


OPINION_LABELS = {
    Opinion.agree: N_("D'accord"),
    Opinion.mixed: N_("Mitigé"),
    Opinion.disagree: N_("Pas d'accord"),
}


class ArticleVote(Model):
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


class ContributionKind(enum.Enum):
    """Stored as its value; what a kind asks for and how it is treated is its spec
    (`participation.kinds`), which every member must have."""

    argument = "argument"
    amendment = "amendment"
    new_article = "new_article"
    source = "source"
    comment = "comment"

    @property
    def spec(self) -> KindSpec:
        return spec_of(self)

    @property
    def label(self) -> LazyString:
        """In the reader's language."""
        return lazy(spec_of(self).label)

    @property
    def label_fr(self) -> str:
        """The French source, for certified and machine-read outputs."""
        return spec_of(self).label


require_specs(kind.value for kind in ContributionKind)


class Position(enum.Enum):
    for_ = "for"
    against = "against"

    @property
    def label_fr(self) -> str:
        """The French source, for certified and machine-read outputs."""
        return N_("Pour") if self is Position.for_ else N_("Contre")

    @property
    def label(self) -> LazyString:
        """In the reader's language."""
        return lazy(self.label_fr)


class OfflineChannel(enum.Enum):
    letter = "letter"
    email = "email"
    register = "register"

    @property
    def label_fr(self) -> str:
        """The French source, for certified and machine-read outputs."""
        return {
            "letter": N_("courrier"),
            "email": N_("courrier électronique"),
            "register": N_("registre"),
        }[self.value]

    @property
    def label(self) -> LazyString:
        """In the reader's language."""
        return lazy(self.label_fr)


class ContributionState(enum.Enum):
    """Where a contribution stands for the public: see `contribution_state`."""

    published = "published"
    withdrawn = "withdrawn"
    hidden = "hidden"

    @property
    def shows_text(self) -> bool:
        """Whether its texts and the text of its official answer may be shown."""
        return self is ContributionState.published


def contribution_state(
    withdrawn_at: datetime | None, hidden_at: datetime | None
) -> ContributionState:
    """The one rule of what a contribution lets the public read, on every surface (its page,
    the lists, the article pages, the feeds, the API, the exports, the synthesis' quotations).

    A contribution withdrawn by its author, or hidden by moderation, keeps its record: tracking
    number, kind, place, author, dates, counts, and its official answer's status. Its texts —
    title, body, proposed wording, link, earlier wordings — and the text of its official answer
    are no longer shown anywhere (a hidden one shows the moderation notice instead). Withdrawal
    wins over hiding. `Contribution.state` and `Contribution.is_public` (also usable in SQL)
    read this rule; bulk readers of rows call it with the two columns.
    """
    if withdrawn_at is not None:
        return ContributionState.withdrawn
    if hidden_at is not None:
        return ContributionState.hidden
    return ContributionState.published


SHUFFLE_SPACE = 2**31  # shuffle keys and visitors' starting points are drawn below this


def new_shuffle_key() -> int:
    return secrets.randbelow(SHUFFLE_SPACE)


class Contribution(VoteCounters, Model):
    """A contribution to a consultation, on an article (and paragraph) or on the whole text.

    Each gets a public tracking number. Edits keep the previous wording in revisions;
    withdrawal keeps the record and hides the text. Its vote counters and the two scores
    derived from them (`popularity`, `controversy`) are stored so that every ordering reads an
    index; `shuffle_key` places it in the random order.
    """

    __tablename__ = "contributions"
    __table_args__ = (
        sa.Index("ix_contributions_consultation_created", "consultation_id", "created_at", "id"),
        sa.Index("ix_contributions_consultation_id_id", "consultation_id", "id"),
        sa.Index("ix_contributions_shuffle", "consultation_id", "shuffle_key", "id"),
        sa.Index("ix_contributions_popular", "consultation_id", "popularity", "id"),
        sa.Index("ix_contributions_controversial", "consultation_id", "controversy", "id"),
        sa.Index("ix_contributions_article_id_id", "article_id", "id"),
        # The moderation queue: most reported first.
        sa.Index("ix_contributions_reports", "reports_open", "id"),
        sa.CheckConstraint(
            "kind <> 'argument' OR position IS NOT NULL", name="argument_has_position"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE")
    )
    article_id: Mapped[int | None] = mapped_column(sa.ForeignKey("articles.id"))
    paragraph: Mapped[int | None]
    kind: Mapped[ContributionKind] = mapped_column(enum_column(ContributionKind, 20))
    position: Mapped[Position | None] = mapped_column(enum_column(Position, 10))
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    body: Mapped[str] = mapped_column(sa.Text)
    proposed_text: Mapped[str] = mapped_column(sa.Text, default="")
    url: Mapped[str] = mapped_column(sa.String(2000), default="")
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contributions.id"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    tracking_number: Mapped[str] = mapped_column(sa.String(20), unique=True)
    offline_channel: Mapped[OfflineChannel | None] = mapped_column(enum_column(OfflineChannel, 10))
    offline_author: Mapped[str] = mapped_column(sa.String(200), default="")
    # The salt of the record's commitment to the author as now shown (`author_sha256`),
    # published beside the author in the export; drawn anew at each change of the author's
    # public name, so that an erased name can no longer be confirmed from the record.
    author_salt: Mapped[str | None] = mapped_column(sa.String(32), default=new_salt)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Wilson lower bound of the support share (mixed counts half): the `popular` ordering.
    popularity: Mapped[float] = mapped_column(sa.Float, default=0.0, server_default="0")
    # Twice the smaller of agree and disagree: the `controversial` ordering.
    controversy: Mapped[int] = mapped_column(default=0, server_default="0")
    shuffle_key: Mapped[int] = mapped_column(default=new_shuffle_key)
    # Moderation (see `consultation.moderation`): a hidden contribution keeps its record and its
    # counts, its text is replaced by the reason; reports not yet dealt with are counted here.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[ModerationReason | None] = mapped_column(
        enum_column(ModerationReason, 20)
    )
    duplicate_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contributions.id"))
    reports_open: Mapped[int] = mapped_column(default=0, server_default="0")

    author = relationship("User")
    duplicate_of = relationship("Contribution", remote_side=[id], foreign_keys=[duplicate_of_id])
    article = relationship("Article")
    revisions: Mapped[list[ContributionRevision]] = relationship(
        back_populates="contribution",
        cascade="all, delete-orphan",
        order_by="ContributionRevision.id",
    )
    paper: Mapped[ContributionPaper | None] = relationship(
        back_populates="contribution", cascade="all, delete-orphan", uselist=False
    )

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_offline(self) -> bool:
        return self.offline_channel is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def state(self) -> ContributionState:
        return contribution_state(self.withdrawn_at, self.hidden_at)

    @hybrid_property
    def is_public(self) -> bool:
        """Whether its texts (and its answer's text) are shown: see `contribution_state`."""
        return self.state.shows_text

    @is_public.inplace.expression
    @classmethod
    def _is_public_expression(cls):
        # `contribution_state(...).shows_text` in SQL: neither withdrawn nor hidden.
        return sa.and_(cls.withdrawn_at.is_(None), cls.hidden_at.is_(None))

    @property
    def hidden_notice(self) -> str:
        """In the reader's language."""
        return hidden_notice(self.hidden_reason)

    @property
    def hidden_notice_fr(self) -> str:
        """The French source, for the API."""
        return hidden_notice(self.hidden_reason, french=True)


class ContributionPaper(Model):
    """A position paper: the one PDF a participant attached to a contribution
    (`participation.papers`). The file is in the storage under `file_key`; the row keeps its
    cleaned name, size and SHA-256 (certified with the contribution) and the text read from
    its first pages, for the search and the synthesis."""

    __tablename__ = "contribution_papers"
    __table_args__ = (sa.CheckConstraint("size > 0", name="size_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contributions.id", ondelete="CASCADE"), unique=True
    )
    file_key: Mapped[str] = mapped_column(sa.String(200))
    filename: Mapped[str] = mapped_column(sa.String(255))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    text: Mapped[str] = mapped_column(sa.Text, default="")
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    contribution: Mapped[Contribution] = relationship(back_populates="paper")

    @property
    def size_label(self) -> str:
        """« 1,2 Mo »."""
        return size_label(self.size)


class ContributionRevision(Model):
    """The wording a contribution had before an edit, and the position paper it had then (its
    file stays in the storage: the history shows it), if any."""

    __tablename__ = "contribution_revisions"
    __table_args__ = (
        sa.CheckConstraint(
            "(paper_file_key IS NULL AND paper_filename IS NULL AND paper_size IS NULL"
            " AND paper_sha256 IS NULL) OR (paper_file_key IS NOT NULL AND paper_filename IS"
            " NOT NULL AND paper_size IS NOT NULL AND paper_sha256 IS NOT NULL)",
            name="paper_whole",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contributions.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    body: Mapped[str] = mapped_column(sa.Text)
    proposed_text: Mapped[str] = mapped_column(sa.Text, default="")
    url: Mapped[str] = mapped_column(sa.String(2000), default="")
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    paper_file_key: Mapped[str | None] = mapped_column(sa.String(200))
    paper_filename: Mapped[str | None] = mapped_column(sa.String(255))
    paper_size: Mapped[int | None] = mapped_column(sa.BigInteger)
    paper_sha256: Mapped[str | None] = mapped_column(sa.String(64))

    contribution: Mapped[Contribution] = relationship(back_populates="revisions")

    @property
    def paper_size_label(self) -> str:
        """« 1,2 Mo » (empty without a paper)."""
        return size_label(self.paper_size) if self.paper_size is not None else ""


class ContributionVote(Model):
    """One participant's opinion on one contribution: the database allows no second row."""

    __tablename__ = "contribution_votes"
    __table_args__ = (
        sa.UniqueConstraint("contribution_id", "user_id"),
        sa.Index("ix_contribution_votes_contribution_id_value", "contribution_id", "value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contributions.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    value: Mapped[Opinion] = mapped_column(enum_column(Opinion, 10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
