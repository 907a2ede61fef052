"""Appeals: the author of a hidden contribution asks the moderators to look at it again.

The e-mail telling an author that their contribution was hidden links to the appeal form (and,
with `MODERATION_REPLY_TO` set, answering it reaches the moderators). An appeal is one per
hiding, only by the author, only while the contribution is hidden. It waits in the moderators'
queue ("Recours à examiner", shown first) until a moderator restores the contribution (the
appeal is "restored") or rejects the appeal (`dismiss`, the appeal is "rejected"); the author
is told either way.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from consultation.accounts.models import User
from consultation.consultations.models import Consultation
from consultation.core import clock
from consultation.core.db import get_existing, rowcount
from consultation.core.errors import Conflict, DomainError, InvalidState, NotFound, ValidationFailed
from consultation.core.i18n import _l
from consultation.core.i18n import number as locale_number
from consultation.core.mail import send_mail
from consultation.core.urls import external_url
from consultation.extensions import db
from consultation.moderation.limits import APPEAL_MAX
from consultation.moderation.models import Appeal
from consultation.participation.models import Contribution

logger = logging.getLogger(__name__)


class AlreadyAppealed(Conflict):
    code = "already_appealed"


def reply_to() -> str | None:
    """The address moderation e-mails name as Reply-To (`MODERATION_REPLY_TO`), if any."""
    return current_app.config.get("MODERATION_REPLY_TO") or None


def appeal_link(consultation: Consultation, contribution: Contribution) -> str:
    return external_url(
        "moderation.appeal", slug=consultation.slug, contribution_id=contribution.id
    )


def current_appeal(contribution: Contribution) -> Appeal | None:
    """The appeal against the contribution's current hiding, if one was made."""
    if contribution.hidden_at is None:
        return None
    return db.session.scalar(
        sa.select(Appeal).where(
            Appeal.contribution_id == contribution.id,
            Appeal.hidden_at == contribution.hidden_at,
        )
    )


def appeal_refusal(actor: User | None, contribution: Contribution) -> DomainError | None:
    """May `actor` appeal against the hiding of `contribution`? Its author only (anyone else:
    NotFound, so that an appeal form tells nobody who wrote what), not for an observation
    received offline, while it is hidden (InvalidState), once per hiding (AlreadyAppealed)."""
    if (
        actor is None
        or not actor.is_authenticated
        or contribution.is_offline
        or contribution.author_id != actor.id
    ):
        return NotFound(_("Aucune contribution à cette adresse."))
    if not contribution.is_hidden:
        return InvalidState(
            _("Cette contribution n'est pas masquée par la modération : il n'y a rien à contester.")
        )
    if current_appeal(contribution) is not None:
        return AlreadyAppealed(
            _(
                "Vous avez déjà formé un recours contre ce masquage ; la modération l'examine et "
                "vous écrira."
            )
        )
    return None


def check_can_appeal(actor: User, contribution: Contribution) -> None:
    """Raise what `appeal_refusal` finds, if anything: before the appeal's text is read."""
    refusal = appeal_refusal(actor, contribution)
    if refusal is not None:
        raise refusal


def can_appeal(actor: User | None, contribution: Contribution) -> bool:
    return appeal_refusal(actor, contribution) is None


def appeal_hiding(
    actor: User, contribution: Contribution, body: object, *, now: datetime | None = None
) -> Appeal:
    """Appeal against the hiding of one's contribution, saying why: it lands in the
    moderators' queue. Raises what `appeal_refusal` finds, then ValidationFailed (body: empty
    or longer than APPEAL_MAX)."""
    now = now or clock.now()
    check_can_appeal(actor, contribution)
    text = body.strip() if isinstance(body, str) else ""
    if not text:
        raise ValidationFailed(
            fields={"body": _("Expliquez en quoi votre contribution respecte la charte.")}
        )
    if len(text) > APPEAL_MAX:
        raise ValidationFailed(
            fields={
                "body": _(
                    "%(n)s caractères au maximum (%(typed)s saisis).",
                    n=locale_number(APPEAL_MAX),
                    typed=locale_number(len(text)),
                )
            }
        )
    appeal = Appeal(
        contribution_id=contribution.id,
        author_id=actor.id,
        hidden_at=contribution.hidden_at,
        body=text,
        created_at=now,
    )
    db.session.add(appeal)
    db.session.flush()
    logger.info("appeal made: contribution=%s by user=%s", contribution.id, actor.id)
    return appeal


def resolve(contribution: Contribution, resolution: str, now: datetime) -> Appeal | None:
    """Close the open appeal against the contribution's current hiding, if any, as
    `resolution` ("restored" or "rejected"), and tell its author; returns it. Called by the
    moderation services that restore a contribution or reject what is pending on it."""
    appeal = current_appeal(contribution)
    if appeal is None or not appeal.is_open:
        return None
    appeal.resolved_at, appeal.resolution = now, resolution
    db.session.flush()
    author = get_existing(User, appeal.author_id)
    consultation = get_existing(Consultation, contribution.consultation_id)
    if author.is_active:
        send_mail(
            author.email,
            _l(
                "Votre recours sur la contribution %(number)s",
                number=contribution.tracking_number,
            ),
            "appeal_decided",
            reply_to=reply_to(),
            user=author,
            contribution=contribution,
            consultation=consultation,
            restored=resolution == "restored",
            link=external_url(
                "participation.contribution",
                slug=consultation.slug,
                contribution_id=contribution.id,
            ),
            charter_link=external_url("moderation.charter", slug=consultation.slug),
        )
    logger.info("appeal %s: contribution=%s", resolution, contribution.id)
    return appeal


def open_appeals(contribution_ids: Iterable[int]) -> dict[int, Appeal]:
    """The open appeals of these contributions, by contribution id (one query)."""
    ids = list(contribution_ids)
    if not ids:
        return {}
    return {
        appeal.contribution_id: appeal
        for appeal in db.session.scalars(
            sa.select(Appeal).where(Appeal.contribution_id.in_(ids), Appeal.resolved_at.is_(None))
        )
    }


def appeals_of(contribution: Contribution) -> list[Appeal]:
    """Every appeal made against the hidings of a contribution, newest first."""
    return list(
        db.session.scalars(
            sa.select(Appeal)
            .where(Appeal.contribution_id == contribution.id)
            .order_by(Appeal.id.desc())
        )
    )


# --- The author's own data ----------------------------------------------------------------------

APPEAL_STATUS_LABELS = {
    "pending": "En attente d'examen",
    "restored": "Accepté : contribution rétablie",
    "rejected": "Rejeté : la contribution reste masquée",
}


def personal_data(sender: object = None, *, user: User) -> dict[str, list[dict[str, Any]]]:
    """The person's appeals for "Mes données" (`accounts.signals.personal_data_requested`),
    oldest first: contribution's tracking number, consultation, date, text, status (pending,
    restored, rejected) with its French label, and date of the decision."""
    rows = db.session.execute(
        sa.select(Appeal, Contribution.tracking_number, Consultation.slug, Consultation.title)
        .join(Contribution, Contribution.id == Appeal.contribution_id)
        .join(Consultation, Consultation.id == Contribution.consultation_id)
        .where(Appeal.author_id == user.id)
        .order_by(Appeal.id)
    ).all()
    entries = []
    for appeal, number, slug, title in rows:
        status = appeal.resolution or "pending"
        entries.append(
            {
                "contribution": number,
                "consultation": {"slug": slug, "title": title},
                "created_at": appeal.created_at,
                "body": appeal.body,
                "status": status,
                "status_label": APPEAL_STATUS_LABELS.get(status, status),
                "decided_at": appeal.resolved_at,
            }
        )
    return {"appeals": entries}


def erase_texts(sender: object = None, *, user_id: int, at: datetime) -> int:
    """On the erasure of an account (`accounts.signals.account_erased`), blank the text of the
    person's appeals. The rows stay — their contribution, dates and outcome — so that the
    moderators' queue and counts of appeals stay exactly true; returns how many were blanked."""
    blanked = rowcount(
        db.session.execute(
            sa.update(Appeal)
            .where(Appeal.author_id == user_id, Appeal.body != "")
            .values(body="")
            .execution_options(synchronize_session="fetch")
        )
    )
    logger.info("appeal texts erased with the account: user=%s count=%s", user_id, blanked)
    return blanked
