"""Official answers: the administration answers each contribution with a status and a text.

Only organisers of the consultation's institution (and administrators) answer, once the
consultation has opened; an answer can be changed later (the same row, with its new time).
The author is told by e-mail. Answers are public on the contribution and in the API.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from consultation.accounts.models import User
from consultation.consultations.models import Consultation
from consultation.core import clock, journal
from consultation.core.db import get_existing
from consultation.core.errors import InvalidState, NotAllowed, NotFound, ValidationFailed
from consultation.core.i18n import _l, number
from consultation.core.mail import send_mail
from consultation.core.urls import external_url
from consultation.extensions import db
from consultation.participation.models import Contribution
from consultation.synthesis.limits import ANSWER_MAX
from consultation.synthesis.models import Answer, AnswerStatus

logger = logging.getLogger(__name__)


def parse_status(value: object) -> AnswerStatus:
    try:
        return AnswerStatus(value.value if isinstance(value, AnswerStatus) else value)
    except ValueError:
        raise ValidationFailed(
            fields={
                "status": _(
                    "Statut inconnu : retained, partially_retained, not_retained, "
                    "under_study ou out_of_scope."
                )
            }
        ) from None


def check_can_answer(actor: User, contribution: Contribution, now: datetime) -> None:
    """May `actor` answer `contribution` at `now`? An organiser of the institution (NotAllowed),
    once the consultation is open, to a public contribution (InvalidState): checked before the
    answer is read."""
    consultation = get_existing(Consultation, contribution.consultation_id)
    if not actor.can_organise(consultation.institution_id):
        raise NotAllowed(_("Seuls les organisateurs de la consultation lui répondent."))
    if consultation.status_at(now).value in ("draft", "scheduled"):
        raise InvalidState(_("On répond aux contributions une fois la consultation ouverte."))
    if not contribution.is_public:
        raise InvalidState(_("Une contribution retirée ou masquée ne reçoit pas de réponse."))


def answer_contribution(
    actor: User,
    contribution: Contribution,
    status: AnswerStatus | str | None,
    body: object,
    *,
    now: datetime | None = None,
) -> Answer:
    """Answer (or change the answer to) a contribution. Raises NotAllowed (not an organiser of
    the institution), InvalidState (consultation not yet open, contribution withdrawn or
    hidden), ValidationFailed (status, body)."""
    now = now or clock.now()
    consultation = get_existing(Consultation, contribution.consultation_id)
    check_can_answer(actor, contribution, now)
    errors: dict[str, str] = {}
    try:
        parsed = parse_status(status)
    except ValidationFailed as error:
        errors.update(error.fields)
    body = body.strip() if isinstance(body, str) else ""
    if not body:
        errors["body"] = _("Rédigez la réponse.")
    elif len(body) > ANSWER_MAX:
        errors["body"] = _(
            "%(n)s caractères au maximum (%(count)s saisis).",
            n=number(ANSWER_MAX),
            count=number(len(body)),
        )
    if errors:
        raise ValidationFailed(fields=errors)
    # A backref that synthesis.models adds to Contribution (participation cannot name it).
    answer: Answer | None = contribution.answer  # type: ignore[attr-defined]
    if answer is None:
        answer = Answer(
            contribution_id=contribution.id,
            consultation_id=consultation.id,
            created_at=now,
        )
        db.session.add(answer)
    answer.status, answer.body, answer.author_id, answer.updated_at = parsed, body, actor.id, now
    db.session.flush()
    journal.record(
        consultation.id,
        "answer",
        now,
        contribution=contribution.tracking_number,
        status=parsed.value,
        content={"body": body},
    )
    author = get_existing(User, contribution.author_id)
    if not contribution.is_offline and author.is_active:
        send_mail(
            author.email,
            _l(
                "Réponse de l'administration à votre contribution %(number)s",
                number=contribution.tracking_number,
            ),
            "contribution_answered",
            user=author,
            contribution=contribution,
            consultation=consultation,
            answer=answer,
            link=external_url(
                "participation.contribution",
                slug=consultation.slug,
                contribution_id=contribution.id,
            ),
        )
    logger.info(
        "contribution answered: contribution=%s status=%s by user=%s",
        contribution.id,
        parsed.value,
        actor.id,
    )
    return answer


@dataclass(frozen=True)
class Commitment:
    committed: int  # the notice's promise: the N most supported contributions get an answer
    answered: int  # how many of the N currently most supported have one

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.committed) if self.committed else 0


def commitment_progress(consultation: Consultation) -> Commitment | None:
    """Progress of the notice's commitment to answer the N most supported contributions
    (published, top-level, ranked by the stored Wilson score), or None without commitment."""
    notice = consultation.notice
    committed = notice.answers_committed if notice else None
    if not committed:
        return None
    top = (
        sa.select(Contribution.id)
        .where(
            Contribution.consultation_id == consultation.id,
            Contribution.parent_id.is_(None),
            Contribution.is_public,
        )
        .order_by(Contribution.popularity.desc(), Contribution.id.desc())
        .limit(committed)
        .subquery()
    )
    answered = db.session.execute(
        sa.select(sa.func.count()).select_from(top).join(Answer, Answer.contribution_id == top.c.id)
    ).scalar_one()
    return Commitment(committed=committed, answered=answered)


def get_contribution_to_answer(
    contribution_id: int, actor: User
) -> tuple[Contribution, Consultation]:
    """The contribution `actor` answers, with its consultation (the answer page). Raises
    NotFound (no such contribution) or NotAllowed (the actor does not organise the
    consultation's institution)."""
    contribution = db.session.get(Contribution, contribution_id)
    if contribution is None:
        raise NotFound()
    consultation = get_existing(Consultation, contribution.consultation_id)
    if not actor.can_organise(consultation.institution_id):
        raise NotAllowed()
    return contribution, consultation
