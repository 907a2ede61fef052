"""The adopted act and its text through the API: recording them (organisers) and the
article-by-article comparison with the consulted text (public)."""

from __future__ import annotations

from consultation.api import bp, schemas
from consultation.api.auth import api_user, require_api_user
from consultation.consultations.services import get_for_organiser, get_visible
from consultation.core.clock import isoformat
from consultation.extensions import db
from consultation.synthesis import adoption


@bp.post("/consultations/<slug>/act")
def record_act(slug: str):
    """{signed_on, reference, url?, text?, acknowledge_warnings?}: the act, and with `text` its
    adopted text, saved together or not at all."""
    user = require_api_user()
    consultation = get_for_organiser(slug, user)
    adoption.check_can_record_act(user, consultation)  # the right and state, before the body
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
