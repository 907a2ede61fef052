"""Official answers to contributions."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from consultation.core.db import UTCDateTime, enum_column, utcnow
from consultation.extensions import db


class AnswerStatus(enum.Enum):
    retained = "retained"
    partially_retained = "partially_retained"
    not_retained = "not_retained"
    under_study = "under_study"
    out_of_scope = "out_of_scope"

    @property
    def label(self) -> str:
        return ANSWER_LABELS[self]


ANSWER_LABELS = {
    AnswerStatus.retained: "Retenue",
    AnswerStatus.partially_retained: "Retenue en partie",
    AnswerStatus.not_retained: "Non retenue",
    AnswerStatus.under_study: "À l'étude",
    AnswerStatus.out_of_scope: "Hors du champ de la consultation",
}


class Answer(db.Model):
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
