"""The published synthesis as data: a version and a follow-up with its public history, in the
shape the API answers and the open-data export carries (one shape for both)."""

from __future__ import annotations

from consultation.consultations.models import Consultation
from consultation.core import clock
from consultation.synthesis import follow_ups, publishing
from consultation.synthesis.models import FollowUp, FollowUpEvent, SynthesisVersion
from consultation.synthesis.published_parts import parts_document


def published(consultation: Consultation) -> dict:
    """Every published version, oldest first, and the follow-ups with their history — both
    empty until a first version is public (follow-ups in preparation are not)."""
    versions = publishing.versions(consultation)
    if not versions:
        return {"versions": [], "follow_ups": []}
    return {
        "versions": [version_document(consultation, version) for version in versions],
        "follow_ups": [
            follow_up_document(consultation, item)
            for item in follow_ups.list_follow_ups(consultation)
        ],
    }


def version_document(consultation, version: SynthesisVersion) -> dict:
    return {
        "number": version.number,
        "published_at": clock.isoformat(version.published_at),
        "change_note": version.change_note,
        "body": version.body,
        "observations_considered": version.observations_considered,
        "reasons_url": version.reasons_url or None,
        "published_days_after_closing": publishing.days_after_closing(
            consultation, version.published_at
        ),
        "review": (version.data or {}).get("review"),
        # Its themes and proposal groups with every contribution they hold (their public pages:
        # `published_parts`).
        **parts_document(consultation.id, version.data),
    }


def follow_up_document(consultation, item: FollowUp) -> dict:
    return {
        "id": item.id,
        "title": item.title,
        "description": item.description,
        "due_date": item.due_date.isoformat() if item.due_date else None,
        "status": item.status.value,
        "status_label": item.status.label_fr,
        "url": item.url or None,
        "article_ids": [a.id for a in item.articles],
        "contribution_ids": [c.id for c in item.contributions],
        "history": [_event(event) for event in item.events],
    }


def _event(event: FollowUpEvent) -> dict:
    return {
        "kind": event.kind,
        "at": clock.isoformat(event.created_at),
        "changes": event.changes,
        "note": event.note or None,
    }
