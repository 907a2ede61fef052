"""/api/v1/consultations: list, create, read, patch, publish."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask import request
from flask_babel import gettext as _

from consultation.accounts.models import Institution
from consultation.api import bp, schemas, serializers
from consultation.api.auth import api_user, require_api_user
from consultation.api.input import json_object, page_limit
from consultation.consultations import queries, services
from consultation.consultations.constants import Status
from consultation.consultations.models import Consultation
from consultation.consultations.services import CONSULTATION_FIELDS, NOTICE_DATE_FIELDS
from consultation.core import clock, cursors
from consultation.core.auth import Role, has_role
from consultation.core.clock import isoformat
from consultation.core.errors import NotAllowed, ValidationFailed
from consultation.core.upload_limits import accepts_upload
from consultation.extensions import db
from consultation.texts import services as texts
from consultation.texts.office import text_from_file


@bp.get("/consultations")
def list_consultations():
    """Published consultations, optionally filtered by ?status=; drafts for staff with a token."""
    raw_status = request.args.get("status")
    status = None
    if raw_status:
        try:
            status = Status(raw_status)
        except ValueError:
            allowed = ", ".join(s.value for s in Status)
            raise ValidationFailed(
                _(
                    "Statut inconnu « %(status)s » : valeurs possibles %(allowed)s.",
                    status=raw_status[:50],
                    allowed=allowed,
                ),
                fields={"status": _("Valeurs possibles : %(allowed)s.", allowed=allowed)},
            ) from None
    now = clock.now()
    if status is Status.draft:
        user = require_api_user()
        if not user.is_staff:
            raise NotAllowed()
        rows = [c for c in queries.managed_consultations(user) if not c.is_published]
        next_cursor = None  # an institution's drafts: a short list, given whole
    else:
        limit = page_limit()
        after = _after(request.args.get("cursor"))
        rows = queries.public_consultations(status, now, after=after, limit=limit + 1)
        next_cursor = None
        if len(rows) > limit:
            rows = rows[:limit]
            last = rows[-1]
            next_cursor = cursors.encode([isoformat(last.published_at), last.id])
    return schemas.respond(
        schemas.ConsultationList,
        {
            "consultations": [serializers.consultation_summary(c) for c in rows],
            "next_cursor": next_cursor,
        },
    )


def _after(cursor: str | None) -> tuple[datetime, int] | None:
    """The (published_at, id) a cursor of this list carries."""
    if not cursor:
        return None
    moment, last_id = cursors.decode(cursor, cursors.instant, cursors.integer)
    return moment, last_id


@bp.post("/consultations")
def create_consultation():
    user = require_api_user()
    if not has_role(user, Role.organiser):
        raise NotAllowed(_("Seuls les organisateurs créent des consultations."))
    sent = json_object()
    institution = _institution(sent.get("institution"), user)
    services.check_can_create(user, institution)  # the right, before the fields' types
    values = _parse_changes(_payload(sent))
    values.pop("reason", None)  # the reason of an extension (PATCH): a new draft has none
    if "title" not in values or "legal_basis" not in values:
        missing = {f: _("Champ obligatoire.") for f in ("title", "legal_basis") if f not in values}
        raise ValidationFailed(fields=missing)
    consultation = services.create_consultation(user, institution, **values)
    db.session.commit()
    return _detail(consultation, 201)


@bp.get("/consultations/<slug>")
def get_consultation(slug: str):
    return _detail(services.get_visible(slug, api_user()))


@bp.patch("/consultations/<slug>")
@accepts_upload("DRAFT_UPLOAD_MAX_BYTES")
def patch_consultation(slug: str):
    user = require_api_user()
    consultation = services.get_for_organiser(slug, user)
    if request.mimetype == "multipart/form-data":
        changes = _text_upload(consultation)
    else:
        changes = _parse_changes(_payload())
    services.update_consultation(user, consultation, changes)
    db.session.commit()
    return _detail(consultation)


def _text_upload(consultation: Consultation) -> dict:
    """The draft's text sent as a file (multipart: `file`, a .docx, .odt, .md or .txt, and
    optionally `acknowledge_warnings=true`), read once the rights and the draft's state are
    checked (401, 403/404, 409, then 422 with the refusal's code: `pdf_refused`,
    `archive_too_large`… on `file`)."""
    texts.require_draft_text(consultation)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationFailed(fields={"file": _("Joignez le fichier du texte (champ « file »).")})
    changes: dict = {"text": text_from_file(upload, upload.filename, field="file").source}
    if request.form.get("acknowledge_warnings", "").lower() == "true":
        changes["acknowledge_warnings"] = True
    return changes


@bp.post("/consultations/<slug>/publish")
def publish_consultation(slug: str):
    user = require_api_user()
    consultation = services.get_for_organiser(slug, user)
    services.publish_consultation(user, consultation)
    db.session.commit()
    return _detail(consultation)


def _detail(consultation: Consultation, status: int = 200):
    detail = serializers.consultation_detail(consultation, queries.load_text(consultation))
    return schemas.respond(schemas.Consultation, detail, status)


def _payload(sent: dict | None = None) -> dict:
    """The body's fields that were sent (the request's, or `sent`, read already), their types
    checked (`schemas.ConsultationInput`)."""
    return schemas.parse(schemas.ConsultationInput, sent).model_dump(exclude_unset=True)


def _institution(slug, user) -> Institution:
    if slug is None and user.institution is not None:
        return user.institution
    if not isinstance(slug, str):
        raise ValidationFailed(fields={"institution": _("Identifiant d'institution attendu.")})
    institution = db.session.scalar(sa.select(Institution).where(Institution.slug == slug))
    if institution is None:
        if not user.is_admin:
            raise NotAllowed(_("Vous n'organisez pas de consultation pour cette institution."))
        raise ValidationFailed(
            fields={"institution": _("Institution inconnue : « %(slug)s ».", slug=slug[:80])}
        )
    return institution


def _parse_changes(payload: dict) -> dict:
    """Keep the known fields only (no mass assignment) and parse dates; 422 on bad shapes."""
    errors: dict[str, str] = {}
    values: dict = {}
    for field in CONSULTATION_FIELDS:
        if field not in payload:
            continue
        value = payload[field]
        if field in ("opens_at", "closes_at"):
            values[field] = _parse_instant(value, field, errors)
        elif value is not None and not isinstance(value, str):
            errors[field] = _("Texte attendu.")
        else:
            values[field] = value or ""
    if "text" in payload:
        if payload["text"] is not None and not isinstance(payload["text"], str):
            errors["text"] = _("Texte attendu.")
        else:
            values["text"] = payload["text"]
    if "acknowledge_warnings" in payload:
        acknowledged = payload["acknowledge_warnings"]
        if not isinstance(acknowledged, bool):
            errors["acknowledge_warnings"] = _(
                "Booléen attendu : true confirme les lignes signalées à l'import du texte."
            )
        else:
            values["acknowledge_warnings"] = acknowledged
    if "reason" in payload and isinstance(payload["reason"], str):
        values["reason"] = payload["reason"]
    if "notice" in payload:
        notice = payload["notice"]
        if not isinstance(notice, dict):
            errors["notice"] = _("Objet attendu.")
        else:
            values["notice"] = {
                key: _parse_day(value, key, errors) if key in NOTICE_DATE_FIELDS else value
                for key, value in notice.items()
            }
    if errors:
        raise ValidationFailed(fields=errors)
    return values


def _parse_instant(value, field: str, errors: dict) -> datetime | None:
    if value is None:
        return None
    try:
        return clock.parse_paris_local(value)
    except (TypeError, ValueError, AttributeError):
        errors[field] = _(
            "Date et heure ISO 8601 attendues, par exemple 2026-03-01T09:00:00+01:00."
        )
        return None


def _parse_day(value, field: str, errors: dict) -> date | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        errors[f"notice.{field}"] = _("Date attendue au format AAAA-MM-JJ.")
        return None
