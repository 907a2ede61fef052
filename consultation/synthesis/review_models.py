"""The moderators' review of the draft: the themes they work on, which contribution sits in
which theme, which contributions a person has read, the proposal groups (and which a person
merged or renamed), and the excerpts a person pinned or dropped for a theme.

Every row says who made it: the machine (the draft run, by its job and time) or a person (who,
when). A theme a person deletes or merges is kept, marked, so that the decision stays on record
and a later draft does not bring it back silently (see `synthesis.review`).
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consultation.core.db import UTCDateTime, enum_column, utcnow
from consultation.core.i18n import N_, LazyString, lazy
from consultation.extensions import Model


class Origin(enum.Enum):
    """Who made a theme or an assignment: the draft's analysis, or a person."""

    machine = "machine"
    person = "person"

    @property
    def label(self) -> LazyString:
        """In the reader's language."""
        return lazy(ORIGIN_LABELS[self])


ORIGIN_LABELS = {
    Origin.machine: N_("Proposé par l'analyse"),
    Origin.person: N_("Décidé par une personne"),
}


class ReviewTheme(Model):
    """A theme of the consultation's review. A machine theme comes from a draft run
    (`job_id`, `drafted_at`); a person's from `created_by` at `created_at`, and a theme split
    off another names it (`split_from_id`). Renaming, merging into another theme
    (`merged_into_id`) and deleting are recorded with their author; a merged or deleted theme
    keeps its row (`deleted_at`) and leaves the workbench."""

    __tablename__ = "review_themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(200))
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    origin: Mapped[Origin] = mapped_column(enum_column(Origin, 10))
    job_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("synthesis_jobs.id", ondelete="SET NULL")
    )
    drafted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    renamed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    renamed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    # When a person last undid a pinned or dropped excerpt of the theme (the decision's row is
    # gone): a change the next draft follows.
    excerpt_undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    merged_into_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("review_themes.id", ondelete="SET NULL")
    )
    # The theme a person split this one off (`synthesis.review.split_theme`).
    split_from_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("review_themes.id", ondelete="SET NULL")
    )
    # Its place among the themes of the last draft run that filled it (its index in the draft
    # data's `themes`); None when the last run filled it with nothing.
    draft_index: Mapped[int | None] = mapped_column()

    created_by = relationship("User", foreign_keys=[created_by_id])
    renamed_by = relationship("User", foreign_keys=[renamed_by_id])
    deleted_by = relationship("User", foreign_keys=[deleted_by_id])

    @property
    def is_active(self) -> bool:
        """Still on the workbench: neither deleted nor merged into another theme."""
        return self.deleted_at is None


class ThemeAssignment(Model):
    """Where one contribution sits: in a theme, or in none (`theme_id` None: a person took it
    out of every theme). One row per contribution; a person's row is never replaced by a
    draft."""

    __tablename__ = "theme_assignments"

    contribution_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contributions.id", ondelete="CASCADE"), primary_key=True
    )
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    theme_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("review_themes.id", ondelete="SET NULL"), index=True
    )
    origin: Mapped[Origin] = mapped_column(enum_column(Origin, 10))
    assigned_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    assigned_by = relationship("User")


class ContributionReading(Model):
    """A person of the institution has read this contribution (« marquer comme lu »)."""

    __tablename__ = "contribution_readings"

    contribution_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contributions.id", ondelete="CASCADE"), primary_key=True
    )
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    read_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    read_by = relationship("User")


class ReviewProposalGroup(Model):
    """A group of near-identical proposals (`analysis.proposals`), as the review keeps it: a
    machine group comes from a draft run (`job_id`, `drafted_at`), a person's from
    `created_by`. Renaming and merging into another group (`merged_into_id`, always an active
    group) are recorded with their author; a merged group keeps its row and its members, which
    count in the group it was merged into."""

    __tablename__ = "review_proposal_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(sa.String(300))
    origin: Mapped[Origin] = mapped_column(enum_column(Origin, 10))
    job_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("synthesis_jobs.id", ondelete="SET NULL")
    )
    drafted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Its place in the draft data's `proposals.groups` of the last run that found it.
    draft_index: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    renamed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    renamed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    merged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    merged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    merged_into_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("review_proposal_groups.id", ondelete="SET NULL")
    )

    @property
    def is_active(self) -> bool:
        """On the workbench: not merged into another group."""
        return self.merged_at is None


class ReviewProposalMember(Model):
    """A contribution making the proposal of a group, with its sentence as written (found by
    the draft run that made or refreshed the group)."""

    __tablename__ = "review_proposal_members"

    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("review_proposal_groups.id", ondelete="CASCADE"), primary_key=True
    )
    contribution_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contributions.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    sentence: Mapped[str | None] = mapped_column(sa.Text)


class ExcerptState(enum.Enum):
    """A person's decision on a contribution's excerpt for a theme."""

    pinned = "pinned"  # quoted first for the theme
    dropped = "dropped"  # never quoted for the theme


class ExcerptChoice(Model):
    """A contribution's excerpt pinned or dropped for a theme, by whom and when. Undoing
    removes the row: the draft's own choice applies again."""

    __tablename__ = "review_excerpts"

    theme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("review_themes.id", ondelete="CASCADE"), primary_key=True
    )
    contribution_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contributions.id", ondelete="CASCADE"), primary_key=True
    )
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[ExcerptState] = mapped_column(enum_column(ExcerptState, 10))
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
