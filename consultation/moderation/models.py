"""Reports from participants and the log of moderation decisions."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consultation.core.charter import ModerationReason
from consultation.core.db import UTCDateTime, enum_column, utcnow
from consultation.core.i18n import N_, LazyString, lazy
from consultation.extensions import Model


class Report(Model):
    """A participant's report of a contribution, with a charter reason. One per participant
    and contribution; it stays open until a moderator hides, restores, dismisses or marks
    the contribution as a duplicate."""

    __tablename__ = "reports"
    __table_args__ = (sa.UniqueConstraint("contribution_id", "reporter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contributions.id", ondelete="CASCADE")
    )
    reporter_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    reason: Mapped[ModerationReason] = mapped_column(enum_column(ModerationReason, 20))
    details: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution: Mapped[str | None] = mapped_column(sa.String(20))

    reporter = relationship("User")


class Appeal(Model):
    """An author's appeal against the hiding of their contribution: one per hiding (the
    database refuses a second for the same `hidden_at`). It waits in the moderators' queue
    until a moderator restores the contribution ("restored") or keeps it hidden
    ("rejected")."""

    __tablename__ = "appeals"
    __table_args__ = (sa.UniqueConstraint("contribution_id", "hidden_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contributions.id", ondelete="CASCADE")
    )
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    # The hiding appealed against (the contribution's `hidden_at` when the appeal was made).
    hidden_at: Mapped[datetime] = mapped_column(UTCDateTime)
    body: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution: Mapped[str | None] = mapped_column(sa.String(20))

    author = relationship("User")

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class ModerationAction(enum.Enum):
    hide = "hide"
    restore = "restore"
    dismiss = "dismiss"
    duplicate = "duplicate"
    block = "block"
    unblock = "unblock"

    @property
    def label(self) -> LazyString:
        """In the reader's language."""
        return lazy(ACTION_LABELS[self])

    @property
    def label_fr(self) -> str:
        """The French source, for certified and machine-read outputs."""
        return ACTION_LABELS[self]


ACTION_LABELS = {
    ModerationAction.hide: N_("Masquage"),
    ModerationAction.restore: N_("Rétablissement"),
    ModerationAction.dismiss: N_("Signalements ou recours rejetés"),
    ModerationAction.duplicate: N_("Marquage comme doublon"),
    ModerationAction.block: N_("Blocage d'un participant"),
    ModerationAction.unblock: N_("Levée d'un blocage"),
}


class ModerationDecision(Model):
    """One moderation act — who, when, what, why. Rows are only ever added."""

    __tablename__ = "moderation_decisions"
    __table_args__ = (
        sa.Index("ix_moderation_decisions_institution_id_id", "institution_id", "id"),
        sa.Index("ix_moderation_decisions_consultation_action", "consultation_id", "action"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(sa.ForeignKey("institutions.id"))
    consultation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE")
    )
    contribution_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("contributions.id", ondelete="CASCADE"), index=True
    )
    subject_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    moderator_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    action: Mapped[ModerationAction] = mapped_column(enum_column(ModerationAction, 20))
    reason: Mapped[ModerationReason | None] = mapped_column(enum_column(ModerationReason, 20))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    duplicate_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contributions.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    moderator = relationship("User", foreign_keys=[moderator_id])
    subject = relationship("User", foreign_keys=[subject_id])
    contribution = relationship("Contribution", foreign_keys=[contribution_id])
    duplicate_of = relationship("Contribution", foreign_keys=[duplicate_of_id])
