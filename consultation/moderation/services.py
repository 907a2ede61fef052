"""Reports, moderation decisions and blocks.

Participants report a contribution with a charter reason. A moderator of the consultation's
institution (or an administrator) hides it (its text is replaced everywhere by the reason; it
stays counted), restores it, dismisses its reports, marks it as a duplicate of another
contribution of the same consultation, or blocks its author from writing in the institution's
consultations. Every decision is a row of `ModerationDecision` (who, when, what, why) and an
entry of the consultation's tamper-evident record, in the same transaction.
"""

from __future__ import annotations

import enum
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from consultation.accounts.models import Institution, ParticipationBlock, Role, User
from consultation.consultations.models import Consultation
from consultation.consultations.services import can_view
from consultation.core import clock, journal
from consultation.core.auth import has_role
from consultation.core.charter import ModerationReason
from consultation.core.db import get_existing, rowcount
from consultation.core.errors import (
    Conflict,
    DomainError,
    InvalidState,
    NotAllowed,
    NotFound,
    ValidationFailed,
)
from consultation.core.i18n import _l, lazy_ngettext, number
from consultation.core.jobs import enqueue_after_commit
from consultation.core.mail import compose_mail, deliver_all, queue_mail
from consultation.core.urls import external_url
from consultation.extensions import db
from consultation.moderation import appeals
from consultation.moderation.limits import DETAILS_MAX, NOTE_MAX
from consultation.moderation.models import ModerationAction, ModerationDecision, Report
from consultation.participation import services as participation
from consultation.participation.models import Contribution

logger = logging.getLogger(__name__)

BULK_MAX = 500


class AlreadyReported(Conflict):
    code = "already_reported"


def parse_reason(value: object, field_name: str = "reason") -> ModerationReason:
    """The charter reason named by `value`; ValidationFailed naming the field otherwise."""
    if isinstance(value, ModerationReason):
        return value
    try:
        return ModerationReason(value)
    except ValueError:
        message = (
            _("Choisissez un motif.")
            if value in (None, "")
            else _("Motif inconnu : insult, spam, off_topic, personal_data, illegal ou other.")
        )
        raise ValidationFailed(fields={field_name: message}) from None


def _clean_text(value: object, limit: int, field_name: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if len(text) > limit:
        raise ValidationFailed(
            fields={field_name: _("%(n)s caractères au maximum.", n=number(limit))}
        )
    return text


# --- Reports ------------------------------------------------------------------------------------


class _Unknown(enum.Enum):
    """A block not looked up yet (None is "no block")."""

    token = 0


_UNKNOWN = _Unknown.token


def report_refusal(
    actor: User | None,
    contribution: Contribution,
    *,
    reported: bool | None = None,
    block: ParticipationBlock | None | _Unknown = _UNKNOWN,
) -> DomainError | None:
    """May `actor` report `contribution`? A signed-in, verified account not blocked by the
    institution, on a contribution they can see, still public, not their own, once (also after
    closing: moderation goes on). For a page of contributions the caller may pass what it
    already knows: `reported` (whether the actor has reported this one) and `block` (the
    actor's active block in the institution, or None)."""
    if actor is None or not actor.is_authenticated:
        return NotAllowed(_("Connectez-vous pour signaler une contribution."))
    consultation = get_existing(Consultation, contribution.consultation_id)
    if not actor.is_verified:
        return NotAllowed(_("Confirmez votre adresse e-mail pour signaler une contribution."))
    if isinstance(block, _Unknown):
        block = participation.active_block(actor, consultation.institution_id)
    if block is not None:
        return NotAllowed(participation.block_message(block))
    if not can_view(actor, consultation):
        return NotFound(_("Aucune contribution à cette adresse."))
    if contribution.author_id == actor.id and not contribution.is_offline:
        return InvalidState(_("Vous ne pouvez pas signaler votre propre contribution."))
    if not contribution.is_public:
        return InvalidState(
            _("Cette contribution n'est plus publiée : elle ne peut être signalée.")
        )
    if reported is None:
        reported = has_reported(actor, contribution)
    if reported:
        return AlreadyReported(_("Vous avez déjà signalé cette contribution ; merci."))
    return None


def check_can_report(actor: User, contribution: Contribution) -> None:
    """Raise what `report_refusal` finds, if anything: before the report's reason is read."""
    refusal = report_refusal(actor, contribution)
    if refusal is not None:
        raise refusal


def can_report(actor: User | None, contribution: Contribution) -> bool:
    return report_refusal(actor, contribution) is None


def has_reported(actor: User | None, contribution: Contribution) -> bool:
    """Whether `actor` has reported `contribution`."""
    return bool(reported_by(actor, [contribution.id]))


def reported_by(actor: User | None, contribution_ids: Iterable[int]) -> set[int]:
    """Which of these contributions `actor` has reported (one query)."""
    ids = list(contribution_ids)
    if actor is None or not actor.is_authenticated or not ids:
        return set()
    return set(
        db.session.scalars(
            sa.select(Report.contribution_id).where(
                Report.reporter_id == actor.id, Report.contribution_id.in_(ids)
            )
        )
    )


def report_contribution(
    actor: User,
    contribution: Contribution,
    reason: ModerationReason | str | None,
    details: str = "",
    *,
    now: datetime | None = None,
) -> Report:
    """Report a contribution to the moderators with a charter reason.

    Raises what `report_refusal` finds (NotAllowed, NotFound, InvalidState, AlreadyReported),
    then ValidationFailed (reason, details).
    """
    now = now or clock.now()
    consultation = get_existing(Consultation, contribution.consultation_id)
    check_can_report(actor, contribution)
    errors: dict[str, str] = {}
    try:
        parsed = parse_reason(reason)
    except ValidationFailed as error:
        errors.update(error.fields)
    try:
        details = _clean_text(details, DETAILS_MAX, "details")
    except ValidationFailed as error:
        errors.update(error.fields)
    if errors:
        raise ValidationFailed(fields=errors)
    report = Report(
        contribution_id=contribution.id,
        reporter_id=actor.id,
        reason=parsed,
        details=details,
        created_at=now,
    )
    db.session.add(report)
    db.session.execute(
        sa.update(Contribution)
        .where(Contribution.id == contribution.id)
        .values(reports_open=Contribution.reports_open + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    db.session.expire(contribution, ["reports_open"])
    # Counted in the public moderation figures: the record keeps the reason, not who reported
    # nor which contribution.
    journal.record(consultation.id, "report", now, reason=parsed.value)
    logger.info(
        "contribution reported: contribution=%s reason=%s user=%s",
        contribution.id,
        parsed.value,
        actor.id,
    )
    return report


# --- Decisions on a contribution ----------------------------------------------------------------


def _check_moderator(actor: User, consultation: Consultation) -> None:
    if not actor.can_moderate(consultation.institution_id):
        raise NotAllowed(_("Seuls les modérateurs de l'institution modèrent cette consultation."))


def require_moderator(actor: User) -> None:
    """NotAllowed unless `actor` holds the moderator role (administrators do): the queue and the
    bulk action, before their filters or body are read."""
    if not has_role(actor, Role.moderator):
        raise NotAllowed(_("Réservé aux modérateurs."))


def check_can_moderate(actor: User, contribution: Contribution) -> None:
    """NotAllowed unless `actor` moderates the contribution's institution: before the decision
    is read (`moderate`)."""
    _check_moderator(actor, get_existing(Consultation, contribution.consultation_id))


def _resolve_reports(contribution: Contribution, resolution: str, now: datetime) -> int:
    resolved = rowcount(
        db.session.execute(
            sa.update(Report)
            .where(Report.contribution_id == contribution.id, Report.resolved_at.is_(None))
            .values(resolved_at=now, resolution=resolution)
            .execution_options(synchronize_session=False)
        )
    )
    contribution.reports_open = 0
    return resolved


def _decide(
    actor: User,
    consultation: Consultation,
    contribution: Contribution | None,
    action: ModerationAction,
    now: datetime,
    *,
    reason: ModerationReason | None = None,
    note: str = "",
    subject_id: int | None = None,
    duplicate_of: Contribution | None = None,
) -> ModerationDecision:
    decision = ModerationDecision(
        institution_id=consultation.institution_id,
        consultation_id=consultation.id,
        contribution_id=contribution.id if contribution else None,
        subject_id=subject_id,
        moderator_id=actor.id,
        action=action,
        reason=reason,
        note=note,
        duplicate_of_id=duplicate_of.id if duplicate_of else None,
        created_at=now,
    )
    db.session.add(decision)
    if contribution is not None:
        journal.record(
            consultation.id,
            "moderation",
            now,
            contribution=contribution.tracking_number,
            action=action.value,
            reason=reason.value if reason else None,
            duplicate_of=duplicate_of.tracking_number if duplicate_of else None,
        )
    logger.info(
        "moderation %s: contribution=%s reason=%s by user=%s",
        action.value,
        contribution.id if contribution else None,
        reason.value if reason else None,
        actor.id,
    )
    return decision


def hide_contribution(
    actor: User,
    contribution: Contribution,
    reason: ModerationReason | str | None,
    note: str = "",
    *,
    notify: bool = True,
    now: datetime | None = None,
) -> ModerationDecision:
    """Hide a contribution for a charter reason: its text is replaced on every public surface by
    "Contribution masquée par la modération — motif : …"; it stays counted and its open reports
    are resolved; its author is told why by e-mail unless `notify` is false (bulk clearing of
    spam). Raises NotAllowed, ValidationFailed (reason, note), InvalidState if hidden."""
    now = now or clock.now()
    consultation = get_existing(Consultation, contribution.consultation_id)
    _check_moderator(actor, consultation)
    parsed = parse_reason(reason)
    note = _clean_text(note, NOTE_MAX, "note")
    if contribution.is_hidden:
        raise InvalidState(_("Cette contribution est déjà masquée."))
    contribution.hidden_at = now
    contribution.hidden_reason = parsed
    _resolve_reports(contribution, "hidden", now)
    author = get_existing(User, contribution.author_id)
    if notify and not contribution.is_offline and author.is_active:
        queue_mail(_hidden_message(author, [(contribution, consultation)]))
    return _decide(
        actor, consultation, contribution, ModerationAction.hide, now, reason=parsed, note=note
    )


def restore_contribution(
    actor: User, contribution: Contribution, note: str = "", *, now: datetime | None = None
) -> ModerationDecision:
    """Publish a hidden contribution again. Raises NotAllowed, InvalidState if not hidden."""
    now = now or clock.now()
    consultation = get_existing(Consultation, contribution.consultation_id)
    _check_moderator(actor, consultation)
    note = _clean_text(note, NOTE_MAX, "note")
    if not contribution.is_hidden:
        raise InvalidState(_("Cette contribution n'est pas masquée."))
    appeals.resolve(contribution, "restored", now)
    contribution.hidden_at = None
    contribution.hidden_reason = None
    return _decide(actor, consultation, contribution, ModerationAction.restore, now, note=note)


def dismiss_reports(
    actor: User, contribution: Contribution, note: str = "", *, now: datetime | None = None
) -> ModerationDecision:
    """Close a contribution's open reports without hiding it, and reject an open appeal
    against its hiding (it stays hidden; the author is told). Raises NotAllowed, InvalidState
    when neither a report nor an appeal is open."""
    now = now or clock.now()
    consultation = get_existing(Consultation, contribution.consultation_id)
    _check_moderator(actor, consultation)
    note = _clean_text(note, NOTE_MAX, "note")
    reports = _resolve_reports(contribution, "dismissed", now)
    appeal = appeals.resolve(contribution, "rejected", now)
    if not reports and appeal is None:
        raise InvalidState(_("Aucun signalement ni recours en attente sur cette contribution."))
    return _decide(actor, consultation, contribution, ModerationAction.dismiss, now, note=note)


def find_contribution(reference: object) -> Contribution | None:
    """A contribution by id (number) or tracking number ("C-…")."""
    if isinstance(reference, bool):
        return None
    if isinstance(reference, int):
        return db.session.get(Contribution, reference)
    if isinstance(reference, str) and reference.strip().isdigit():
        return db.session.get(Contribution, int(reference.strip()))
    if isinstance(reference, str) and reference.strip():
        return participation.find_by_tracking_number(reference)
    return None


def mark_duplicate(
    actor: User,
    contribution: Contribution,
    original_ref: object,
    note: str = "",
    *,
    now: datetime | None = None,
) -> ModerationDecision:
    """Mark a contribution as repeating `original_ref` (id or tracking number), an earlier
    contribution of the same consultation; its open reports are resolved. Raises NotAllowed,
    ValidationFailed (duplicate_of: unknown, other consultation, itself, itself a duplicate)."""
    now = now or clock.now()
    consultation = get_existing(Consultation, contribution.consultation_id)
    _check_moderator(actor, consultation)
    note = _clean_text(note, NOTE_MAX, "note")
    original = find_contribution(original_ref)
    if original is None:
        problem = _(
            "Indiquez le numéro de la contribution d'origine (par exemple C-7KQ2-M9XD-4HTR)."
        )
        raise ValidationFailed(fields={"duplicate_of": problem})
    duplicate_problem: str | None = None
    if original.consultation_id != contribution.consultation_id:
        duplicate_problem = _("La contribution d'origine doit appartenir à la même consultation.")
    elif original.id == contribution.id:
        duplicate_problem = _("Une contribution ne peut pas être le doublon d'elle-même.")
    elif original.duplicate_of_id is not None:
        duplicate_problem = _("Cette contribution est elle-même un doublon : désignez l'originale.")
    if duplicate_problem:
        raise ValidationFailed(fields={"duplicate_of": duplicate_problem})
    contribution.duplicate_of_id = original.id
    _resolve_reports(contribution, "duplicate", now)
    return _decide(
        actor,
        consultation,
        contribution,
        ModerationAction.duplicate,
        now,
        note=note,
        duplicate_of=original,
    )


# --- Blocks -------------------------------------------------------------------------------------


def block_participant(
    actor: User,
    participant: User,
    institution: Institution,
    reason: ModerationReason | str | None,
    note: str = "",
    *,
    consultation: Consultation | None = None,
    notify: bool = True,
    now: datetime | None = None,
) -> ParticipationBlock:
    """Bar a participant from writing (contributing, voting, replying, reporting) in the
    institution's consultations. They keep reading and are told why. Raises NotAllowed (not a
    moderator of the institution, staff account), ValidationFailed, InvalidState if blocked."""
    now = now or clock.now()
    if not actor.can_moderate(institution.id):
        raise NotAllowed(_("Seuls les modérateurs de l'institution bloquent un participant."))
    if participant.role is not Role.participant:
        raise NotAllowed(_("Seul un compte de participant peut être bloqué."))
    parsed = parse_reason(reason)
    note = _clean_text(note, NOTE_MAX, "note")
    if participation.active_block(participant, institution.id) is not None:
        raise InvalidState(_("Ce participant est déjà bloqué."))
    block = ParticipationBlock(
        user_id=participant.id,
        institution_id=institution.id,
        reason=parsed,
        note=note,
        created_by_id=actor.id,
        created_at=now,
    )
    db.session.add(block)
    db.session.add(
        ModerationDecision(
            institution_id=institution.id,
            consultation_id=consultation.id if consultation else None,
            subject_id=participant.id,
            moderator_id=actor.id,
            action=ModerationAction.block,
            reason=parsed,
            note=note,
            created_at=now,
        )
    )
    db.session.flush()
    if notify and participant.is_active:
        queue_mail(_blocked_message(participant, block, consultation))
    logger.info(
        "participant blocked: user=%s institution=%s by user=%s",
        participant.id,
        institution.id,
        actor.id,
    )
    return block


def lift_block(
    actor: User, block: ParticipationBlock, note: str = "", *, now: datetime | None = None
) -> None:
    """Let a blocked participant write again. Raises NotAllowed, InvalidState if lifted."""
    now = now or clock.now()
    if not actor.can_moderate(block.institution_id):
        raise NotAllowed(_("Seuls les modérateurs de l'institution lèvent ce blocage."))
    note = _clean_text(note, NOTE_MAX, "note")
    if not block.is_active:
        raise InvalidState(_("Ce blocage est déjà levé."))
    block.lifted_at = now
    block.lifted_by_id = actor.id
    db.session.add(
        ModerationDecision(
            institution_id=block.institution_id,
            subject_id=block.user_id,
            moderator_id=actor.id,
            action=ModerationAction.unblock,
            note=note,
            created_at=now,
        )
    )
    logger.info("participant unblocked: user=%s by user=%s", block.user_id, actor.id)


# --- Telling the authors -----------------------------------------------------------------------


def _hidden_message(author: User, hidden: list[tuple[Contribution, Consultation]]) -> EmailMessage:
    """The e-mail telling `author` that these contributions of theirs were hidden: for one, the
    message of a single hiding; for several (a bulk decision), one message listing each
    tracking number with its reason and its own appeal link. Reply-To reaches the moderators
    when `MODERATION_REPLY_TO` is set."""
    if len(hidden) == 1:
        contribution, consultation = hidden[0]
        return compose_mail(
            author.email,
            _l("Votre contribution %(number)s a été masquée", number=contribution.tracking_number),
            "contribution_hidden",
            reply_to=appeals.reply_to(),
            user=author,
            contribution=contribution,
            consultation=consultation,
            charter_link=external_url("moderation.charter", slug=consultation.slug),
            appeal_link=appeals.appeal_link(consultation, contribution),
        )
    consultations = {consultation.id: consultation for _, consultation in hidden}
    return compose_mail(
        author.email,
        lazy_ngettext(
            "%(num)s de vos contributions a été masquée",
            "%(num)s de vos contributions ont été masquées",
            len(hidden),
        ),
        "contributions_hidden",
        reply_to=appeals.reply_to(),
        user=author,
        items=[
            (contribution, consultation, appeals.appeal_link(consultation, contribution))
            for contribution, consultation in hidden
        ],
        charters=[
            (consultation, external_url("moderation.charter", slug=consultation.slug))
            for consultation in consultations.values()
        ],
    )


def _blocked_message(
    participant: User, block: ParticipationBlock, consultation: Consultation | None
) -> EmailMessage:
    """The e-mail telling a participant that an institution's moderation blocked them."""
    return compose_mail(
        participant.email,
        _l(
            "Votre compte ne peut plus écrire dans les consultations de %(institution)s",
            institution=block.institution.name,
        ),
        "participant_blocked",
        reply_to=appeals.reply_to(),
        user=participant,
        block=block,
        charter_link=external_url("moderation.charter", slug=consultation.slug)
        if consultation
        else external_url("pages.charter"),
    )


def notify_by_default(reason: object) -> bool:
    """Whether a bulk decision tells the authors when the moderator does not say: yes, except
    for the reason spam (clearing spam should not send messages to spammers)."""
    return reason not in (ModerationReason.spam, ModerationReason.spam.value)


def tell_hidden_authors(contribution_ids: list[int]) -> int:
    """The job after a bulk hiding: one e-mail per author of these contributions that are
    still hidden, grouping theirs (`_hidden_message`); observations received offline and
    erased accounts get none. Reads in one transaction, sends after it ends; returns how many
    were sent."""
    hidden = db.session.scalars(
        sa.select(Contribution)
        .where(
            Contribution.id.in_(contribution_ids),
            Contribution.hidden_at.is_not(None),
            Contribution.offline_channel.is_(None),
        )
        .order_by(Contribution.id)
        .options(selectinload(Contribution.author))
    ).all()
    consultations = {
        c.id: c
        for c in db.session.scalars(
            sa.select(Consultation).where(Consultation.id.in_({h.consultation_id for h in hidden}))
        )
    }
    by_author: dict[int, list[tuple[Contribution, Consultation]]] = {}
    for contribution in hidden:
        if contribution.author.is_active:
            by_author.setdefault(contribution.author_id, []).append(
                (contribution, consultations[contribution.consultation_id])
            )
    messages = [_hidden_message(items[0][0].author, items) for items in by_author.values()]
    sent = deliver_all(messages)
    logger.info("bulk hiding: %d author(s) told", sent)
    return sent


def tell_blocked_authors(blocks: list[list[int]]) -> int:
    """The job after a bulk block: `blocks` are [block id, consultation id] pairs; each
    participant still blocked and whose account is not erased gets the block's e-mail.
    Returns how many were sent."""
    messages = []
    for block_id, consultation_id in blocks:
        block = db.session.get(ParticipationBlock, block_id)
        if block is None or not block.is_active or not block.user.is_active:
            continue
        consultation = db.session.get(Consultation, consultation_id)
        messages.append(_blocked_message(block.user, block, consultation))
    sent = deliver_all(messages)
    logger.info("bulk block: %d participant(s) told", sent)
    return sent


# --- One entry point for the API and bulk actions -----------------------------------------------

ACTIONS = ("hide", "restore", "dismiss", "duplicate", "block")


def moderate(
    actor: User,
    contribution: Contribution,
    action: object,
    *,
    reason: ModerationReason | str | None = None,
    note: str = "",
    duplicate_of: object = None,
    notify: bool = True,
    now: datetime | None = None,
) -> ModerationDecision | ParticipationBlock:
    """Apply `action` (hide, restore, dismiss, duplicate, block — the author) to a contribution.
    Raises NotAllowed first for anyone but a moderator of the institution, then what the
    action's service raises, or ValidationFailed for an unknown action."""
    check_can_moderate(actor, contribution)
    if action == "hide":
        return hide_contribution(actor, contribution, reason, note, notify=notify, now=now)
    if action == "restore":
        return restore_contribution(actor, contribution, note, now=now)
    if action == "dismiss":
        return dismiss_reports(actor, contribution, note, now=now)
    if action == "duplicate":
        return mark_duplicate(actor, contribution, duplicate_of, note, now=now)
    if action == "block":
        consultation = get_existing(Consultation, contribution.consultation_id)
        _check_moderator(actor, consultation)
        if contribution.is_offline:
            raise InvalidState(_("Une observation reçue hors ligne n'a pas d'auteur à bloquer."))
        return block_participant(
            actor,
            get_existing(User, contribution.author_id),
            consultation.institution,
            reason,
            note,
            consultation=consultation,
            notify=notify,
            now=now,
        )
    raise ValidationFailed(
        fields={"action": _("Action inconnue : hide, restore, dismiss, duplicate ou block.")}
    )


@dataclass
class BulkResult:
    done: list[Contribution] = field(default_factory=list)
    skipped: list[tuple[Contribution | int, str]] = field(default_factory=list)


def bulk_moderate(
    actor: User,
    ids: Iterable[Any] | None,
    action: object,
    *,
    reason: ModerationReason | str | None = None,
    note: str = "",
    notify: bool | None = None,
    now: datetime | None = None,
) -> BulkResult:
    """Apply one action (hide, restore, dismiss, block) to a selection of contributions.

    The whole selection is checked first: an unknown action or reason, a `notify` that is not
    a boolean (or None), or an empty or too large selection, raises ValidationFailed and nothing
    changes. Then each contribution is handled on its own; one that the action does not apply
    to (already hidden, of another institution…) is skipped with the reason, the others are
    done — all in the caller's transaction.

    With `notify` (None: `notify_by_default`, yes except for spam), the authors of the
    contributions hidden, or the participants blocked, are told as after a single decision —
    one e-mail per author, listing their contributions with an appeal link each — by a job
    handed out once the caller's transaction commits (`tell_hidden_authors`,
    `tell_blocked_authors`); nothing leaves if it rolls back. Offline observations and erased
    accounts get nothing. Raises NotAllowed first for anyone without the moderator role
    (`require_moderator`).
    """
    now = now or clock.now()
    require_moderator(actor)
    if action not in ("hide", "restore", "dismiss", "block"):
        raise ValidationFailed(
            fields={"action": _("Action groupée : hide, restore, dismiss ou block.")}
        )
    if action in ("hide", "block"):
        reason = parse_reason(reason)
    if notify is None:
        notify = notify_by_default(reason)
    elif not isinstance(notify, bool):
        raise ValidationFailed(fields={"notify": _("Valeur attendue : true ou false.")})
    note = _clean_text(note, NOTE_MAX, "note")
    try:
        wanted = list(dict.fromkeys(int(i) for i in ids or []))
    except (TypeError, ValueError):
        raise ValidationFailed(
            fields={"ids": _("Identifiants de contributions invalides.")}
        ) from None
    if not wanted:
        raise ValidationFailed(fields={"ids": _("Sélectionnez au moins une contribution.")})
    if len(wanted) > BULK_MAX:
        raise ValidationFailed(
            fields={"ids": _("%(n)s contributions au plus à la fois.", n=number(BULK_MAX))}
        )
    # Lock the whole selection first, in id order: a vote locks its contribution before the
    # consultation's ledger head, so taking every row before the first append keeps one lock
    # order and no voter can deadlock with the bulk action (SQLite writes are serial anyway).
    found = {
        c.id: c
        for c in db.session.scalars(
            sa.select(Contribution)
            .where(Contribution.id.in_(wanted))
            .order_by(Contribution.id)
            .with_for_update()
        )
    }
    result = BulkResult()
    blocks: list[list[int]] = []
    for contribution_id in wanted:
        contribution = found.get(contribution_id)
        if contribution is None:
            result.skipped.append((contribution_id, _("Contribution introuvable.")))
            continue
        try:
            with db.session.begin_nested():
                outcome = moderate(
                    actor, contribution, action, reason=reason, note=note, notify=False, now=now
                )
        except DomainError as error:
            result.skipped.append((contribution, error.message))
        else:
            result.done.append(contribution)
            if isinstance(outcome, ParticipationBlock):
                blocks.append([outcome.id, contribution.consultation_id])
    if notify and action == "hide" and result.done:
        enqueue_after_commit(
            "consultation.moderation.services:tell_hidden_authors", [c.id for c in result.done]
        )
    if notify and blocks:
        enqueue_after_commit("consultation.moderation.services:tell_blocked_authors", blocks)
    return result


# --- Public figures -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ModerationFigures:
    contributions: int
    reports: int
    reports_by_reason: dict[ModerationReason, int]
    hidden: int
    hidden_by_reason: dict[ModerationReason, int]
    restored: int
    dismissed: int
    duplicates: int


def public_figures(consultation: Consultation) -> ModerationFigures:
    """What the public sees of a consultation's moderation: reports received and contributions
    currently hidden, by charter reason; restorations, dismissals and duplicates."""
    contributions = db.session.execute(
        sa.select(sa.func.count()).where(Contribution.consultation_id == consultation.id)
    ).scalar_one()
    reports = Counter(
        dict(
            db.session.execute(
                sa.select(Report.reason, sa.func.count())
                .join(Contribution, Contribution.id == Report.contribution_id)
                .where(Contribution.consultation_id == consultation.id)
                .group_by(Report.reason)
            ).all()
        )
    )
    hidden = Counter(
        dict(
            db.session.execute(
                sa.select(Contribution.hidden_reason, sa.func.count())
                .where(
                    Contribution.consultation_id == consultation.id,
                    Contribution.hidden_at.is_not(None),
                )
                .group_by(Contribution.hidden_reason)
            ).all()
        )
    )
    actions = Counter(
        dict(
            db.session.execute(
                sa.select(ModerationDecision.action, sa.func.count())
                .where(ModerationDecision.consultation_id == consultation.id)
                .group_by(ModerationDecision.action)
            ).all()
        )
    )
    duplicates = db.session.execute(
        sa.select(sa.func.count()).where(
            Contribution.consultation_id == consultation.id,
            Contribution.duplicate_of_id.is_not(None),
        )
    ).scalar_one()
    return ModerationFigures(
        contributions=contributions,
        reports=sum(reports.values()),
        reports_by_reason={r: reports.get(r, 0) for r in ModerationReason},
        hidden=sum(hidden.values()),
        hidden_by_reason={r: hidden.get(r, 0) for r in ModerationReason},
        restored=actions.get(ModerationAction.restore, 0),
        dismissed=actions.get(ModerationAction.dismiss, 0),
        duplicates=duplicates,
    )


def get_contribution_to_moderate(
    contribution_id: int, actor: User
) -> tuple[Contribution, Consultation]:
    """A contribution for the moderators of its consultation's institution, with that
    consultation (the decision page). Raises NotFound (no such contribution) or NotAllowed."""
    contribution = db.session.get(Contribution, contribution_id)
    if contribution is None:
        raise NotFound()
    consultation = get_existing(Consultation, contribution.consultation_id)
    _check_moderator(actor, consultation)
    return contribution, consultation
