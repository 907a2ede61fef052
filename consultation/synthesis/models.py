"""Official answers to contributions."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from consultation.core.db import UTCDateTime, enum_column, utcnow
from consultation.core.i18n import N_, LazyString, lazy
from consultation.extensions import Model, db


class AnswerStatus(enum.Enum):
    retained = "retained"
    partially_retained = "partially_retained"
    not_retained = "not_retained"
    under_study = "under_study"
    out_of_scope = "out_of_scope"

    @property
    def label(self) -> LazyString:
        """In the reader's language."""
        return lazy(ANSWER_LABELS[self])

    @property
    def label_fr(self) -> str:
        """The French source, for certified and machine-read outputs."""
        return ANSWER_LABELS[self]


ANSWER_LABELS = {
    AnswerStatus.retained: N_("Retenue"),
    AnswerStatus.partially_retained: N_("Retenue en partie"),
    AnswerStatus.not_retained: N_("Non retenue"),
    AnswerStatus.under_study: N_("À l'étude"),
    AnswerStatus.out_of_scope: N_("Hors du champ de la consultation"),
}


class Answer(Model):
    """The administration's answer to one contribution: a status and a text. Changing it keeps
    the row (one per contribution) and records when and by whom."""

    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contributions.id", ondelete="CASCADE"), unique=True
    )
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[AnswerStatus] = mapped_column(enum_column(AnswerStatus, 20))
    body: Mapped[str] = mapped_column(sa.Text)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author = relationship("User")
    # `contribution.answer` without participation knowing of this module.
    contribution = relationship(
        "Contribution", backref=backref("answer", uselist=False, passive_deletes=True)
    )

    @property
    def public_body(self) -> str | None:
        """The text as every public surface shows it: None once the contribution is withdrawn
        or hidden (`participation.models.contribution_state`); the status stays public."""
        return self.body if self.contribution.is_public else None


class JobStatus(enum.Enum):
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"

    @property
    def label_fr(self) -> str:
        """The French source, for certified and machine-read outputs."""
        return {
            "queued": N_("En attente"),
            "running": N_("En cours"),
            "done": N_("Terminé"),
            "failed": N_("Échec"),
        }[self.value]

    @property
    def label(self) -> LazyString:
        """In the reader's language."""
        return lazy(self.label_fr)


class SynthesisJob(Model):
    """One run of the synthesis draft: its progress while it runs, its error if it failed.

    The draft it produces is written to the consultation's `Synthesis` row only when the whole
    run has succeeded, in one transaction: a failed run leaves the previous draft in place.
    """

    __tablename__ = "synthesis_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    requested_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    status: Mapped[JobStatus] = mapped_column(enum_column(JobStatus, 10), default=JobStatus.queued)
    progress: Mapped[int] = mapped_column(default=0, server_default="0")  # percent
    step: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    error: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    requested_by = relationship("User")

    @property
    def is_active(self) -> bool:
        return self.status in (JobStatus.queued, JobStatus.running)


class Synthesis(Model):
    """The synthesis being written for one consultation.

    `draft_markdown` and `draft_data` are what the last successful draft run produced; `body`
    is the text the moderators edit (it starts as a copy of the draft). For environmental legal
    bases the synthesis also lists the observations taken into account and links a separate
    statement of reasons. Publishing copies all this into a new `SynthesisVersion`.
    """

    __tablename__ = "syntheses"

    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True
    )
    draft_markdown: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    draft_data: Mapped[dict | None] = mapped_column(sa.JSON)
    draft_generated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    body: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    observations_considered: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    reasons_url: Mapped[str] = mapped_column(sa.String(2000), default="", server_default="")
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    updated_by = relationship("User")


class SynthesisVersion(Model):
    """A published version of the synthesis: v1, v2… each with its change note. Never deleted."""

    __tablename__ = "synthesis_versions"
    __table_args__ = (sa.UniqueConstraint("consultation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    body: Mapped[str] = mapped_column(sa.Text)
    observations_considered: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    reasons_url: Mapped[str] = mapped_column(sa.String(2000), default="", server_default="")
    change_note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # The structured data (figures, charts) the published text was written from.
    data: Mapped[dict | None] = mapped_column(sa.JSON)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    published_by = relationship("User")


class FollowUpStatus(enum.Enum):
    announced = "announced"
    in_progress = "in_progress"
    done = "done"
    abandoned = "abandoned"

    @property
    def label(self) -> LazyString:
        """In the reader's language."""
        return lazy(FOLLOW_UP_LABELS[self])

    @property
    def label_fr(self) -> str:
        """The French source, for certified and machine-read outputs."""
        return FOLLOW_UP_LABELS[self]


FOLLOW_UP_LABELS = {
    FollowUpStatus.announced: N_("Annoncée"),
    FollowUpStatus.in_progress: N_("En cours"),
    FollowUpStatus.done: N_("Réalisée"),
    FollowUpStatus.abandoned: N_("Abandonnée"),
}

follow_up_articles = sa.Table(
    "follow_up_articles",
    db.metadata,
    sa.Column("follow_up_id", sa.ForeignKey("follow_ups.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("article_id", sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
)

follow_up_contributions = sa.Table(
    "follow_up_contributions",
    db.metadata,
    sa.Column("follow_up_id", sa.ForeignKey("follow_ups.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "contribution_id",
        sa.ForeignKey("contributions.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class FollowUp(Model):
    """A next step the administration announces ("suite envisagée"), tracked over time."""

    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    due_date: Mapped[date | None] = mapped_column(sa.Date)
    status: Mapped[FollowUpStatus] = mapped_column(
        enum_column(FollowUpStatus, 20), default=FollowUpStatus.announced
    )
    url: Mapped[str] = mapped_column(sa.String(2000), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    articles = relationship("Article", secondary=follow_up_articles, order_by="Article.position")
    contributions = relationship(
        "Contribution", secondary=follow_up_contributions, order_by="Contribution.id"
    )
    events: Mapped[list[FollowUpEvent]] = relationship(
        back_populates="follow_up",
        cascade="all, delete-orphan",
        order_by="FollowUpEvent.id",
    )


class FollowUpEvent(Model):
    """One change of a follow-up, kept in its public history: which fields, from what to what."""

    __tablename__ = "follow_up_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    follow_up_id: Mapped[int] = mapped_column(
        sa.ForeignKey("follow_ups.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(20))  # created | changed
    # {field: [before, after]} in JSON-ready values (dates as ISO strings, statuses as values).
    changes: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    follow_up: Mapped[FollowUp] = relationship(back_populates="events")
    actor = relationship("User")


class AdoptedAct(Model):
    """The act that followed the consultation: signed or published (date, reference, link), and
    optionally its adopted text, imported as the consulted text was, to compare them."""

    __tablename__ = "adopted_acts"

    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True
    )
    signed_on: Mapped[date] = mapped_column(sa.Date)
    reference: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    url: Mapped[str] = mapped_column(sa.String(2000), default="", server_default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    # The adopted text: its source and its parsed articles
    # [{"number", "label", "title", "paragraphs": [str, …]}, …].
    text_source: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    text_sha256: Mapped[str] = mapped_column(sa.String(64), default="", server_default="")
    text_articles: Mapped[list | None] = mapped_column(sa.JSON)
    text_loaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    recorded_by = relationship("User")


class ChangeLink(Model):
    """A contribution the organiser confirmed as having motivated a change of one article."""

    __tablename__ = "adopted_change_links"
    __table_args__ = (sa.UniqueConstraint("consultation_id", "article_number", "contribution_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    article_number: Mapped[str] = mapped_column(sa.String(50))
    contribution_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contributions.id", ondelete="CASCADE"), index=True
    )
    confirmed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    contribution = relationship("Contribution")


class Subscription(Model):
    """A participant follows a consultation: told when a follow-up changes."""

    __tablename__ = "consultation_subscriptions"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
