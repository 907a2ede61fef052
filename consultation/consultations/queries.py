"""Read-side queries for the public pages and the back-office."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from consultation.accounts.models import User
from consultation.consultations.constants import Status
from consultation.consultations.models import Consultation
from consultation.core import clock
from consultation.extensions import db
from consultation.texts.models import Article, TextVersion

PUBLIC_SECTIONS = (Status.open, Status.scheduled, Status.closed, Status.synthesis_published)


def public_listing(now: datetime) -> dict[Status, list[Consultation]]:
    """Published consultations grouped by status: open first (closing soonest), then upcoming…"""
    rows = db.session.scalars(
        sa.select(Consultation)
        .where(Consultation.published_at.is_not(None))
        .options(selectinload(Consultation.institution))
        .order_by(Consultation.closes_at)
    ).all()
    listing: dict[Status, list[Consultation]] = {status: [] for status in PUBLIC_SECTIONS}
    for consultation in rows:
        listing[consultation.status_at(now)].append(consultation)
    listing[Status.scheduled].sort(key=lambda c: c.opens_at)
    for status in (Status.closed, Status.synthesis_published):
        listing[status].reverse()
    return listing


def public_consultations(status: Status | None, now: datetime) -> list[Consultation]:
    """Published consultations, optionally of one status, most recently published first."""
    query = sa.select(Consultation).where(Consultation.published_at.is_not(None))
    if status is not None:
        query = query.where(Consultation.has_status(status, now))
    query = query.options(selectinload(Consultation.institution)).order_by(
        Consultation.published_at.desc(), Consultation.id.desc()
    )
    return list(db.session.scalars(query))


def managed_consultations(user: User) -> list[Consultation]:
    """Consultations the user manages: their institution's, or all for an administrator."""
    query = sa.select(Consultation).options(selectinload(Consultation.institution))
    if not user.is_admin:
        query = query.where(Consultation.institution_id == user.institution_id)
    return list(db.session.scalars(query.order_by(Consultation.updated_at.desc())))


def load_text(consultation: Consultation) -> TextVersion | None:
    """The current version with its divisions, articles and paragraphs, in a fixed number of queries."""
    return db.session.scalar(
        sa.select(TextVersion)
        .where(TextVersion.consultation_id == consultation.id)
        .order_by(TextVersion.number.desc())
        .limit(1)
        .options(
            selectinload(TextVersion.divisions),
            selectinload(TextVersion.articles).selectinload(Article.paragraphs),
        )
    )


def consultation_page_stamp(consultation: Consultation, now: datetime, timing: str) -> tuple:
    """Everything on the consultation page that can change once the text is published: the
    consultation's row (dates, extensions), its status and time-remaining phrase, and each
    article's counters. Two requests with equal stamps show the same page (see pagecache);
    whatever a later change adds to the page must be added here."""
    articles = db.session.execute(_ARTICLE_COUNTERS, {"consultation_id": consultation.id})
    return (
        consultation.id,
        consultation.updated_at,
        consultation.institution.name,
        consultation.status_at(now),
        timing,
        tuple(tuple(row) for row in articles),
    )


# Built once: this runs on every view of a consultation page.
_ARTICLE_COUNTERS = (
    sa.select(
        Article.id,
        Article.votes_agree,
        Article.votes_mixed,
        Article.votes_disagree,
        Article.contributions_count,
    )
    .where(
        Article.version_id
        == sa.select(TextVersion.id)
        .where(TextVersion.consultation_id == sa.bindparam("consultation_id"))
        .order_by(TextVersion.number.desc())
        .limit(1)
        .scalar_subquery()
    )
    .order_by(Article.id)
)


def timing_phrase(consultation: Consultation, now: datetime | None = None) -> str:
    """A short French phrase: 'Ouvre dans 3 jours', 'Plus que 5 heures', 'Close depuis 12 jours'."""
    now = now or clock.now()
    status = consultation.status_at(now)
    if status is Status.draft:
        return "Brouillon non publié"
    if status is Status.scheduled:
        return "Ouvre " + _in(consultation.opens_at - now)
    if status is Status.open:
        return "Clôture " + _in(consultation.closes_at - now)
    days = clock.paris_days_between(consultation.closes_at, now)
    if status is Status.closed:
        return f"Synthèse attendue — close depuis {_plural(days, 'jour')}"
    return "Synthèse publiée"


def _in(delta) -> str:
    seconds = int(delta.total_seconds())
    if seconds >= 2 * 86400:
        return f"dans {_plural(seconds // 86400, 'jour')}"
    if seconds >= 3600:
        return f"dans {_plural(seconds // 3600, 'heure')}"
    return f"dans {_plural(max(seconds // 60, 1), 'minute')}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"
