"""What a consultation publishes besides its record, as plain data for the open-data exports:
the consultation and its notice, the consulted text (divisions, articles with their paragraphs
and aggregated votes), the official answers, the aggregated votes per contribution and the
moderation figures by reason.

`export.json` (`ledger.export.document`) and the CSVs of `export.zip` (`opendata.package`) read
the same functions, so that the two formats say the same thing. What may be large (articles,
answers, votes per contribution) is an iterator over a server-side cursor, read `BATCH` rows at
a time; what is small by nature (one consultation, its divisions, a dozen reasons) is a list.
Nothing here names a participant: the answers are the institution's, the votes are counts.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import datetime

import sqlalchemy as sa

from consultation.consultations.models import Consultation
from consultation.consultations.services import NOTICE_FIELDS
from consultation.core.charter import REASON_LABELS
from consultation.core.clock import isoformat
from consultation.core.urls import external_url
from consultation.extensions import db
from consultation.moderation.services import public_figures
from consultation.participation.models import Contribution
from consultation.participation.models import contribution_state as state_of
from consultation.synthesis.models import Answer
from consultation.texts.models import Article, Division, Paragraph, TextVersion

BATCH = 1000
LICENCE_NAME = "Licence Ouverte 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


def licence() -> dict:
    return {"name": LICENCE_NAME, "url": LICENCE_URL}


def consultation_record(consultation: Consultation, now: datetime) -> dict:
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


def contribution_state(withdrawn_at: datetime | None, hidden_at: datetime | None) -> str:
    """published, withdrawn or hidden, as the exports write it: only a published
    contribution's texts (and its answer's text) are in them. The rule itself is
    `participation.models.contribution_state`, used by every surface."""
    return state_of(withdrawn_at, hidden_at).value


def status_changed_at(consultation: Consultation, now: datetime) -> datetime | None:
    """When the consultation last changed status by the clock alone (its opening or closing),
    which changes the export's `status` without any row changing."""
    moments = (consultation.opens_at, consultation.closes_at)
    return max((moment for moment in moments if moment and moment <= now), default=None)


def notice_record(consultation: Consultation) -> dict:
    """The notice ("modalités") as published, field by field."""
    notice = consultation.notice
    record = {}
    for field in NOTICE_FIELDS:
        value = getattr(notice, field) if notice else None
        record[field] = value.isoformat() if hasattr(value, "isoformat") else value
    return record


def text_record(version: TextVersion | None) -> dict:
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


def divisions(version_id: int | None) -> list[dict]:
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


def articles(version_id: int | None) -> Iterator[dict]:
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


def moderation(consultation: Consultation) -> dict:
    """The public moderation figures: totals, then reports and hidden contributions by reason
    of the charter (every reason, zero included)."""
    figures = public_figures(consultation)
    return {
        "contributions": figures.contributions,
        "reports": figures.reports,
        "hidden": figures.hidden,
        "restored": figures.restored,
        "dismissed": figures.dismissed,
        "duplicates": figures.duplicates,
        "by_reason": [
            {
                "reason": reason.value,
                "label": label,
                "reports": figures.reports_by_reason.get(reason, 0),
                "hidden": figures.hidden_by_reason.get(reason, 0),
            }
            for reason, label in REASON_LABELS.items()
        ],
    }


def answers(consultation_id: int) -> Iterator[dict]:
    """The official answers, in the order of the contributions answered; the text of an answer
    to a withdrawn or hidden contribution is left out, as the contribution's is."""
    c = Contribution
    rows = db.session.execute(
        sa.select(
            c.tracking_number,
            c.withdrawn_at,
            c.hidden_at,
            Answer.status,
            Answer.body,
            Answer.created_at,
            Answer.updated_at,
        )
        .join(c, c.id == Answer.contribution_id)
        .where(Answer.consultation_id == consultation_id)
        .order_by(c.id)
        .execution_options(yield_per=BATCH)
    )
    try:
        for row in rows:
            shown = state_of(row.withdrawn_at, row.hidden_at).shows_text
            yield {
                "tracking_number": row.tracking_number,
                "status": row.status.value,
                "label": row.status.label,
                "body": row.body if shown else None,
                "first_answered_at": isoformat(row.created_at),
                "answered_at": isoformat(row.updated_at),
            }
    finally:
        rows.close()


def contribution_votes(consultation_id: int) -> Iterator[tuple]:
    """(tracking number, agree, mixed, disagree) of every contribution, oldest first."""
    c = Contribution
    rows = db.session.execute(
        sa.select(c.tracking_number, c.votes_agree, c.votes_mixed, c.votes_disagree)
        .where(c.consultation_id == consultation_id)
        .order_by(c.id)
        .execution_options(yield_per=BATCH)
    )
    try:
        yield from (tuple(row) for row in rows)
    finally:
        rows.close()
