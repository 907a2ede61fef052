"""Who may take part, and what an actor may do with one contribution.

A participant writes (votes, contributes, replies, edits, withdraws) with a verified account,
not blocked by the institution's moderation, while the consultation is open — the clock is
read inside the write transaction. Each action has its `…_refusal` predicate (the error the
service raises, or None) and its `can_…` flag for the pages.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from consultation.accounts.models import ParticipationBlock, User
from consultation.consultations.models import Consultation
from consultation.core import clock
from consultation.core.clock import format_paris
from consultation.core.db import get_existing
from consultation.core.errors import (
    ConsultationNotOpen,
    DomainError,
    InvalidState,
    NotAllowed,
    ValidationFailed,
)
from consultation.core.i18n import N_
from consultation.extensions import db
from consultation.participation.models import Contribution


def participation_refusal(
    actor: User | None, consultation: Consultation, now: datetime
) -> DomainError | None:
    """Why `actor` may not write in `consultation` at `now` (vote, contribute, reply, edit,
    withdraw), or None if they may: NotAllowed for a visitor, an unverified account or one
    blocked by the institution's moderation, ConsultationNotOpen outside the open period."""
    if actor is None or not actor.is_authenticated:
        return NotAllowed(_("Connectez-vous pour participer."))
    if not actor.is_verified:
        return NotAllowed(_("Confirmez votre adresse e-mail pour participer."))
    block = active_block(actor, consultation.institution_id)
    if block is not None:
        return NotAllowed(block_message(block))
    if not consultation.is_open_at(now):
        if consultation.opens_at is None or consultation.closes_at is None:  # a draft
            return ConsultationNotOpen(_("La consultation n'est pas ouverte."))
        return ConsultationNotOpen(
            _(
                "La consultation n'est pas ouverte : les avis sont reçus du %(opens)s au "
                "%(closes)s.",
                opens=format_paris(consultation.opens_at),
                closes=format_paris(consultation.closes_at),
            )
        )
    return None


def check_can_participate(actor: User, consultation: Consultation, now: datetime) -> None:
    """Raise what `participation_refusal` finds, if anything."""
    error = participation_refusal(actor, consultation, now)
    if error is not None:
        raise error


# --- What an actor may do with one contribution ------------------------------------------------
#
# One predicate per action, each the `…_refusal` function below (the error the service raises,
# or None) and its `can_…` form. The services raise the refusal; the API answers it; the pages
# receive the `can_…` flags from `participation.queries` and never decide themselves.
# `standing` is the actor's `participation_refusal` in the contribution's consultation, when the
# caller has already computed it for a page of contributions.


class _Unknown(enum.Enum):
    """A standing not computed yet (None is "may participate")."""

    token = 0


_UNKNOWN = _Unknown.token
Standing = DomainError | None | _Unknown


def _standing(
    actor: User | None, contribution: Contribution, now: datetime, standing: Standing
) -> DomainError | None:
    if not isinstance(standing, _Unknown):
        return standing
    return participation_refusal(
        actor, get_existing(Consultation, contribution.consultation_id), now
    )


def vote_refusal(
    actor: User | None, contribution: Contribution, now: datetime, *, standing: Standing = _UNKNOWN
) -> DomainError | None:
    """May `actor` vote on `contribution` (or change or withdraw their vote)? Anyone who may
    participate, on a contribution that is still public (see `contribution_state`)."""
    error = _standing(actor, contribution, now, standing)
    if error is not None:
        return error
    if contribution.is_withdrawn:
        return ValidationFailed(_("Cette contribution a été retirée par son auteur."))
    if contribution.is_hidden:
        return ValidationFailed(_("Cette contribution a été masquée par la modération."))
    return None


def reply_target_refusal(parent: Contribution) -> ValidationFailed | None:
    """Replies are one level deep, to a public contribution of any kind."""
    if parent.parent_id is not None:
        return ValidationFailed(
            fields={
                "parent_id": _(
                    "On ne répond pas à une réponse : répondez à la contribution d'origine."
                )
            }
        )
    if not parent.is_public:
        return ValidationFailed(
            fields={"parent_id": _("On ne répond pas à une contribution retirée ou masquée.")}
        )
    return None


def reply_refusal(
    actor: User | None, contribution: Contribution, now: datetime, *, standing: Standing = _UNKNOWN
) -> DomainError | None:
    """May `actor` reply to `contribution`? Anyone who may participate, to a public
    contribution of any kind that is not itself a reply."""
    return _standing(actor, contribution, now, standing) or reply_target_refusal(contribution)


def _authorship_refusal(
    actor: User | None, contribution: Contribution, message: str
) -> NotAllowed | None:
    """`message` (a French source marked N_) when `actor` is not the contribution's author."""
    if (
        actor is None
        or not actor.is_authenticated
        or contribution.author_id != actor.id
        or contribution.is_offline
    ):
        return NotAllowed(_(message))
    return None


def edit_refusal(
    actor: User | None, contribution: Contribution, now: datetime, *, standing: Standing = _UNKNOWN
) -> DomainError | None:
    """May `actor` edit `contribution`? Its author (online contributions), until closing,
    while it is neither withdrawn nor hidden."""
    error = _authorship_refusal(
        actor, contribution, N_("Seul l'auteur peut modifier sa contribution.")
    )
    if error is not None:
        return error
    if contribution.is_withdrawn:
        return NotAllowed(_("Une contribution retirée ne peut plus être modifiée."))
    if contribution.is_hidden:
        return NotAllowed(
            _("Une contribution masquée par la modération ne peut plus être modifiée.")
        )
    return _standing(actor, contribution, now, standing)


def withdraw_refusal(
    actor: User | None, contribution: Contribution, now: datetime, *, standing: Standing = _UNKNOWN
) -> DomainError | None:
    """May `actor` withdraw `contribution`? Its author (online contributions), until closing,
    once."""
    error = _authorship_refusal(
        actor, contribution, N_("Seul l'auteur peut retirer sa contribution.")
    )
    if error is not None:
        return error
    if contribution.is_withdrawn:
        return InvalidState(_("Cette contribution est déjà retirée."))
    return _standing(actor, contribution, now, standing)


def check_can_vote_on(actor: User, contribution: Contribution, now: datetime) -> None:
    """Raise what `vote_refusal` finds, if anything: before the vote's value is read."""
    error = vote_refusal(actor, contribution, now)
    if error is not None:
        raise error


def check_can_edit(actor: User, contribution: Contribution, now: datetime) -> None:
    """Raise what `edit_refusal` finds, if anything: before the changes are read."""
    error = edit_refusal(actor, contribution, now)
    if error is not None:
        raise error


def can_vote_on(
    actor: User | None, contribution: Contribution, now: datetime | None = None
) -> bool:
    return vote_refusal(actor, contribution, now or clock.now()) is None


def can_reply(actor: User | None, contribution: Contribution, now: datetime | None = None) -> bool:
    return reply_refusal(actor, contribution, now or clock.now()) is None


def can_edit(actor: User | None, contribution: Contribution, now: datetime | None = None) -> bool:
    return edit_refusal(actor, contribution, now or clock.now()) is None


def can_withdraw(
    actor: User | None, contribution: Contribution, now: datetime | None = None
) -> bool:
    return withdraw_refusal(actor, contribution, now or clock.now()) is None


def can_participate(actor: User | None, consultation: Consultation, now: datetime) -> bool:
    """Whether `actor` may vote and contribute in `consultation` at `now`: the rule of
    `check_can_participate`, as a flag for pages (False for a visitor)."""
    return participation_refusal(actor, consultation, now) is None


def active_block(user: User | None, institution_id: int) -> ParticipationBlock | None:
    """The moderation block that bars `user` from writing in the institution's consultations."""
    if user is None or not user.is_authenticated:
        return None
    return db.session.scalar(
        sa.select(ParticipationBlock)
        .where(
            ParticipationBlock.user_id == user.id,
            ParticipationBlock.institution_id == institution_id,
            ParticipationBlock.lifted_at.is_(None),
        )
        .limit(1)
    )


def block_message(block: ParticipationBlock) -> str:
    message: str = _(
        "Votre compte ne peut plus écrire dans les consultations de %(institution)s : la "
        "modération l'a bloqué le %(date)s (motif : %(reason)s). Vous pouvez toujours tout lire.",
        institution=block.institution.name,
        date=format_paris(block.created_at),
        reason=block.reason.label.lower(),
    )
    return message
