"""Editing and publishing the synthesis of a closed consultation (SPEC §1 rows 5–6, §5).

The staff of the institution (organisers and moderators) and administrators edit one working
text per consultation, in Markdown, starting from the generated draft. Publishing copies it into
a new numbered version — v1, v2… each with its change note — that is never deleted, so that an
earlier version stays readable at its address. The law sets what a synthesis must hold before it
is public: a text and announced follow-ups, and for environmental legal bases the observations
taken into account and a link to the separate statement of reasons; `synthesis_problems` names
what is missing, in French, so that the editor shows it before anyone tries to publish.
"""

from __future__ import annotations

import copy
import logging
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from consultation.accounts.models import User
from consultation.consultations.constants import Status
from consultation.consultations.models import Consultation
from consultation.core import clock, journal
from consultation.core.errors import (
    InvalidState,
    SynthesisIncomplete,
    ValidationFailed,
)
from consultation.core.i18n import number
from consultation.core.urls import WEB_ADDRESS_MESSAGE, is_web_address
from consultation.extensions import db
from consultation.synthesis import follow_ups as follow_up_services
from consultation.synthesis import provenance, published_parts
from consultation.synthesis.draft_markdown import DRAFT_WARNING
from consultation.synthesis.limits import CHANGE_NOTE_MAX, OBSERVATIONS_MAX, SYNTHESIS_MAX, URL_MAX
from consultation.synthesis.models import FollowUp, Synthesis, SynthesisVersion
from consultation.synthesis.rules import check_staff, normalise_text

logger = logging.getLogger(__name__)

CLOSED_STATUSES = (Status.closed, Status.synthesis_published)


def get_synthesis(consultation: Consultation) -> Synthesis | None:
    return db.session.get(Synthesis, consultation.id)


def working_text(consultation: Consultation) -> str:
    """What the editor starts from: the saved text, or else the generated draft."""
    synthesis = get_synthesis(consultation)
    if synthesis is None:
        return ""
    return synthesis.body if synthesis.body.strip() else synthesis.draft_markdown


def versions(consultation: Consultation) -> list[SynthesisVersion]:
    """Published versions, oldest first."""
    return list(
        db.session.scalars(
            sa.select(SynthesisVersion)
            .where(SynthesisVersion.consultation_id == consultation.id)
            .order_by(SynthesisVersion.number)
        )
    )


def latest_version(consultation: Consultation) -> SynthesisVersion | None:
    return db.session.scalar(
        sa.select(SynthesisVersion)
        .where(SynthesisVersion.consultation_id == consultation.id)
        .order_by(SynthesisVersion.number.desc())
        .limit(1)
    )


def get_version(consultation: Consultation, number: int) -> SynthesisVersion | None:
    return db.session.scalar(
        sa.select(SynthesisVersion).where(
            SynthesisVersion.consultation_id == consultation.id,
            SynthesisVersion.number == number,
        )
    )


def days_after_closing(consultation: Consultation, moment: datetime) -> int:
    """Paris calendar days from the closing to `moment` (a publication, or now)."""
    _opens_at, closes_at = consultation.dates()  # published: its dates are set
    return clock.paris_days_between(closes_at, moment)


def check_can_write(actor: User, consultation: Consultation) -> None:
    """May `actor` save the working synthesis? Staff of the institution (NotAllowed), for a
    published consultation (InvalidState): checked before the document is read."""
    check_staff(actor, consultation)
    if not consultation.is_published:
        raise InvalidState(_("La synthèse se rédige pour une consultation publiée."))


def save_synthesis(
    actor: User,
    consultation: Consultation,
    *,
    body: object,
    observations_considered: object = None,
    reasons_url: object = None,
    now: datetime | None = None,
) -> Synthesis:
    """Save the working text (Markdown) and, when given, the environmental parts.

    Nothing is public until `publish_synthesis`. Raises NotAllowed (not staff of the
    institution), InvalidState (the consultation is not published), ValidationFailed (a text
    too long, a statement of reasons that is not a web address)."""
    now = now or clock.now()
    check_can_write(actor, consultation)
    values = _clean(body, observations_considered, reasons_url)
    synthesis = get_synthesis(consultation)
    if synthesis is None:
        synthesis = Synthesis(consultation_id=consultation.id)
        db.session.add(synthesis)
    for field, value in values.items():
        setattr(synthesis, field, value)
    synthesis.updated_at, synthesis.updated_by_id = now, actor.id
    db.session.flush()
    logger.info("synthesis saved: consultation=%s by user=%s", consultation.id, actor.id)
    return synthesis


def _clean(body: object, observations_considered: object, reasons_url: object) -> dict[str, str]:
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    limits = {"body": SYNTHESIS_MAX, "observations_considered": OBSERVATIONS_MAX}
    given = {"body": body, "observations_considered": observations_considered}
    for field, value in given.items():
        if value is None and field != "body":
            continue
        if not isinstance(value, str):
            errors[field] = _("Texte attendu.")
            continue
        text = normalise_text(value)
        if len(text) > limits[field]:
            errors[field] = _(
                "%(n)s caractères au maximum (%(typed)s saisis).",
                n=number(limits[field]),
                typed=number(len(text)),
            )
        values[field] = text
    if reasons_url is not None:
        url = reasons_url.strip() if isinstance(reasons_url, str) else None
        if url is None or len(url) > URL_MAX or (url and not is_web_address(url)):
            errors["reasons_url"] = _(WEB_ADDRESS_MESSAGE)
        values["reasons_url"] = url or ""
    if errors:
        raise ValidationFailed(fields=errors)
    return values


def review_after_draft(consultation: Consultation) -> datetime | None:
    """When a person last changed the review, if after the last draft: the themes, proposal
    groups and excerpts a version publishes are the draft's (its data), so they follow that
    review only once the draft is run again. None when the draft is up to date (or absent)."""
    synthesis = get_synthesis(consultation)
    if synthesis is None or synthesis.draft_generated_at is None:
        return None
    decided = provenance.last_decision_at(consultation.id)
    return decided if decided is not None and decided > synthesis.draft_generated_at else None


def synthesis_problems(consultation: Consultation) -> dict[str, str]:
    """What the synthesis lacks to be published, by field, in French (empty when complete):
    a text and at least one follow-up; for environmental legal bases also the observations
    taken into account and the link to the separate statement of reasons."""
    synthesis = get_synthesis(consultation)
    problems: dict[str, str] = {}
    if synthesis is None or not synthesis.body.strip():
        problems["body"] = _("Rédigez le texte de la synthèse.")
    elif DRAFT_WARNING in synthesis.body:
        problems["body"] = _(
            "Le texte porte encore l'avertissement du brouillon (« Brouillon calculé le… "
            "à relire ») : relisez-le et retirez cet avertissement avant de publier."
        )
    has_follow_up = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(FollowUp)
        .where(FollowUp.consultation_id == consultation.id)
    )
    if not has_follow_up:
        problems["follow_ups"] = _("Annoncez au moins une suite envisagée.")
    basis = consultation.basis
    if basis is not None and basis.environmental:
        if synthesis is None or not synthesis.observations_considered.strip():
            problems["observations_considered"] = _(
                "Listez les observations prises en compte : la loi l'exige pour une "
                "consultation sur une décision ayant une incidence sur l'environnement."
            )
        if synthesis is None or not is_web_address(synthesis.reasons_url):
            problems["reasons_url"] = _(
                "Donnez l'adresse (http ou https) de la déclaration des motifs, publiée à part : "
                "la loi l'exige pour une décision ayant une incidence sur l'environnement."
            )
    return problems


def check_can_publish(actor: User, consultation: Consultation, now: datetime) -> None:
    """May `actor` publish the synthesis at `now`? Staff of the institution (NotAllowed), once
    the consultation is closed (InvalidState): checked before the change note is read."""
    check_staff(actor, consultation)
    if consultation.status_at(now) not in CLOSED_STATUSES:
        raise InvalidState(_("La synthèse se publie une fois la consultation close."))


def publish_synthesis(
    actor: User, consultation: Consultation, change_note: str = "", *, now: datetime | None = None
) -> SynthesisVersion:
    """Publish the working text as the next version (v1, v2…), with its change note.

    The first publication sets `consultation.synthesis_published_at` (the consultation's status
    becomes "synthèse publiée"); later versions leave it. The version keeps a copy of the draft's
    structured data (its charts). Raises NotAllowed (not staff of the institution), InvalidState
    (the consultation is not closed; nothing changed since the last version),
    SynthesisIncomplete (what is missing, by field), ValidationFailed (no change note from v2
    on, or a note too long)."""
    now = now or clock.now()
    check_can_publish(actor, consultation, now)
    # One publication at a time per consultation: the working text's row is the lock.
    synthesis = db.session.scalar(
        sa.select(Synthesis).where(Synthesis.consultation_id == consultation.id).with_for_update()
    )
    problems = synthesis_problems(consultation)
    if problems:
        raise SynthesisIncomplete(fields=problems)
    if synthesis is None:  # synthesis_problems reports a missing text: never here
        raise SynthesisIncomplete(fields={"body": _("Rédigez le texte de la synthèse.")})
    previous = latest_version(consultation)
    note = normalise_text(change_note) if isinstance(change_note, str) else ""
    if previous is not None:
        if _unchanged(previous, synthesis):
            raise InvalidState(
                _(
                    "Rien n'a changé dans la synthèse depuis la version %(number)s : "
                    "modifiez le texte avant d'en publier une nouvelle version. Les suites "
                    "envisagées se mettent à jour sans nouvelle version.",
                    number=previous.number,
                )
            )
        if not note:
            raise ValidationFailed(
                fields={
                    "change_note": _(
                        "Dites ce qui a changé depuis la version %(number)s.",
                        number=previous.number,
                    )
                }
            )
    if len(note) > CHANGE_NOTE_MAX:
        raise ValidationFailed(
            fields={"change_note": _("%(n)s caractères au maximum.", n=number(CHANGE_NOTE_MAX))}
        )
    version = SynthesisVersion(
        consultation_id=consultation.id,
        number=(previous.number + 1) if previous else 1,
        body=synthesis.body,
        observations_considered=synthesis.observations_considered,
        reasons_url=synthesis.reasons_url,
        change_note=note,
        data=_with_review(public_data(synthesis.draft_data), consultation),
        published_at=now,
        published_by_id=actor.id,
    )
    db.session.add(version)
    if consultation.synthesis_published_at is None:
        consultation.synthesis_published_at = now
    db.session.flush()
    journal.record(
        consultation.id,
        "synthesis",
        now,
        version=version.number,
        content={
            "body": version.body or "",
            "observations_considered": version.observations_considered or "",
            "reasons_url": version.reasons_url or "",
            "change_note": version.change_note or "",
            # The review's figures at the publication, as the export gives them.
            "review": (version.data or {}).get("review"),
            # Its themes and proposal groups, by tracking number, as the export gives them.
            **published_parts.certified(
                published_parts.parts_document(consultation.id, version.data)
            ),
        },
        parts=True,  # the content covers the parts (entries before them did not)
    )
    # The follow-ups become public with the synthesis: each is entered as the export shows it.
    for follow_up_id in db.session.scalars(
        sa.select(FollowUp.id)
        .where(FollowUp.consultation_id == consultation.id)
        .order_by(FollowUp.position, FollowUp.id)
    ):
        journal.record(consultation.id, "follow_up", now, follow_up=follow_up_id)
    logger.info(
        "synthesis published: consultation=%s version=%s by user=%s",
        consultation.id,
        version.number,
        actor.id,
    )
    return version


# What a draft's data holds for the staff alone: the working notes.
STAFF_ONLY_DATA = ("notes",)


def public_data(draft_data: dict[str, Any] | None) -> dict[str, Any] | None:
    """A copy of a draft's structured data as a published version keeps it (its figures and
    charts), without the working notes (`STAFF_ONLY_DATA`): they are never published."""
    if not draft_data:
        return None
    return {
        key: copy.deepcopy(value) for key, value in draft_data.items() if key not in STAFF_ONLY_DATA
    }


def _with_review(data: dict[str, Any] | None, consultation: Consultation) -> dict[str, Any] | None:
    """A draft's public data with the review's figures at the publication (`review`): how
    many themes the analysis drafted and people reviewed, how many contributions people read.
    Without a draft there is nothing drafted to review: None, as before."""
    if data is None:
        return None
    return {**data, "review": provenance.review_counts(consultation.id)}


def _unchanged(version: SynthesisVersion, synthesis: Synthesis) -> bool:
    return (version.body, version.observations_considered, version.reasons_url) == (
        synthesis.body,
        synthesis.observations_considered,
        synthesis.reasons_url,
    )


def put_synthesis(
    actor: User,
    consultation: Consultation,
    *,
    body: object,
    observations_considered: object = None,
    reasons_url: object = None,
    follow_ups: object = None,
    now: datetime | None = None,
) -> Synthesis:
    """Save the whole working document at once (the API's PUT): the text, the environmental
    parts and, when `follow_ups` is given, the list of follow-ups (see
    `follow_ups.replace_follow_ups`). Everything is checked before anything is written, and
    every problem is reported together (ValidationFailed)."""
    now = now or clock.now()
    check_can_write(actor, consultation)
    errors: dict[str, str] = {}
    try:
        _clean(body, observations_considered, reasons_url)
    except ValidationFailed as error:
        errors.update(error.fields)
    if follow_ups is not None:
        errors.update(follow_up_services.entry_problems(consultation, follow_ups))
    if errors:
        raise ValidationFailed(fields=errors)
    synthesis = save_synthesis(
        actor,
        consultation,
        body=body,
        observations_considered=observations_considered,
        reasons_url=reasons_url,
        now=now,
    )
    if follow_ups is not None:
        follow_up_services.replace_follow_ups(actor, consultation, follow_ups, now=now)
    return synthesis
