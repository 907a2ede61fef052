"""Read-side queries for the public pages and the back-office."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any, cast

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from consultation.accounts.models import Institution, User
from consultation.consultations.constants import Status
from consultation.consultations.documents import DocumentGroup
from consultation.consultations.documents import groups as document_groups
from consultation.consultations.models import Consultation, ConsultationEvent, Notice
from consultation.core import clock, pagecache
from consultation.core.plurals import ngettext
from consultation.core.sanitize import Markup, render_markdown
from consultation.extensions import db
from consultation.texts.models import Article, TextVersion
from consultation.texts.outline import OutlineItem, outline

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
    listing[Status.scheduled].sort(key=lambda c: c.dates()[0])
    for status in (Status.closed, Status.synthesis_published):
        listing[status].reverse()
    return listing


def public_consultations(
    status: Status | None,
    now: datetime,
    *,
    after: tuple[datetime, int] | None = None,
    limit: int | None = None,
) -> list[Consultation]:
    """Published consultations, optionally of one status, most recently published first;
    a page of `limit` of them after the one published at `after` = (published_at, id)."""
    query = sa.select(Consultation).where(Consultation.published_at.is_not(None))
    if status is not None:
        query = query.where(Consultation.has_status(status, now))
    if after is not None:
        published_at, last_id = after
        query = query.where(
            sa.or_(
                Consultation.published_at < published_at,
                sa.and_(Consultation.published_at == published_at, Consultation.id < last_id),
            )
        )
    query = query.options(selectinload(Consultation.institution)).order_by(
        Consultation.published_at.desc(), Consultation.id.desc()
    )
    if limit is not None:
        query = query.limit(limit)
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


CONSULTATION_PAGE = "consultation"
"""The consultation page's key in the page-part registry (`core.pagecache.register_part`)."""


@dataclass(frozen=True)
class ConsultationPage:
    """Everything the public consultation page shows, read before the template runs.

    `parts` holds what the domains above add to the page (registered with
    `core.pagecache.register_part` under `CONSULTATION_PAGE`: the ledger's latest checkpoint,
    the adopted act, whether the visitor follows the consultation), each part's value under
    its name. Every value the page shows and that can change is covered by
    `public_page_stamp`, parts included."""

    consultation: Consultation
    notice: Notice
    institution_name: str
    version: TextVersion | None
    outline: list[OutlineItem]
    status: Status
    timing: str
    explanatory_note: Markup
    public_events: list[ConsultationEvent]
    documents: list[DocumentGroup]
    parts: Mapping[str, Any]

    def context(self) -> dict[str, Any]:
        """The template's variables: the fields, then each part under its own name."""
        values = {field.name: getattr(self, field.name) for field in fields(self)}
        clash = values.keys() & self.parts.keys()
        if clash:
            raise ValueError(f"page parts named like the page's fields: {sorted(clash)}")
        return values | dict(self.parts)


def consultation_page(consultation: Consultation, viewer: Any, now: datetime) -> ConsultationPage:
    """The read model of the public page of `consultation` (already loaded and visible to
    `viewer`): its notice, text and outline, status and time phrase, public events, and the
    registered parts. Every query the page needs is made here."""
    version = load_text(consultation)
    return ConsultationPage(
        consultation=consultation,
        notice=consultation.notice,
        institution_name=consultation.institution.name,
        version=version,
        outline=outline(version),
        status=consultation.status_at(now),
        timing=timing_phrase(consultation, now),
        explanatory_note=render_markdown(consultation.notice.explanatory_note),
        public_events=[event for event in consultation.events if event.is_public],
        documents=document_groups(consultation),
        parts={
            part.name: part.load(consultation, viewer, now)
            for part in pagecache.parts(CONSULTATION_PAGE)
        },
    )


def public_page_stamp(slug: str, now: datetime) -> tuple[Any, ...] | None:
    """Everything on the public consultation page that can change once the text is published:
    the consultation's row (dates, extensions — `updated_at` moves with every change), the
    institution's name, the status and time-remaining phrase, each article's counters, and
    the stamp of every part registered for the page (`ConsultationPage.parts`).
    Two requests with equal stamps show the same page (see `core.pagecache`). Read with two
    plain queries and no objects: it runs on every anonymous view. None when `slug` is not a
    published consultation."""
    extras = tuple(
        part.stamp for part in pagecache.parts(CONSULTATION_PAGE) if part.stamp is not None
    )
    row = db.session.execute(_public_consultation_query(extras), {"slug": slug}).one_or_none()
    if row is None or row.published_at is None:
        return None
    dates = Consultation(
        opens_at=row.opens_at,
        closes_at=row.closes_at,
        published_at=row.published_at,
        synthesis_published_at=row.synthesis_published_at,
    )
    articles = db.session.execute(_ARTICLE_COUNTERS, {"consultation_id": row.id})
    return (
        tuple(row),
        dates.status_at(now),
        timing_phrase(dates, now),
        tuple(tuple(counters) for counters in articles),
    )


# Built on the tables (no ORM loading): they run on every view of a consultation page.
# A declarative model's __table__ is its Table (typed as any FromClause).
_CONSULTATIONS = cast(sa.Table, Consultation.__table__)
_consultations, _institutions = _CONSULTATIONS.c, Institution.__table__.c
_articles, _versions = Article.__table__.c, TextVersion.__table__.c


@functools.lru_cache(maxsize=16)
def _public_consultation_query(
    extras: tuple[Callable[[sa.Table], sa.ColumnElement[Any]], ...],
) -> sa.Select[Any]:
    """The consultation's row with the parts' stamp columns (scalar subqueries correlated to
    the consultations table), built once per set of registered parts."""
    return (
        sa.select(
            _consultations.id,
            _consultations.published_at,
            _consultations.opens_at,
            _consultations.closes_at,
            _consultations.synthesis_published_at,
            _consultations.updated_at,
            _institutions.name,
            *(column_of(_CONSULTATIONS) for column_of in extras),
        )
        .join_from(
            Consultation.__table__,
            Institution.__table__,
            _institutions.id == _consultations.institution_id,
        )
        .where(_consultations.slug == sa.bindparam("slug"))
    )


_ARTICLE_COUNTERS = (
    sa.select(
        _articles.id,
        _articles.votes_agree,
        _articles.votes_mixed,
        _articles.votes_disagree,
        _articles.contributions_count,
    )
    .where(
        _articles.version_id
        == sa.select(_versions.id)
        .where(_versions.consultation_id == sa.bindparam("consultation_id"))
        .order_by(_versions.number.desc())
        .limit(1)
        .scalar_subquery()
    )
    .order_by(_articles.id)
)


def timing_phrase(consultation: Consultation, now: datetime | None = None) -> str:
    """A short phrase in the reader's language: 'Ouvre dans 3 jours', 'Clôture dans 5 heures',
    'Synthèse attendue — close depuis 12 jours'."""
    now = now or clock.now()
    status = consultation.status_at(now)
    if status is Status.draft:
        phrase: str = _("Brouillon non publié")
    elif status is Status.scheduled:
        phrase = _("Ouvre %(when)s", when=_in(consultation.dates()[0] - now))
    elif status is Status.open:
        phrase = _("Clôture %(when)s", when=_in(consultation.dates()[1] - now))
    elif status is Status.closed:
        days = clock.paris_days_between(consultation.dates()[1], now)
        phrase = _(
            "Synthèse attendue — close depuis %(days)s",
            days=ngettext("%(num)s jour", "%(num)s jours", days) % {"num": days},
        )
    else:
        phrase = _("Synthèse publiée")
    return phrase


def _in(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds >= 2 * 86400:
        days = seconds // 86400
        return ngettext("dans %(num)s jour", "dans %(num)s jours", days) % {"num": days}
    if seconds >= 3600:
        hours = seconds // 3600
        return ngettext("dans %(num)s heure", "dans %(num)s heures", hours) % {"num": hours}
    minutes = max(seconds // 60, 1)
    return ngettext("dans %(num)s minute", "dans %(num)s minutes", minutes) % {"num": minutes}
