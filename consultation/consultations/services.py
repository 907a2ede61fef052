"""The lifecycle of a consultation: prepare a draft, publish, extend.

The rules of SPEC §1 live here: the legal basis fixes a minimum duration counted in Paris
calendar days; publication requires a complete notice and a parsed text, and freezes the
text; once published, closing may be postponed (publicly logged), never brought forward.
Services add and flush; the caller commits.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from consultation.accounts.models import Institution, User
from consultation.consultations.constants import (
    DEFAULT_MODERATION_CHARTER,
    DEFAULT_PERSONAL_DATA_NOTICE,
    LEGAL_BASES,
    Status,
)
from consultation.consultations.limits import (
    ANSWERS_COMMITTED_MAX,
    EXTENSION_REASON_MAX,
    NOTICE_NAME_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
)
from consultation.consultations.models import Consultation, ConsultationEvent, EventKind, Notice
from consultation.core import clock, journal
from consultation.core.auth import require
from consultation.core.clock import format_paris
from consultation.core.errors import (
    ClosingNotLater,
    DurationTooShort,
    ExtensionTooLong,
    InvalidState,
    NotFound,
    NoticeIncomplete,
    ValidationFailed,
)
from consultation.core.i18n import N_, number
from consultation.core.text import slugify, squash
from consultation.extensions import db
from consultation.texts import services as texts

logger = logging.getLogger(__name__)

# Notice fields, with the French label used in messages. Booleans are always answered.
NOTICE_TEXT_FIELDS = {
    "object": N_("Objet de la consultation"),
    "organiser": N_("Organisateur"),
    "legal_reference": N_("Précisions sur la base légale"),
    "who_may_participate": N_("Qui peut participer"),
    "how_to_participate": N_("Comment participer"),
    "explanatory_note": N_("Note de présentation (objet, contenu, entrée en vigueur envisagée)"),
    "entry_into_force": N_("Entrée en vigueur envisagée"),
    "commission_name": N_("Commission consultative remplacée"),
    "moderation_charter": N_("Charte de modération"),
    "personal_data_notice": N_("Information sur les données personnelles"),
}
# Notice text fields stored in bounded columns (the others are unbounded text).
NOTICE_MAX_LENGTHS = {"organiser": NOTICE_NAME_MAX, "commission_name": NOTICE_NAME_MAX}
NOTICE_BOOL_FIELDS = {
    "observations_published": N_("Publication des observations"),
    "replaces_commission": N_("Remplace une commission consultative"),
}
NOTICE_DATE_FIELDS = {"synthesis_expected_on": N_("Date prévue de publication de la synthèse")}
NOTICE_REQUIRED = (
    "object",
    "organiser",
    "who_may_participate",
    "how_to_participate",
    "explanatory_note",
    "moderation_charter",
    "personal_data_notice",
    "synthesis_expected_on",
)
NOTICE_INT_FIELDS = {
    "answers_committed": N_("Nombre de contributions les plus soutenues qui recevront une réponse")
}
NOTICE_FIELDS = {
    **NOTICE_TEXT_FIELDS,
    **NOTICE_BOOL_FIELDS,
    **NOTICE_DATE_FIELDS,
    **NOTICE_INT_FIELDS,
}

DEFAULT_WHO_MAY_PARTICIPATE = (
    "Toute personne, à titre individuel ou au nom d'une organisation, après création d'un "
    "compte avec une adresse e-mail vérifiée. Un pseudonyme est admis."
)
DEFAULT_HOW_TO_PARTICIPATE = (
    "En ligne sur cette plateforme, pendant la période d'ouverture : avis sur chaque article, "
    "arguments, propositions de rédaction, propositions d'articles nouveaux, sources et "
    "commentaires. Chaque contribution reçoit un numéro de suivi."
)

CONSULTATION_FIELDS = ("title", "summary", "legal_basis", "opens_at", "closes_at")
# A draft's dates stay within sane bounds: nothing before this, nothing beyond ten years from
# now (a year 9999 is a typing slip, and date arithmetic near it overflows).
EARLIEST_DATE = datetime(2000, 1, 1, tzinfo=UTC)
DATES_HORIZON_DAYS = 3650
# Default of the EXTENSION_MAX_DAYS setting: how far one extension may postpone the closing.
EXTENSION_MAX_DAYS = 365


# --- Rules ------------------------------------------------------------------------------------


def earliest_closing(legal_basis: str, opens_at: datetime) -> datetime:
    """The earliest closing instant the legal basis allows for this opening."""
    return clock.add_paris_days(opens_at, LEGAL_BASES[legal_basis].minimum_days)


def check_duration(legal_basis: str, opens_at: datetime, closes_at: datetime) -> None:
    """Raise DurationTooShort unless closing is at least the basis' minimum after opening.

    Days are calendar days in Paris: closing at or after opening + N days at the same
    wall-clock time, whatever daylight-saving change falls in between.
    """
    basis = LEGAL_BASES[legal_basis]
    earliest = earliest_closing(legal_basis, opens_at)
    if clock.as_utc(closes_at) < earliest:
        message: str = _(
            "La durée minimale d'une consultation sur cette base légale (%(reference)s) est de "
            "%(days)s jours calendaires : la clôture ne peut intervenir avant le %(earliest)s.",
            reference=_(basis.reference),
            days=basis.minimum_days,
            earliest=format_paris(earliest),
        )
        raise DurationTooShort(message, fields={"closes_at": message})


def extension_max_days() -> int:
    """How many Paris calendar days one extension may add (EXTENSION_MAX_DAYS, default 365)."""
    return int(current_app.config.get("EXTENSION_MAX_DAYS", EXTENSION_MAX_DAYS))


def latest_extension(closes_at: datetime) -> datetime:
    """The latest closing one extension may set: `extension_max_days()` Paris calendar days
    after the closing it postpones, at the same wall-clock time."""
    return clock.add_paris_days(closes_at, extension_max_days())


def dates_problem(value: datetime, now: datetime) -> str | None:
    """Why a draft's opening or closing instant is out of bounds (None when it is not)."""
    if value < EARLIEST_DATE:
        too_early: str = _("Date trop ancienne : le 1er janvier 2000 au plus tôt.")
        return too_early
    latest = clock.add_paris_days(now, DATES_HORIZON_DAYS)
    if value > latest:
        too_late: str = _(
            "Date trop lointaine : le %(date)s au plus tard.", date=format_paris(latest)
        )
        return too_late
    return None


def notice_problems(consultation: Consultation) -> dict[str, str]:
    """The notice fields still missing before publication, with a French message each."""
    notice = consultation.notice
    problems: dict[str, str] = {}
    for field in NOTICE_REQUIRED:
        value = getattr(notice, field) if notice else None
        if value is None or (isinstance(value, str) and not value.strip()):
            problems[f"notice.{field}"] = _(
                "À renseigner : %(field)s.", field=_(NOTICE_FIELDS[field]).lower()
            )
    if notice and notice.replaces_commission and not notice.commission_name.strip():
        problems["notice.commission_name"] = _(
            "Indiquez la commission consultative que cette consultation remplace."
        )
    if notice and notice.synthesis_expected_on and consultation.closes_at:
        closing_day = clock.to_paris(consultation.closes_at).date()
        if notice.synthesis_expected_on < closing_day:
            problems["notice.synthesis_expected_on"] = _(
                "La synthèse ne peut être attendue avant la clôture de la consultation."
            )
    return problems


def publication_problems(
    consultation: Consultation, *, now: datetime | None = None
) -> dict[str, str]:
    """Everything that prevents publication, field by field (empty when it can be published)."""
    now = now or clock.now()
    problems: dict[str, str] = {}
    if not consultation.title.strip():
        problems["title"] = _("Le titre est obligatoire.")
    if not consultation.summary.strip():
        problems["summary"] = _("Le résumé est obligatoire.")
    if consultation.opens_at is None:
        problems["opens_at"] = _("La date d'ouverture est obligatoire.")
    if consultation.closes_at is None:
        problems["closes_at"] = _("La date de clôture est obligatoire.")
    if consultation.current_version is None or not consultation.current_version.articles:
        problems["text"] = _("Le texte soumis à la consultation est obligatoire.")
    if consultation.opens_at and consultation.closes_at:
        try:
            check_duration(
                consultation.legal_basis, max(consultation.opens_at, now), consultation.closes_at
            )
        except DurationTooShort as error:
            problems["closes_at"] = error.message
    problems.update(notice_problems(consultation))
    return problems


def can_view(user: User | None, consultation: Consultation) -> bool:
    """Published consultations are public; drafts only to their institution's staff."""
    if consultation.is_published:
        return True
    return bool(
        user is not None and user.is_authenticated and user.acts_for(consultation.institution_id)
    )


NOT_FOUND_MESSAGE = N_("Aucune consultation à cette adresse.")


def get_visible(slug: str, user: User | None) -> Consultation:
    """The consultation `slug` if `user` may see it; NotFound otherwise.

    The one rule for loading a consultation by its address: a draft that `user` may not see
    answers exactly as an address where there is nothing (same error, same message), so that
    nobody outside the institution can tell that a draft exists. Every other loader starts here.
    """
    consultation = db.session.scalar(
        sa.select(Consultation)
        .where(Consultation.slug == slug)
        .options(joinedload(Consultation.institution))
    )
    if consultation is None or not can_view(user, consultation):
        raise NotFound(_(NOT_FOUND_MESSAGE))
    return consultation


def get_for_organiser(slug: str, actor: User) -> Consultation:
    """The consultation `slug` for an organising action: NotFound if `actor` may not see it
    (missing, or a draft of another institution), NotAllowed unless `actor` organises for its
    institution."""
    consultation = get_visible(slug, actor)
    require(actor.can_organise(consultation.institution_id))
    return consultation


def get_for_staff(slug: str, actor: User) -> Consultation:
    """The consultation `slug` for its institution's staff (organisers and moderators: the
    synthesis work): NotFound if `actor` may not see it, NotAllowed for anyone else."""
    consultation = get_visible(slug, actor)
    require(actor.acts_for(consultation.institution_id))
    return consultation


# --- Shape checks shared by create and update ------------------------------------------------------


def _clean_fields(values: dict[str, Any], now: datetime | None = None) -> dict[str, Any]:
    """Check the shape of consultation fields, dates within sane bounds (`dates_problem`);
    return them cleaned. Raises ValidationFailed."""
    now = now or clock.now()
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if "title" in values:
        title = squash(values["title"])
        if not title:
            errors["title"] = _("Le titre est obligatoire.")
        elif len(title) > TITLE_MAX:
            errors["title"] = _("Le titre ne peut dépasser %(n)s caractères.", n=number(TITLE_MAX))
        cleaned["title"] = title
    if "summary" in values:
        summary = (values["summary"] or "").strip()
        if len(summary) > SUMMARY_MAX:
            errors["summary"] = _(
                "Le résumé ne peut dépasser %(n)s caractères.", n=number(SUMMARY_MAX)
            )
        cleaned["summary"] = summary
    if "legal_basis" in values:
        if values["legal_basis"] not in LEGAL_BASES:
            errors["legal_basis"] = _("Choisissez une base légale de la liste.")
        cleaned["legal_basis"] = values["legal_basis"]
    for field in ("opens_at", "closes_at"):
        if field in values:
            value = values[field]
            if value is not None and (not isinstance(value, datetime) or value.tzinfo is None):
                errors[field] = _("Date et heure invalides.")
            elif value is not None and (problem := dates_problem(clock.as_utc(value), now)):
                errors[field] = problem
            cleaned[field] = (
                clock.as_utc(value) if isinstance(value, datetime) and value.tzinfo else value
            )
    if errors:
        raise ValidationFailed(fields=errors)
    return cleaned


def _clean_notice(values: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field, value in values.items():
        if field in NOTICE_TEXT_FIELDS:
            if value is not None and not isinstance(value, str):
                errors[f"notice.{field}"] = _("Texte attendu.")
                continue
            cleaned[field] = (value or "").strip()
            limit = NOTICE_MAX_LENGTHS.get(field)
            if limit and len(cleaned[field]) > limit:
                errors[f"notice.{field}"] = _("%(n)s caractères au maximum.", n=number(limit))
        elif field in NOTICE_BOOL_FIELDS:
            if not isinstance(value, bool):
                errors[f"notice.{field}"] = _("Oui ou non attendu.")
                continue
            cleaned[field] = value
        elif field in NOTICE_DATE_FIELDS:
            if value is not None and not isinstance(value, date):
                errors[f"notice.{field}"] = _("Date invalide.")
                continue
            cleaned[field] = value
        elif field in NOTICE_INT_FIELDS:
            valid = value is None or (
                isinstance(value, int)
                and not isinstance(value, bool)
                and 0 < value <= ANSWERS_COMMITTED_MAX
            )
            if not valid:
                errors[f"notice.{field}"] = _(
                    "Nombre entier de 1 à %(max)s, ou rien.", max=ANSWERS_COMMITTED_MAX
                )
                continue
            cleaned[field] = value
    if errors:
        raise ValidationFailed(fields=errors)
    return cleaned


def default_notice(institution: Institution) -> dict[str, Any]:
    """The notice a new draft starts from: everything that has a sensible default."""
    return {
        "organiser": institution.name,
        "who_may_participate": DEFAULT_WHO_MAY_PARTICIPATE,
        "how_to_participate": DEFAULT_HOW_TO_PARTICIPATE,
        "moderation_charter": DEFAULT_MODERATION_CHARTER,
        "personal_data_notice": DEFAULT_PERSONAL_DATA_NOTICE,
        "observations_published": True,
        "replaces_commission": False,
    }


def _unique_slug(title: str) -> str:
    base = slugify(title) or "consultation"
    slug, counter = base, 2
    while db.session.scalar(sa.select(Consultation.id).where(Consultation.slug == slug)):
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _apply(consultation: Consultation, fields: dict[str, Any], notice: dict[str, Any]) -> None:
    """Apply cleaned fields and notice values to a draft, after checking its dates: nothing
    is assigned when they are refused (an assignment would be flushed by the next query and
    meet the database's check constraint first)."""
    check_dates(
        fields.get("opens_at", consultation.opens_at),
        fields.get("closes_at", consultation.closes_at),
    )
    for field, value in fields.items():
        setattr(consultation, field, value)
    for field, value in notice.items():
        setattr(consultation.notice, field, value)
    basis = consultation.basis
    if basis and basis.replaces_commission:
        consultation.notice.replaces_commission = True


def check_dates(opens_at: datetime | None, closes_at: datetime | None) -> None:
    """The closing comes after the opening (when both are set), as the database's check
    constraint requires; ValidationFailed on `closes_at` otherwise."""
    if opens_at and closes_at and closes_at <= opens_at:
        raise ValidationFailed(
            fields={"closes_at": _("La clôture doit être postérieure à l'ouverture.")}
        )


# --- Actions ------------------------------------------------------------------------------------


def check_can_create(actor: User, institution: Institution) -> None:
    """NotAllowed unless `actor` organises for `institution`: checked before the new
    consultation's fields are read."""
    require(
        actor.can_organise(institution.id),
        _("Vous n'organisez pas de consultation pour cette institution."),
    )


def create_consultation(
    actor: User,
    institution: Institution,
    *,
    title: str,
    legal_basis: str,
    summary: str = "",
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    text: str | None = None,
    notice: dict[str, Any] | None = None,
    acknowledge_warnings: bool | str = False,
    now: datetime | None = None,
) -> Consultation:
    """Create a draft consultation for `institution`.

    A draft may be incomplete: the duration, the notice and the text are required only at
    publication. Raises NotAllowed unless `actor` organises for the institution,
    ValidationFailed for malformed fields, InvalidText for an unparseable text,
    UnacknowledgedTextWarnings for a text whose doubtful lines are not acknowledged
    (`acknowledge_warnings`, see texts.services.require_acknowledged).
    """
    now = now or clock.now()
    check_can_create(actor, institution)
    fields = _clean_fields(
        {
            "title": title,
            "summary": summary,
            "legal_basis": legal_basis,
            "opens_at": opens_at,
            "closes_at": closes_at,
        },
        now,
    )
    notice_values = _clean_notice(notice or {})
    consultation = Consultation(
        institution=institution,
        slug=_unique_slug(fields["title"]),
        created_by=actor,
        created_at=now,
        notice=Notice(**default_notice(institution)),
    )
    _apply(consultation, fields, notice_values)
    db.session.add(consultation)
    if text is not None and text.strip():
        texts.replace_draft_text(consultation, text, now=now, acknowledged=acknowledge_warnings)
    db.session.flush()
    _log(consultation, EventKind.created, actor, now)
    logger.info("consultation created: %s by user=%s", consultation.slug, actor.id)
    return consultation


def update_consultation(
    actor: User, consultation: Consultation, changes: dict[str, Any], *, now: datetime | None = None
) -> Consultation:
    """Apply `changes` (consultation fields, `text`, `notice` dict, and
    `acknowledge_warnings` for a text whose import reports doubtful lines).

    A draft accepts any change. Once published, only a later `closes_at` is accepted
    (an extension, publicly logged); anything else raises InvalidState, an earlier closing
    ClosingNotLater. Unknown keys are ignored (no mass assignment).
    """
    now = now or clock.now()
    require(actor.can_organise(consultation.institution_id))
    if consultation.is_published:
        frozen = sorted(
            k for k in changes if k in CONSULTATION_FIELDS + ("text", "notice") and k != "closes_at"
        )
        if frozen:
            raise InvalidState(
                _(
                    "Une consultation publiée ne peut plus être modifiée, sauf pour prolonger sa clôture."
                ),
                fields={field: _("Non modifiable après publication.") for field in frozen},
            )
        if "closes_at" in changes:
            extend_consultation(
                actor, consultation, changes["closes_at"], changes.get("reason", ""), now=now
            )
        return consultation
    fields = _clean_fields({k: v for k, v in changes.items() if k in CONSULTATION_FIELDS}, now)
    notice_values = _clean_notice(changes.get("notice") or {})
    _apply(consultation, fields, notice_values)
    if "text" in changes and changes["text"] is not None:
        texts.replace_draft_text(
            consultation,
            changes["text"],
            now=now,
            acknowledged=changes.get("acknowledge_warnings", False),
        )
    consultation.updated_at = now
    db.session.flush()
    return consultation


def publish_consultation(
    actor: User, consultation: Consultation, *, now: datetime | None = None
) -> Consultation:
    """Publish a draft: from now on it is public, announced, then open at its opening date.

    Requires a complete notice, a text with articles and a duration at least the legal
    minimum. An opening date already past becomes the publication instant (the public cannot
    take part before it sees the consultation), and the duration is checked from there.
    Freezes and fingerprints the text. Raises NotAllowed, InvalidState (already published),
    DurationTooShort, NoticeIncomplete or ValidationFailed.
    """
    now = now or clock.now()
    require(actor.can_organise(consultation.institution_id))
    if consultation.is_published:
        raise InvalidState(_("Cette consultation est déjà publiée."))
    if consultation.opens_at and consultation.closes_at:
        check_duration(
            consultation.legal_basis, max(consultation.opens_at, now), consultation.closes_at
        )
    problems = publication_problems(consultation, now=now)
    if problems:
        notice_only = all(key.startswith("notice.") for key in problems)
        error_class = NoticeIncomplete if notice_only else ValidationFailed
        raise error_class(
            _(
                "La consultation ne peut pas être publiée : %(problems)s",
                problems=" ".join(problems.values()),
            ),
            fields=problems,
        )
    opens_at, _closes_at = consultation.dates()  # both set: no problem was found
    if opens_at < now:
        consultation.opens_at = now
    consultation.published_at = now
    texts.freeze_text(consultation.current_version, now=now)
    _log(consultation, EventKind.published, actor, now)
    # The first entry of the record: the consultation as published (see ledger.facts).
    journal.record(consultation.id, "publication", now)
    logger.info("consultation published: %s by user=%s", consultation.slug, actor.id)
    return consultation


def extend_consultation(
    actor: User,
    consultation: Consultation,
    new_closes_at: datetime | None,
    reason: str | None = "",
    *,
    now: datetime | None = None,
) -> Consultation:
    """Postpone the closing of a published consultation that has not closed yet.

    The change is logged publicly with its reason. Raises NotAllowed, InvalidState (draft or
    closed), ClosingNotLater (not after the current closing), ExtensionTooLong (more than
    EXTENSION_MAX_DAYS Paris calendar days after the current closing, `latest_extension`).
    """
    now = now or clock.now()
    require(actor.can_organise(consultation.institution_id))
    if not isinstance(new_closes_at, datetime) or new_closes_at.tzinfo is None:
        raise ValidationFailed(fields={"closes_at": _("Date et heure invalides.")})
    status = consultation.status_at(now)
    if status is Status.draft:
        raise InvalidState(
            _("Une consultation non publiée se modifie directement, sans prolongation.")
        )
    if status not in (Status.scheduled, Status.open):
        raise InvalidState(
            _("Une consultation close ne peut plus être prolongée."),
            fields={"closes_at": _("La consultation est close.")},
        )
    new_closes_at = clock.as_utc(new_closes_at)
    _opens_at, closes_at = consultation.dates()  # set on every published consultation
    if new_closes_at <= closes_at:
        message = (
            "Une consultation publiée peut être prolongée, jamais raccourcie : la nouvelle "
            f"clôture doit être postérieure au {format_paris(closes_at)}."
        )
        raise ClosingNotLater(message, fields={"closes_at": message})
    latest = latest_extension(closes_at)
    if new_closes_at > latest:
        message = (
            f"Une prolongation ne peut reporter la clôture de plus de {extension_max_days()} "
            f"jours : la nouvelle clôture doit intervenir au plus tard le {format_paris(latest)}."
        )
        raise ExtensionTooLong(message, fields={"closes_at": message})
    previous = consultation.closes_at
    consultation.closes_at = new_closes_at
    _log(
        consultation,
        EventKind.extended,
        actor,
        now,
        previous_closes_at=previous,
        new_closes_at=new_closes_at,
        reason=squash(reason)[:EXTENSION_REASON_MAX],
    )
    journal.record(
        consultation.id,
        "extension",
        now,
        closes_at=new_closes_at,
        previous_closes_at=previous,
        reason=squash(reason)[:EXTENSION_REASON_MAX],
    )
    logger.info("consultation extended: %s by user=%s", consultation.slug, actor.id)
    return consultation


def _log(
    consultation: Consultation, kind: EventKind, actor: User | None, now: datetime, **data: Any
) -> None:
    db.session.add(
        ConsultationEvent(consultation=consultation, kind=kind, actor=actor, created_at=now, **data)
    )
    db.session.flush()
