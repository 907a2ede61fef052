"""Search over what the public may read: published consultations (title, summary, notice,
text) and public contributions (title, body, proposed wording).

French words are matched by their stem with accents ignored ("numerique" finds
"numériques"); every word of the query must be found (common words aside). Results come by
relevance (a match in the title weighs more), then newest first, in pages read with an opaque
cursor. Draft consultations and withdrawn or hidden contributions are never found, not even
in an extract: they have no row in the index (`search.indexer`), and the query re-checks the
source tables. The results are the same for everyone, signed in or not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from consultation.consultations.constants import Status
from consultation.consultations.models import Consultation
from consultation.core import clock, cursors
from consultation.core.errors import ValidationFailed
from consultation.core.sanitize import Markup
from consultation.extensions import db
from consultation.participation.models import Contribution, ContributionKind
from consultation.search import text
from consultation.search.indexer import documents
from consultation.search.models import CONSULTATION

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200
KINDS = (CONSULTATION, *(kind.value for kind in ContributionKind))
STATUSES = tuple(status.value for status in Status if status is not Status.draft)
SQLITE_WEIGHTS = "bm25(search_fts, 4.0, 1.0)"  # a word in a title weighs four in a body


@dataclass(frozen=True)
class Result:
    """One item found: a consultation (`contribution_id` None) or a contribution."""

    kind: str
    consultation_id: int
    consultation_slug: str
    consultation_title: str
    consultation_status: Status
    contribution_id: int | None
    title: Markup
    extract: Markup
    score: float

    @property
    def is_consultation(self) -> bool:
        return self.contribution_id is None


@dataclass(frozen=True)
class SearchPage:
    """A page of results, the cursor of the next one, and how many items match in all and
    per kind (with the consultation and status filters, whatever the kind filter)."""

    query: str
    terms: list[str]
    results: list[Result]
    next_cursor: str | None
    total: int
    counts: dict[str, int] = field(default_factory=dict)


def search(
    query: str,
    *,
    consultation: str | None = None,
    status: str | None = None,
    kind: str | None = None,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
    now: datetime | None = None,
) -> SearchPage:
    """Search the public consultations and contributions for `query`.

    `consultation` is a published consultation's slug (to search within it), `status` a
    consultation status other than draft (scheduled, open, closed, synthesis_published), `kind`
    `consultation` or a contribution kind. Raises ValidationFailed (422, `invalid`) naming the
    parameter for a missing or too long query, an unknown consultation, status or kind, and
    InvalidCursor (400) for a cursor this search did not write.
    """
    now = now or clock.now()
    query = (query or "").strip()
    if not query:
        raise ValidationFailed(fields={"q": "Saisissez un ou plusieurs mots à rechercher."})
    if len(query) > MAX_QUERY_LENGTH:
        raise ValidationFailed(
            fields={"q": f"La recherche est limitée à {MAX_QUERY_LENGTH} caractères."}
        )
    filters = []
    if consultation:
        consultation_id = db.session.scalar(
            sa.select(Consultation.id).where(
                Consultation.slug == consultation, Consultation.published_at.is_not(None)
            )
        )
        if consultation_id is None:
            raise ValidationFailed(fields={"consultation": "Consultation inconnue."})
        filters.append(documents.c.consultation_id == consultation_id)
    if status:
        if status not in STATUSES:
            raise ValidationFailed(
                fields={"status": "Statut inconnu : " + ", ".join(STATUSES) + "."}
            )
        filters.append(Consultation.has_status(Status(status), now))
    kind_filter = None
    if kind:
        if kind not in KINDS:
            raise ValidationFailed(fields={"kind": "Type inconnu : " + ", ".join(KINDS) + "."})
        kind_filter = documents.c.kind == kind
    after = cursors.decode(cursor, cursors.number, cursors.integer) if cursor else None
    terms = text.query_terms(query)
    if not terms:
        return SearchPage(query, [], [], None, 0, {})

    dialect = db.session.get_bind().dialect.name
    matches = _matches_postgresql(query) if dialect == "postgresql" else _matches_sqlite(terms)
    base = (
        sa.select(documents.c.id, matches.c.score, documents.c.kind)
        .select_from(matches)
        .join(documents, documents.c.id == matches.c.id)
        .join(Consultation, Consultation.id == documents.c.consultation_id)
        .outerjoin(Contribution, Contribution.id == documents.c.contribution_id)
        # The index holds public items only; the source tables say so again.
        .where(
            Consultation.published_at.is_not(None),
            sa.or_(documents.c.contribution_id.is_(None), Contribution.is_public),
            *filters,
        )
    )
    found = base.subquery()
    counts = {
        row.kind: row.count
        for row in db.session.execute(
            sa.select(found.c.kind, sa.func.count().label("count")).group_by(found.c.kind)
        )
    }
    page = base
    if kind_filter is not None:
        page = page.where(kind_filter)
    if after is not None:
        score, last_id = after
        page = page.where(
            sa.or_(
                matches.c.score < score,
                sa.and_(matches.c.score == score, documents.c.id < last_id),
            )
        )
    rows = db.session.execute(
        page.order_by(matches.c.score.desc(), documents.c.id.desc()).limit(limit + 1)
    ).all()
    shown = rows[:limit]
    next_cursor = (
        cursors.encode([float(shown[-1].score), shown[-1].id]) if len(rows) > limit else None
    )
    results = _results([(row.id, float(row.score)) for row in shown], set(terms), now)
    total = counts.get(kind, 0) if kind else sum(counts.values())
    return SearchPage(query, terms, results, next_cursor, total, counts)


def _matches_sqlite(terms: list[str]):
    """(id, score) of the index rows holding every term: FTS5's bm25, higher is better."""
    match = " ".join(f'"{term}"' for term in terms)
    return (
        sa.select(
            sa.literal_column("rowid").label("id"),
            (-sa.literal_column(SQLITE_WEIGHTS)).label("score"),
        )
        .select_from(sa.table("search_fts"))
        .where(sa.literal_column("search_fts").op("MATCH")(match))
        .cte("matches")
        .prefix_with("MATERIALIZED")
    )


def _matches_postgresql(query: str):
    """(id, score) of the index rows matching the query in the `french` configuration."""
    tsquery = sa.func.plainto_tsquery(
        sa.literal_column("'french'::regconfig"), sa.func.unaccent(query)
    )
    return (
        sa.select(
            documents.c.id.label("id"),
            sa.cast(sa.func.ts_rank(documents.c.tsv, tsquery), sa.Float).label("score"),
        )
        .where(documents.c.tsv.op("@@")(tsquery))
        .cte("matches")
        .prefix_with("MATERIALIZED")
    )


def _results(found: list[tuple[int, float]], wanted: set[str], now: datetime) -> list[Result]:
    if not found:
        return []
    rows = {
        row.id: row
        for row in db.session.execute(
            sa.select(
                documents.c.id,
                documents.c.kind,
                documents.c.consultation_id,
                documents.c.contribution_id,
                documents.c.title,
                documents.c.body,
                Consultation.slug,
                Consultation.title.label("consultation_title"),
                Consultation.published_at,
                Consultation.opens_at,
                Consultation.closes_at,
                Consultation.synthesis_published_at,
            )
            .join(Consultation, Consultation.id == documents.c.consultation_id)
            .where(documents.c.id.in_([document_id for document_id, _score in found]))
        )
    }
    results = []
    for document_id, score in found:
        row = rows[document_id]
        results.append(
            Result(
                kind=row.kind,
                consultation_id=row.consultation_id,
                consultation_slug=row.slug,
                consultation_title=row.consultation_title,
                consultation_status=_status(row, now),
                contribution_id=row.contribution_id,
                title=text.highlight(row.title, wanted),
                extract=text.extract(row.body, wanted),
                score=score,
            )
        )
    return results


def _status(row, now: datetime) -> Status:
    probe = Consultation(
        published_at=row.published_at,
        opens_at=row.opens_at,
        closes_at=row.closes_at,
        synthesis_published_at=row.synthesis_published_at,
    )
    return probe.status_at(now)
