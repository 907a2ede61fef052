"""The synthesis through the API: save the working document (text and follow-ups), publish
a version, change one follow-up; what publishing adds to the synthesis document of
`GET …/synthesis` (consultation/api/synthesis_draft.py).

`PUT …/synthesis` takes the whole document; `PUT …/synthesis/sections/{key}` one section of its
text, with the fingerprint the section had when read (`GET …/synthesis` lists the sections).
The text keeps the contributions' tokens `[[C-…]]` as written (they become links only where it
is shown). Its `follow_ups` list is the complete list, in
order: an entry with an `id` changes that follow-up, one without creates one, and a follow-up
left out is deleted while no version is published; once one is, leaving one out is refused
(409 `invalid_state`), since published follow-ups are only ever marked `abandoned`. Without a
`follow_ups` key the follow-ups are left as they are.
"""

from __future__ import annotations

from typing import Any

from consultation.api import bp, schemas
from consultation.api.auth import require_api_user
from consultation.consultations import services as consultations
from consultation.core import clock
from consultation.core.db import get_existing
from consultation.extensions import db
from consultation.synthesis import follow_ups, links, publishing, sections
from consultation.synthesis.documents import follow_up_document, version_document
from consultation.synthesis.models import FollowUp


@bp.put("/consultations/<slug>/synthesis")
def put_synthesis(slug: str):
    user = require_api_user()
    consultation = consultations.get_visible(slug, user)
    publishing.check_can_write(user, consultation)
    sent = schemas.parse(schemas.SynthesisInput)
    entries = sent.model_dump(exclude_unset=True).get("follow_ups")  # only the fields sent
    publishing.put_synthesis(
        user,
        consultation,
        body=sent.body,
        observations_considered=sent.observations_considered,
        reasons_url=sent.reasons_url,
        follow_ups=entries,
    )
    document = working_document(consultation)
    db.session.commit()
    return schemas.respond(schemas.WorkingSynthesis, document)


@bp.put("/consultations/<slug>/synthesis/sections/<key>")
def put_synthesis_section(slug: str, key: str):
    """Replace one section of the working text (see `synthesis.sections`); 409
    `section_changed` when it changed since it was read."""
    user = require_api_user()
    consultation = consultations.get_visible(slug, user)
    publishing.check_can_write(user, consultation)
    sent = schemas.parse(schemas.SectionInput)
    saved = sections.save_section(user, consultation, key, sent.text, sent.fingerprint)
    document = {"key": saved, **sections_fields(consultation)}
    db.session.commit()
    return schemas.respond(schemas.SavedSection, document)


@bp.post("/consultations/<slug>/synthesis/publish")
def publish_synthesis(slug: str):
    user = require_api_user()
    consultation = consultations.get_visible(slug, user)
    publishing.check_can_publish(user, consultation, clock.now())
    note = schemas.parse(schemas.PublicationInput).change_note or ""
    version = publishing.publish_synthesis(user, consultation, note)
    body = version_document(consultation, version)
    db.session.commit()
    return schemas.respond(schemas.SynthesisVersion, body, 201)


@bp.patch("/follow-ups/<int:follow_up_id>")
def patch_follow_up(follow_up_id: int):
    """Change one follow-up, with an optional `note` kept in its public history."""
    user = require_api_user()
    item = follow_ups.get_follow_up(follow_up_id)
    consultation = consultations.get_visible(_slug_of(item), user)
    follow_ups.check_can_edit_follow_ups(user, consultation)
    sent = schemas.parse(schemas.FollowUpChanges).model_dump(exclude_unset=True)
    changes = {field: sent[field] for field in follow_ups.ENTRY_FIELDS if field in sent}
    follow_ups.update_follow_up(user, item, changes, note=sent.get("note") or "")
    body = follow_up_document(consultation, item)
    db.session.commit()
    return schemas.respond(schemas.FollowUp, body)


def _slug_of(item: FollowUp) -> str:
    from consultation.consultations.models import Consultation

    return get_existing(Consultation, item.consultation_id).slug


def working_document(consultation) -> dict:
    """What staff saved: the working text and the follow-ups."""
    synthesis = publishing.get_synthesis(consultation)
    return {
        "body": synthesis.body if synthesis else "",
        "observations_considered": synthesis.observations_considered if synthesis else "",
        "reasons_url": synthesis.reasons_url if synthesis else "",
        "updated_at": clock.isoformat(synthesis.updated_at) if synthesis else None,
        "problems": publishing.synthesis_problems(consultation),
        "review_changed_after_draft": clock.isoformat(publishing.review_after_draft(consultation)),
        "follow_ups": [
            follow_up_document(consultation, item)
            for item in follow_ups.list_follow_ups(consultation)
        ],
    }


def sections_fields(consultation) -> dict:
    """The working text (or else the draft) in sections, and its tokens that name no
    contribution of the consultation."""
    text = publishing.working_text(consultation)
    return {
        "sections": [
            {
                "key": section.key,
                "heading": section.heading,
                "text": section.text,
                "fingerprint": section.fingerprint,
                "length": section.length,
            }
            for section in sections.visible_sections(text)
        ],
        "unknown_tokens": links.unknown_tokens(text, consultation),
    }


def publication_fields(consultation, viewer) -> dict:
    """What publishing adds to the synthesis document of `GET …/synthesis`: the latest
    published version, how many days after the closing the synthesis was first published and
    the follow-ups with their history (once public); for the institution's staff also the
    environmental parts being edited, what is missing to publish, and the follow-ups in
    preparation."""
    versions = publishing.versions(consultation)
    latest = versions[-1] if versions else None
    fields: dict[str, Any] = {
        "latest": version_document(consultation, latest) if latest else None,
        "published_days_after_closing": (
            publishing.days_after_closing(consultation, versions[0].published_at)
            if versions
            else None
        ),
        "follow_ups": [],
    }
    staff = viewer is not None and viewer.acts_for(consultation.institution_id)
    if staff:
        working = working_document(consultation)
        for field in (
            "observations_considered",
            "reasons_url",
            "problems",
            "review_changed_after_draft",
            "follow_ups",
        ):
            fields[field] = working[field]
        fields.update(sections_fields(consultation))
    elif latest:
        fields["follow_ups"] = [
            follow_up_document(consultation, item)
            for item in follow_ups.list_follow_ups(consultation)
        ]
    return fields
