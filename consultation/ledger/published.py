"""The published consultation and its consulted text as plain data: what the record certifies
(the `publication` entry, `ledger.facts`) and what the open-data exports show (`export.json`,
`opendata.json_export`; the CSVs of export.zip, `opendata.package`). Both read these functions,
so that the record and the exports say the same thing by construction.

What may be large (the articles) is an iterator over a server-side cursor, read `BATCH` rows at
a time; what is small by nature (one consultation, its divisions) is a list.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from consultation.consultations import documents as consultation_documents
from consultation.consultations.models import Consultation
from consultation.consultations.services import NOTICE_FIELDS
from consultation.core.clock import isoformat
from consultation.core.urls import external_url
from consultation.extensions import db
from consultation.texts.models import Article, Division, Paragraph, TextVersion

BATCH = 1000


def consultation_record(consultation: Consultation, now: datetime) -> dict[str, Any]:
    """The consultation itself: who runs it, on what basis, when, and its status at `now`."""
    version = consultation.current_version
    basis = consultation.basis
    return {
        "slug": consultation.slug,
        "title": consultation.title,
        "summary": consultation.summary,
        "status": consultation.status_at(now).value,
        "institution": consultation.institution.name,
        "legal_basis": consultation.legal_basis,
        "legal_basis_reference": basis.reference if basis else None,
        "published_at": isoformat(consultation.published_at),
        "opens_at": isoformat(consultation.opens_at),
        "closes_at": isoformat(consultation.closes_at),
        "synthesis_published_at": isoformat(consultation.synthesis_published_at),
        "text_sha256": version.sha256 if version else None,
        "url": external_url("consultations.show", slug=consultation.slug),
    }


def notice_record(consultation: Consultation) -> dict[str, Any]:
    """The notice ("modalités") as published, field by field."""
    notice = consultation.notice
    record: dict[str, Any] = {}
    for field in NOTICE_FIELDS:
        value: Any = getattr(notice, field) if notice else None
        record[field] = value.isoformat() if hasattr(value, "isoformat") else value
    return record


def text_record(version: TextVersion | None) -> dict[str, Any]:
    """The consulted text's version and what surrounds its articles."""
    if version is None:
        return {
            "version": None,
            "title": "",
            "sha256": None,
            "source": None,
            "preamble": [],
            "closing": [],
        }
    return {
        "version": version.number,
        "title": version.title,
        "sha256": version.sha256,
        # The text as imported and fingerprinted: `sha256` is the SHA-256 of its UTF-8.
        "source": version.source,
        "frozen_at": isoformat(version.frozen_at),
        "preamble": list(version.preamble or []),
        "closing": list(version.closing or []),
    }


def documents(consultation: Consultation) -> list[dict[str, Any]]:
    """The consultation's documents, every version, by number then version: what the record
    certifies of each (number, version, title, kind, articles, type, size, SHA-256, erratum
    note, publication, hiding) and, as presentation, its id, kind's label, file name and
    address (none once hidden). `published_at` is the consultation's publication for the
    documents frozen with the text, the erratum's instant for a later version."""
    return [
        {
            "id": item.id,
            "number": item.number,
            "version": item.version,
            "title": item.title,
            "kind": item.kind.value,
            "kind_label": item.kind.label_fr,
            "articles": list(item.articles or []),
            "media_type": item.media_type,
            "size": item.size,
            "sha256": item.sha256,
            "note": item.note,
            "published_at": isoformat(
                item.added_at if item.replaces_id or item.version > 1 else consultation.published_at
            ),
            "hidden": item.is_hidden,
            "hidden_reason": item.hidden_reason,
            "filename": item.filename,
            "url": None
            if item.is_hidden
            else external_url(
                "documents.download",
                slug=consultation.slug,
                document_id=item.id,
                filename=item.filename,
            ),
        }
        for item in consultation_documents.documents_of(consultation)
    ]


def divisions(version_id: int | None) -> list[dict[str, Any]]:
    """The titres, chapitres and sections, in the text's order."""
    d = Division
    rows = db.session.execute(
        sa.select(d.id, d.parent_id, d.position, d.depth, d.kind, d.label, d.title, d.intro)
        .where(d.version_id == version_id)
        .order_by(d.position)
    )
    return [
        {
            "id": row.id,
            "parent_id": row.parent_id,
            "position": row.position,
            "depth": row.depth,
            "kind": row.kind,
            "label": row.label,
            "title": row.title,
            "intro": list(row.intro or []),
        }
        for row in rows
    ]


def articles(version_id: int | None) -> Iterator[dict[str, Any]]:
    """Each article in the text's order with its paragraphs, its aggregated votes and its
    number of contributions: one query, articles and paragraphs read together."""
    a = Article
    rows = db.session.execute(
        sa.select(
            a.id,
            a.division_id,
            a.position,
            a.number,
            a.slug,
            a.label,
            a.title,
            a.votes_agree,
            a.votes_mixed,
            a.votes_disagree,
            a.contributions_count,
            Paragraph.number.label("paragraph_number"),
            Paragraph.text.label("paragraph_text"),
        )
        .outerjoin(Paragraph, Paragraph.article_id == a.id)
        .where(a.version_id == version_id)
        .order_by(a.position, a.id, Paragraph.number)
        .execution_options(yield_per=BATCH)
    )
    try:
        for _id, group in itertools.groupby(rows, key=lambda row: row.id):
            first, *rest = group
            yield {
                "id": first.id,
                "number": first.number,
                "slug": first.slug,
                "label": first.label,
                "title": first.title,
                "position": first.position,
                "division_id": first.division_id,
                "paragraphs": [
                    {"number": row.paragraph_number, "text": row.paragraph_text}
                    for row in (first, *rest)
                    if row.paragraph_number is not None
                ],
                "votes": {
                    "agree": first.votes_agree,
                    "mixed": first.votes_mixed,
                    "disagree": first.votes_disagree,
                },
                "contributions_count": first.contributions_count,
            }
    finally:
        rows.close()
