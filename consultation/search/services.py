"""Search over what the public may read: published consultations (title, summary, notice,
text) and public contributions (title, body, proposed wording).

French words are matched by their stem with accents ignored ("numerique" finds
"numériques"); every word of the query must be found (common words aside). Results come in
two ranks — every word in the title first, then the others — newest first within each, in
pages read with an opaque cursor (rank, id). Matches are counted up to COUNT_CAP ("plus de
100 résultats"). Draft consultations and withdrawn or hidden contributions are never found,
not even in an extract: they have no row in the index (`search.indexer` keeps it so in the
transaction of every change), and the page's rows are checked again against the source tables
before a title or an extract is cut from them. The results are the same for everyone, signed
in or not.

How a page is read, per database (measured in `bench/search.py`):

- SQLite: the FTS5 table gives the matching ids (`id IN (SELECT rowid … MATCH …)`), walked
  newest first until one page is full.
- PostgreSQL: the matching ids come from the GIN index alone, as a materialised set, then the
  newest are taken. Left to itself the planner walks the primary key newest first and tests
  each row's vector, which is quick for a common pair of words and reads the whole table for a
  rare one (200 ms at RN×10); the GIN bitmap costs a few milliseconds for a rare pair and
  tens for the commonest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from consultation.consultations.constants import Status
from consultation.consultations.models import Consultation
from consultation.core import clock, cursors
from consultation.core.errors import ValidationFailed
from consultation.core.i18n import number
from consultation.core.sanitize import Markup
from consultation.extensions import db
from consultation.participation.models import Contribution, ContributionKind
from consultation.search import text
from consultation.search.indexer import documents
from consultation.search.models import CONSULTATION

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200
# Matches are counted up to this number; beyond it the page says "more than".
COUNT_CAP = 100
KINDS = (CONSULTATION, *(kind.value for kind in ContributionKind))
STATUSES = tuple(status.value for status in Status if status is not Status.draft)
# Ranks: every word in the title, then the words found elsewhere; newest first within each.
TITLE, BODY = 1, 0
# PostgreSQL: how many of the newest index rows are tried before the GIN index is asked.
WINDOW = 2000


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
    title_match: bool  # every word of the query is in its title

    @property
    def is_consultation(self) -> bool:
        return self.contribution_id is None


@dataclass(frozen=True)
class SearchPage:
    """A page of results, the cursor of the next one, and how many items match (counted up
    to COUNT_CAP: `total_capped` says there are more)."""

    query: str
    terms: list[str]
    results: list[Result]
    next_cursor: str | None
    total: int
    total_capped: bool = False


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
        raise ValidationFailed(fields={"q": _("Saisissez un ou plusieurs mots à rechercher.")})
    if len(query) > MAX_QUERY_LENGTH:
        raise ValidationFailed(
            fields={
                "q": _("La recherche est limitée à %(n)s caractères.", n=number(MAX_QUERY_LENGTH))
            }
        )
    filters = _filters(consultation, status, kind)
    after: tuple[int, int] | None = None
    if cursor:
        decoded = cursors.decode(cursor, cursors.word("1", "0"), cursors.integer)
        after = (int(decoded[0]), decoded[1])
    terms = text.query_terms(query)
    if not terms:
        return SearchPage(query, [], [], None, 0)

    match = _Match(db.session.get_bind().dialect.name, text.query_words(query), terms)
    found: list[tuple[int, int]] = []  # (rank, document id)
    for rank in (TITLE, BODY):
        if after is not None and rank > after[0]:
            continue
        below = after[1] if after is not None and rank == after[0] else None
        wanted = limit + 1 - len(found)
        found += [(rank, i) for i in _newest(match, rank, filters, below, wanted, now)]
        if len(found) > limit:
            break
    shown = found[:limit]
    next_cursor = None
    if len(found) > limit:
        next_cursor = cursors.encode([str(shown[-1][0]), shown[-1][1]])
    if after is None and next_cursor is None:
        counted = len(found)  # the first page holds every match: nothing more to count
    else:
        hits = _matching(match, None, filters, now, documents)
        counted = db.session.execute(
            sa.select(sa.func.count()).select_from(
                sa.select(hits.c.id).limit(COUNT_CAP + 1).subquery()
            )
        ).scalar_one()
    results = _results(shown, set(terms), now)
    return SearchPage(
        query, terms, results, next_cursor, min(counted, COUNT_CAP), counted > COUNT_CAP
    )


@dataclass(frozen=True)
class _Filters:
    """The search's filters, checked; `conditions` applies them to the index or a window of it."""

    consultation_id: int | None = None
    status: Status | None = None
    kind: str | None = None

    def conditions(
        self, source: sa.FromClause, now: datetime
    ) -> list[sa.ColumnExpressionArgument[bool]]:
        conditions: list[sa.ColumnExpressionArgument[bool]] = []
        if self.consultation_id is not None:
            conditions.append(source.c.consultation_id == self.consultation_id)
        if self.status is not None:
            conditions.append(Consultation.has_status(self.status, now))
        if self.kind is not None:
            conditions.append(source.c.kind == self.kind)
        return conditions


def _filters(consultation: str | None, status: str | None, kind: str | None) -> _Filters:
    consultation_id = None
    if consultation:
        consultation_id = db.session.scalar(
            sa.select(Consultation.id).where(
                Consultation.slug == consultation, Consultation.published_at.is_not(None)
            )
        )
        if consultation_id is None:
            raise ValidationFailed(fields={"consultation": _("Consultation inconnue.")})
    if status and status not in STATUSES:
        raise ValidationFailed(
            fields={"status": _("Statut inconnu : %(values)s.", values=", ".join(STATUSES))}
        )
    if kind and kind not in KINDS:
        raise ValidationFailed(
            fields={"kind": _("Type inconnu : %(values)s.", values=", ".join(KINDS))}
        )
    return _Filters(consultation_id, Status(status) if status else None, kind or None)


def _newest(
    match: _Match, rank: int, filters: _Filters, below: int | None, wanted: int, now: datetime
) -> list[int]:
    """The ids of the `wanted` newest index rows of `rank` below the id `below` (if any).

    On PostgreSQL, the WINDOW newest rows are tried first, walking the primary key (a page of
    a common pair of words is found there); what the window lacks comes from the GIN index, as
    a materialised set (a rare pair), so that neither case reads the whole table."""
    if not match.postgresql:
        return _ordered(_matching(match, rank, filters, now, documents), below, wanted)
    newest = sa.select(documents).order_by(documents.c.id.desc()).limit(WINDOW)
    if below is not None:
        newest = newest.where(documents.c.id < below)
    window = newest.subquery("window")
    found = _ordered(_matching(match, rank, filters, now, window), None, wanted)
    if len(found) == wanted:
        return found
    floor = db.session.scalar(sa.select(sa.func.min(window.c.id)))
    if floor is None:  # nothing below `below`
        return found
    hits = _matching(match, rank, filters, now, documents).prefix_with("MATERIALIZED")
    return found + _ordered(hits, floor, wanted - len(found))


def _ordered(hits: sa.CTE, below: int | None, wanted: int) -> list[int]:
    statement = sa.select(hits.c.id)
    if below is not None:
        statement = statement.where(hits.c.id < below)
    return list(db.session.scalars(statement.order_by(hits.c.id.desc()).limit(wanted)))


def _matching(
    match: _Match, rank: int | None, filters: _Filters, now: datetime, source: sa.FromClause
) -> sa.CTE:
    """The rows of `source` (the index or a window of it) that match — every word anywhere
    when `rank` is None — and meet the filters, as a common table expression with `id`."""
    condition = match.every(source) if rank is None else match.rank(rank, source)
    return (
        sa.select(source.c.id)
        .join(Consultation, Consultation.id == source.c.consultation_id)
        .where(condition, Consultation.published_at.is_not(None), *filters.conditions(source, now))
        .cte("hits")
    )


class _Match:
    """The full-text conditions of one query on one database, on the index or a window of it."""

    def __init__(self, dialect: str, words: list[str], terms: list[str]) -> None:
        self.postgresql = dialect == "postgresql"
        if self.postgresql:
            # The words that count (`text.query_words`), stemmed by PostgreSQL as its index is.
            self.tsquery = sa.func.plainto_tsquery(
                sa.literal_column("'french'::regconfig"), sa.func.unaccent(" ".join(words))
            )
        else:
            # Each term quoted: nothing typed is read as FTS5 syntax.
            self.terms = "(" + " ".join(f'"{term}"' for term in terms) + ")"

    def every(self, source: sa.FromClause) -> sa.ColumnElement[bool]:
        """Every word found, anywhere."""
        if self.postgresql:
            return source.c.tsv.bool_op("@@")(self.tsquery)
        return self._fts(source, self.terms)

    def rank(self, rank: int, source: sa.FromClause) -> sa.ColumnElement[bool]:
        """Every word in the title (TITLE), or every word found but not all in the title."""
        if self.postgresql:
            in_title = source.c.title_tsv.bool_op("@@")(self.tsquery)
            return in_title if rank == TITLE else sa.and_(self.every(source), sa.not_(in_title))
        title_query = "{title_terms} : " + self.terms
        return self._fts(
            source, title_query if rank == TITLE else f"{self.terms} NOT {title_query}"
        )

    @staticmethod
    def _fts(source: sa.FromClause, expression: str) -> sa.ColumnElement[bool]:
        return source.c.id.in_(
            sa.select(FTS.c.rowid).where(FTS.c.search_fts.bool_op("MATCH")(expression))
        )


FTS = sa.table("search_fts", sa.column("rowid"), sa.column("search_fts"))


def _results(found: list[tuple[int, int]], wanted: set[str], now: datetime) -> list[Result]:
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
            .outerjoin(Contribution, Contribution.id == documents.c.contribution_id)
            .where(
                documents.c.id.in_([document_id for _rank, document_id in found]),
                # The index holds public items only; the source tables say so again before
                # anything is cut from the indexed text.
                Consultation.published_at.is_not(None),
                sa.or_(documents.c.contribution_id.is_(None), Contribution.is_public),
            )
        )
    }
    results = []
    for rank, document_id in found:
        row = rows.get(document_id)
        if row is None:
            continue
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
                title_match=rank == TITLE,
            )
        )
    return results


def _status(row: sa.Row[Any], now: datetime) -> Status:
    probe = Consultation(
        published_at=row.published_at,
        opens_at=row.opens_at,
        closes_at=row.closes_at,
        synthesis_published_at=row.synthesis_published_at,
    )
    return probe.status_at(now)
