"""The adopted act and its text through the API: recording them (organisers) and the
article-by-article comparison with the consulted text (public)."""

from __future__ import annotations

from flask import request

from consultation.api import bp, schemas
from consultation.api.auth import api_user, require_api_user
from consultation.consultations.services import get_for_organiser, get_visible
from consultation.core.clock import isoformat
from consultation.core.upload_limits import accepts_upload
from consultation.extensions import db
from consultation.synthesis import adoption
from consultation.texts.office import text_from_file


@bp.post("/consultations/<slug>/act")
@accepts_upload("DRAFT_UPLOAD_MAX_BYTES")
def record_act(slug: str):
    """{signed_on, reference, url?, text?, acknowledge_warnings?}: the act, and with `text` its
    adopted text, saved together or not at all. The same fields may come as multipart, the
    text then as a file (`file`: .docx, .odt, .md or .txt, read as the draft's text is)."""
    user = require_api_user()
    consultation = get_for_organiser(slug, user)
    adoption.check_can_record_act(user, consultation)  # the right and state, before the body
    if request.mimetype == "multipart/form-data":
        sent = schemas.parse(schemas.ActInput, _multipart_fields())
        sent.text = _text_file()
    else:
        sent = schemas.parse(schemas.ActInput)
    adoption.record_act(
        user, consultation, signed_on=sent.signed_on, reference=sent.reference, url=sent.url
    )
    if sent.text is not None:
        adoption.load_adopted_text(
            user, consultation, sent.text, acknowledge_warnings=sent.acknowledge_warnings
        )
    body = adopted_text_document(consultation)
    db.session.commit()
    return schemas.respond(schemas.AdoptedText, body)


def _multipart_fields() -> dict:
    """The act's fields of a multipart body (text fields; `acknowledge_warnings=true`)."""
    fields: dict = {
        name: request.form[name]
        for name in ("signed_on", "reference", "url")
        if name in request.form
    }
    fields["acknowledge_warnings"] = request.form.get("acknowledge_warnings", "").lower() == "true"
    return fields


def _text_file() -> str | None:
    """The adopted text sent as a file, if any; UploadRefused (422 with its code) on `file`."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return None
    return text_from_file(upload, upload.filename, field="file").source


@bp.get("/consultations/<slug>/adopted-text")
def adopted_text(slug: str):
    consultation = get_visible(slug, api_user())
    return schemas.respond(schemas.AdoptedText, adopted_text_document(consultation))


def adopted_text_document(consultation) -> dict:
    """The act (or null) and each article compared, with its word diff and the ids of the
    contributions confirmed as having motivated the change."""
    act = adoption.adopted_act(consultation)
    links = adoption.confirmed_links(consultation)
    return {
        "consultation": consultation.slug,
        "act": {
            "signed_on": act.signed_on.isoformat(),
            "reference": act.reference,
            "url": act.url or None,
            "recorded_at": isoformat(act.recorded_at),
            "text_sha256": act.text_sha256 or None,
            "text_loaded_at": isoformat(act.text_loaded_at),
        }
        if act
        else None,
        "articles": [
            {
                "number": change.number,
                "key": change.key,
                "label": change.label,
                "status": change.status,
                "title": [_segment(s) for s in change.title],
                "paragraphs": [[_segment(s) for s in p] for p in change.paragraphs],
                "contribution_ids": [c.id for c in links.get(change.key, [])],
            }
            for change in adoption.compare(consultation)
        ],
    }


def _segment(segment) -> dict:
    return {"op": segment.op, "text": segment.text}
