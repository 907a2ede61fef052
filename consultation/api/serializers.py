"""JSON shapes of the API. Instants are ISO 8601 with the Paris offset."""

from __future__ import annotations

from collections.abc import Mapping

from consultation.consultations.models import Consultation
from consultation.consultations.services import NOTICE_FIELDS
from consultation.core.clock import isoformat
from consultation.core.db import get_existing
from consultation.core.urls import external_url
from consultation.participation import papers
from consultation.texts import services as texts
from consultation.texts.models import Article, TextVersion


def consultation_summary(consultation: Consultation) -> dict:
    return {
        "slug": consultation.slug,
        "title": consultation.title,
        "summary": consultation.summary,
        "status": consultation.status.value,
        "institution": {
            "slug": consultation.institution.slug,
            "name": consultation.institution.name,
        },
        "legal_basis": consultation.legal_basis,
        "minimum_days": consultation.minimum_days,
        "opens_at": isoformat(consultation.opens_at),
        "closes_at": isoformat(consultation.closes_at),
        "published_at": isoformat(consultation.published_at),
        "url": external_url("consultations.show", slug=consultation.slug),
    }


def notice(consultation: Consultation) -> dict:
    data = {}
    for field in NOTICE_FIELDS:
        value = getattr(consultation.notice, field)
        data[field] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def consultation_detail(consultation: Consultation, version: TextVersion | None) -> dict:
    data = consultation_summary(consultation)
    basis = consultation.basis
    data.update(
        {
            "legal_basis_reference": basis.reference if basis else None,
            "notice": notice(consultation),
            "text_sha256": version.sha256 if version else None,
            "text_version": version.number if version else None,
            "text_frozen_at": isoformat(version.frozen_at) if version else None,
            "text_warnings": _draft_text_warnings(consultation, version),
            "preamble": list(version.preamble) if version else [],
            "closing": list(version.closing) if version else [],
            "divisions": [division(d) for d in version.divisions] if version else [],
            "articles": _articles(version) if version else [],
            "extensions": [
                {
                    "at": isoformat(event.created_at),
                    "previous_closes_at": isoformat(event.previous_closes_at),
                    "new_closes_at": isoformat(event.new_closes_at),
                    "reason": event.reason,
                }
                for event in consultation.events
                if event.kind.value == "extended"
            ],
        }
    )
    return data


def _draft_text_warnings(consultation: Consultation, version: TextVersion | None) -> list[dict]:
    """For a draft, the lines its text's import reported and the organiser acknowledged."""
    if version is None or consultation.is_published:
        return []
    return [warning.as_dict() for warning in texts.saved_text_warnings(version.source)]


def division(d) -> dict:
    return {
        "id": d.id,
        "kind": d.kind,
        "label": d.label,
        "title": d.title,
        "depth": d.depth,
        "parent_id": d.parent_id,
        "intro": list(d.intro or []),
    }


def _articles(version: TextVersion) -> list[dict]:
    return [article(a) for a in version.articles]


def article(a: Article) -> dict:
    return {
        "id": a.id,
        "number": a.number,
        "slug": a.slug,
        "label": a.label,
        "title": a.title,
        "heading": a.heading,
        "division_id": a.division_id,
        "paragraphs": [p.text for p in a.paragraphs],
        "votes": a.vote_counts,
        "contributions_count": a.contributions_count,
    }


def author(user) -> dict:
    data = {"display_name": user.display_name, "type": user.profile_type.value}
    if user.is_organisation:
        data["organisation"] = {
            "name": user.organisation_name,
            "category": user.organisation_category.value,
            "hatvp_number": user.hatvp_number or None,
        }
    return data


def contribution(c, known_papers: Mapping[int, papers.PaperFacts] | None = None) -> dict:
    """A contribution as published: a withdrawn or hidden one keeps its record, not its texts
    (`participation.models.contribution_state`), and of its position paper the SHA-256 only
    (`papers.published`, as the export gives it). `known_papers`, the papers of a page of
    contributions read at once (`papers.papers_of`); without it, this one's is read."""
    withdrawn = not c.is_public
    found = known_papers if known_papers is not None else papers.papers_of([c.id])
    slug = get_existing(Consultation, c.consultation_id).slug
    return {
        "id": c.id,
        "tracking_number": c.tracking_number,
        "kind": c.kind.value,
        "article_id": c.article_id,
        "paragraph": c.paragraph,
        "position": c.position.value if c.position else None,
        "title": None if withdrawn else c.title,
        "body": None if withdrawn else c.body,
        "proposed_text": None if withdrawn else (c.proposed_text or None),
        "url": None if withdrawn else (c.url or None),
        "paper": papers.published(c.id, slug, found.get(c.id), withheld=papers.is_withheld(c)),
        "parent_id": c.parent_id,
        "author": {
            "display_name": c.offline_author,
            "type": "offline",
            "channel": c.offline_channel.value,
        }
        if c.is_offline
        else author(c.author),
        "offline": c.is_offline,
        "created_at": isoformat(c.created_at),
        "edited_at": isoformat(c.edited_at),
        "withdrawn_at": isoformat(c.withdrawn_at),
        "moderation": {
            "hidden": c.is_hidden,
            "reason": c.hidden_reason.value if c.hidden_reason else None,
            "notice": c.hidden_notice_fr if c.is_hidden else None,
            "duplicate_of": c.duplicate_of_id,
        },
        "votes": c.vote_counts,
    }


def answer(a) -> dict | None:
    """The administration's answer to a contribution, or None: its text is null once the
    contribution is withdrawn or hidden, as the contribution's own texts are."""
    if a is None:
        return None
    return {
        "status": a.status.value,
        "label": a.status.label_fr,
        "body": a.public_body,
        "answered_at": isoformat(a.updated_at),
    }
