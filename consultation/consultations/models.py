"""Consultations, their notice and their public event log."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consultation.accounts.models import Institution, User
from consultation.consultations.constants import LEGAL_BASES, LegalBasis, Status
from consultation.core import clock
from consultation.core.db import UTCDateTime, enum_column, utcnow
from consultation.core.errors import InvalidState
from consultation.extensions import Model


class Consultation(Model):
    """A consultation of the public on a draft text.

    Its status is computed from the clock: no job opens or closes it.
    """

    __tablename__ = "consultations"
    __table_args__ = (
        sa.CheckConstraint(
            "closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at",
            name="closes_after_opens",
        ),
        sa.CheckConstraint(
            "published_at IS NULL OR (opens_at IS NOT NULL AND closes_at IS NOT NULL)",
            name="published_has_dates",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(100), unique=True)
    institution_id: Mapped[int] = mapped_column(sa.ForeignKey("institutions.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    legal_basis: Mapped[str] = mapped_column(sa.String(32))
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    synthesis_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # When an author of one of its contributions last changed what the public sees of them
    # (name, profile, erasure): the open-data exports name authors (opendata.exports).
    authors_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    institution: Mapped[Institution] = relationship()
    created_by: Mapped[User | None] = relationship()
    notice: Mapped[Notice] = relationship(
        back_populates="consultation", uselist=False, cascade="all, delete-orphan"
    )
    events: Mapped[list[ConsultationEvent]] = relationship(
        back_populates="consultation",
        cascade="all, delete-orphan",
        order_by="ConsultationEvent.created_at",
    )
    versions: Mapped[list[TextVersion]] = relationship(  # noqa: F821
        back_populates="consultation",
        cascade="all, delete-orphan",
        order_by="TextVersion.number",
    )

    @property
    def basis(self) -> LegalBasis | None:
        return LEGAL_BASES.get(self.legal_basis)

    @property
    def minimum_days(self) -> int | None:
        return self.basis.minimum_days if self.basis else None

    @property
    def current_version(self):
        return self.versions[-1] if self.versions else None

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def dates(self) -> tuple[datetime, datetime]:
        """Its opening and closing instants, set on every published consultation (the check
        constraint published_has_dates). InvalidState when one is not set."""
        if self.opens_at is None or self.closes_at is None:
            raise InvalidState(_("Les dates d'ouverture et de clôture ne sont pas fixées."))
        return self.opens_at, self.closes_at

    def status_at(self, moment: datetime) -> Status:
        if self.published_at is None:
            return Status.draft
        opens_at, closes_at = self.dates()
        if moment < opens_at:
            return Status.scheduled
        if moment < closes_at:
            return Status.open
        if self.synthesis_published_at is not None:
            return Status.synthesis_published
        return Status.closed

    @property
    def status(self) -> Status:
        return self.status_at(clock.now())

    @hybrid_method
    def is_open_at(self, moment: datetime) -> bool:
        """Open at `moment`: published, opened, not yet closed (half-open interval)."""
        return self.status_at(moment) is Status.open

    @is_open_at.expression
    @classmethod
    def _is_open_at_expression(cls, moment: datetime) -> sa.ColumnElement[bool]:
        return sa.and_(
            cls.published_at.is_not(None), cls.opens_at <= moment, cls.closes_at > moment
        )

    @hybrid_method
    def has_status(self, status: Status, moment: datetime) -> bool:
        return self.status_at(moment) is status

    @has_status.expression
    @classmethod
    def _has_status_expression(cls, status: Status, moment: datetime) -> sa.ColumnElement[bool]:
        published = cls.published_at.is_not(None)
        return {
            Status.draft: cls.published_at.is_(None),
            Status.scheduled: sa.and_(published, cls.opens_at > moment),
            Status.open: sa.and_(published, cls.opens_at <= moment, cls.closes_at > moment),
            Status.closed: sa.and_(
                published, cls.closes_at <= moment, cls.synthesis_published_at.is_(None)
            ),
            Status.synthesis_published: sa.and_(
                published, cls.closes_at <= moment, cls.synthesis_published_at.is_not(None)
            ),
        }[status]

    def __repr__(self) -> str:
        return f"<Consultation {self.slug}>"


class Notice(Model):
    """The terms ("modalités") published with the consultation (SPEC §1 row 2).

    The object, the organiser, the dates, who may take part and how, the explanatory note, the
    planned entry into force, whether a commission is replaced, the moderation charter, the
    personal-data notice and the expected date of the synthesis. The legal basis and the dates
    live on the consultation itself.
    """

    __tablename__ = "notices"

    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True
    )
    object: Mapped[str] = mapped_column(sa.Text, default="")
    organiser: Mapped[str] = mapped_column(sa.String(300), default="")
    legal_reference: Mapped[str] = mapped_column(sa.Text, default="")
    observations_published: Mapped[bool] = mapped_column(default=True)
    who_may_participate: Mapped[str] = mapped_column(sa.Text, default="")
    how_to_participate: Mapped[str] = mapped_column(sa.Text, default="")
    explanatory_note: Mapped[str] = mapped_column(sa.Text, default="")
    entry_into_force: Mapped[str] = mapped_column(sa.Text, default="")
    replaces_commission: Mapped[bool] = mapped_column(default=False)
    commission_name: Mapped[str] = mapped_column(sa.String(300), default="")
    moderation_charter: Mapped[str] = mapped_column(sa.Text, default="")
    personal_data_notice: Mapped[str] = mapped_column(sa.Text, default="")
    synthesis_expected_on: Mapped[date | None] = mapped_column(sa.Date)
    # The administration's commitment: the N most supported contributions will be answered.
    answers_committed: Mapped[int | None]

    consultation: Mapped[Consultation] = relationship(back_populates="notice")


class EventKind(enum.Enum):
    created = "created"
    published = "published"
    extended = "extended"


class ConsultationEvent(Model):
    """A change of state of a consultation, with its actor. Publication and extensions are public."""

    __tablename__ = "consultation_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind, 20))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    previous_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    new_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(sa.Text, default="")

    consultation: Mapped[Consultation] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()

    @property
    def is_public(self) -> bool:
        return self.kind in (EventKind.published, EventKind.extended)


from consultation.texts.models import TextVersion  # noqa: E402,F401  (relationship target)
