"""Keeps the search index in step with what the public may read, in the same transaction.

One listener on every session's `after_flush` looks at what the flush wrote: a contribution
submitted, edited, withdrawn, hidden or restored; a consultation published or changed (its
title, summary, notice, text). It then rewrites the affected rows of `search_documents` with
SQL on the flush's own connection, so the index commits or rolls back with the change: the
domains know nothing of search, and no code path that goes through the ORM can forget it.

A contribution is indexed while it is public (neither withdrawn nor hidden) in a published
consultation; a consultation once published. Anything else has no row. Bulk SQL updates of
these columns would bypass the listener: none exists (the search query also re-checks
visibility against the source tables, see `search.services`).
"""

from __future__ import annotations

import logging
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import Session

from consultation.consultations.models import Consultation, Notice
from consultation.participation.models import Contribution, ContributionPaper
from consultation.search import text
from consultation.search.models import CONSULTATION, SearchDocument
from consultation.texts.models import Article, Division, Paragraph, TextVersion

logger = logging.getLogger(__name__)

CONTRIBUTION_COLUMNS = ("title", "body", "proposed_text", "withdrawn_at", "hidden_at", "kind")
CONSULTATION_COLUMNS = ("title", "summary", "published_at")
NOTICE_COLUMNS = ("object", "organiser", "legal_reference", "explanatory_note", "entry_into_force")
ARTICLE_COLUMNS = ("label", "title", "number")
DIVISION_COLUMNS = ("label", "title")
# A declarative model's __table__ is its Table (typed as any FromClause).
documents = cast(sa.Table, SearchDocument.__table__)


def install() -> None:
    """Listen to every session's flushes (once)."""
    if not sa.event.contains(Session, "after_flush", _after_flush):
        sa.event.listen(Session, "after_flush", _after_flush)


# Columns whose change re-indexes the consultation or contribution a row belongs to.
WATCHED: dict[type, tuple[str, ...]] = {
    Contribution: CONTRIBUTION_COLUMNS,
    ContributionPaper: ("text",),
    Consultation: CONSULTATION_COLUMNS,
    Notice: NOTICE_COLUMNS,
    TextVersion: ("title",),
    Article: ARTICLE_COLUMNS,
    Division: DIVISION_COLUMNS,
    Paragraph: ("text",),
}


def _changed(instance: object) -> bool:
    columns = WATCHED.get(type(instance), ())
    state = sa.inspect(instance)
    return any(state.attrs[name].history.has_changes() for name in columns)


def _target(instance: object) -> tuple[str, int | None] | None:
    """What a written row re-indexes: a contribution, a consultation, or the consultation of
    a text version or an article."""
    if isinstance(instance, Contribution):
        return "contribution", instance.id
    if isinstance(instance, ContributionPaper):
        return "contribution", instance.contribution_id
    if isinstance(instance, Consultation):
        return "consultation", instance.id
    if isinstance(instance, Notice | TextVersion):
        return "consultation", instance.consultation_id
    if isinstance(instance, Article | Division):
        return "version", instance.version_id
    if isinstance(instance, Paragraph):
        return "article", instance.article_id
    return None


def _after_flush(session: Session, _context: Any) -> None:
    touched: dict[str, set[int]] = {
        "contribution": set(),
        "consultation": set(),
        "version": set(),
        "article": set(),
    }
    written = [*session.new, *session.deleted, *(i for i in session.dirty if _changed(i))]
    for instance in written:
        target = _target(instance)
        if target is not None and target[1] is not None:
            touched[target[0]].add(target[1])
    if not any(touched.values()):
        return
    connection = session.connection()
    consultations = touched["consultation"] | _consultations_of(
        connection, touched["article"], touched["version"]
    )
    for consultation_id in sorted(consultations):
        index_consultation(connection, consultation_id)
    for contribution_id in sorted(touched["contribution"]):
        index_contribution(connection, contribution_id)


def _consultations_of(
    connection: sa.Connection, articles: set[int], versions: set[int]
) -> set[int]:
    if articles:
        rows = connection.execute(
            sa.select(Article.version_id).where(Article.id.in_(articles)).distinct()
        )
        versions = versions | set(rows.scalars())
    if not versions:
        return set()
    rows = connection.execute(
        sa.select(TextVersion.consultation_id).where(TextVersion.id.in_(versions)).distinct()
    )
    return set(rows.scalars())


# --- Rows ------------------------------------------------------------------------------------


def index_contribution(connection: sa.Connection, contribution_id: int) -> None:
    """Write (or remove) the row of one contribution, as the public may now read it."""
    connection.execute(documents.delete().where(documents.c.contribution_id == contribution_id))
    row = connection.execute(
        sa.select(
            Contribution.consultation_id,
            Contribution.kind,
            Contribution.title,
            Contribution.body,
            Contribution.proposed_text,
            ContributionPaper.text.label("paper_text"),
        )
        .join(Consultation, Consultation.id == Contribution.consultation_id)
        .outerjoin(ContributionPaper, ContributionPaper.contribution_id == Contribution.id)
        .where(
            Contribution.id == contribution_id,
            Contribution.is_public,
            Consultation.published_at.is_not(None),
        )
    ).one_or_none()
    if row is None:
        return
    body = "\n\n".join(part for part in (row.body, row.proposed_text, row.paper_text) if part)
    _insert(connection, row.consultation_id, contribution_id, row.kind.value, row.title, body)


def index_consultation(connection: sa.Connection, consultation_id: int) -> None:
    """Write (or remove) the row of one consultation: its title, summary, notice and the
    current version of its text, once published."""
    connection.execute(
        documents.delete().where(
            documents.c.consultation_id == consultation_id, documents.c.contribution_id.is_(None)
        )
    )
    row = connection.execute(
        sa.select(Consultation.title, Consultation.summary).where(
            Consultation.id == consultation_id, Consultation.published_at.is_not(None)
        )
    ).one_or_none()
    if row is None:
        return
    body = consultation_body(connection, consultation_id, row.summary)
    _insert(connection, consultation_id, None, CONSULTATION, row.title, body)


def consultation_body(connection: sa.Connection, consultation_id: int, summary: str) -> str:
    """The indexed text of a consultation besides its title: summary, notice, text."""
    parts = [summary]
    notice = connection.execute(
        sa.select(*(getattr(Notice, name) for name in NOTICE_COLUMNS)).where(
            Notice.consultation_id == consultation_id
        )
    ).one_or_none()
    if notice is not None:
        parts.extend(notice)
    version = connection.execute(
        sa.select(TextVersion.id, TextVersion.title)
        .where(TextVersion.consultation_id == consultation_id)
        .order_by(TextVersion.number.desc())
        .limit(1)
    ).one_or_none()
    if version is not None:
        parts.append(version.title)
        parts.extend(
            f"{label} {title}"
            for label, title in connection.execute(
                sa.select(Division.label, Division.title)
                .where(Division.version_id == version.id)
                .order_by(Division.position)
            )
        )
        paragraphs: dict[int, list[str]] = {}
        for article_id, paragraph in connection.execute(
            sa.select(Paragraph.article_id, Paragraph.text)
            .join(Article, Article.id == Paragraph.article_id)
            .where(Article.version_id == version.id)
            .order_by(Article.position, Paragraph.number)
        ):
            paragraphs.setdefault(article_id, []).append(paragraph)
        for article_id, label, title in connection.execute(
            sa.select(Article.id, Article.label, Article.title)
            .where(Article.version_id == version.id)
            .order_by(Article.position)
        ):
            parts.append(" ".join(p for p in (label, title) if p))
            parts.extend(paragraphs.get(article_id, []))
    return "\n\n".join(part for part in parts if part)


def document_values(
    dialect: str,
    consultation_id: int,
    contribution_id: int | None,
    kind: str,
    title: str,
    body: str,
) -> dict[str, Any]:
    """The values of one row: the terms on SQLite, the weighted tsvector on PostgreSQL."""
    values: dict[str, Any] = {
        "consultation_id": consultation_id,
        "contribution_id": contribution_id,
        "kind": kind,
        "title": title or "",
        "body": body or "",
    }
    if dialect == "postgresql":
        values["tsv"] = tsvector(sa.bindparam("t", title or ""), sa.bindparam("b", body or ""))
        values["title_tsv"] = title_vector(sa.bindparam("t", title or ""))
    else:
        values["title_terms"] = text.index_text(title or "")
        values["body_terms"] = text.index_text(body or "")
    return values


def title_vector(title: sa.ColumnExpressionArgument[str]) -> sa.ColumnElement[Any]:
    """PostgreSQL: the vector of a title alone."""
    return sa.func.to_tsvector(sa.literal_column("'french'::regconfig"), sa.func.unaccent(title))


def tsvector(
    title: sa.ColumnExpressionArgument[str], body: sa.ColumnExpressionArgument[str]
) -> sa.ColumnElement[Any]:
    """PostgreSQL: the weighted vector of a title (A) and a body (B)."""
    return sa.func.setweight(
        sa.func.to_tsvector(sa.literal_column("'french'::regconfig"), sa.func.unaccent(title)),
        sa.literal_column("'A'"),
    ).op("||")(
        sa.func.setweight(
            sa.func.to_tsvector(sa.literal_column("'french'::regconfig"), sa.func.unaccent(body)),
            sa.literal_column("'B'"),
        )
    )


def _insert(
    connection: sa.Connection,
    consultation_id: int,
    contribution_id: int | None,
    kind: str,
    title: str,
    body: str,
) -> None:
    dialect = connection.dialect.name
    values = document_values(dialect, consultation_id, contribution_id, kind, title, body)
    if dialect == "postgresql":
        connection.execute(documents.insert().values(**values), {"t": title or "", "b": body or ""})
    else:
        connection.execute(documents.insert().values(**values))


# --- Whole index -----------------------------------------------------------------------------


def rebuild(connection: sa.Connection, *, batch: int = 2000) -> int:
    """Empty the index and fill it again from the source tables; the number of rows written.
    For the command `flask search reindex` and the benchmark (the generator bulk-loads
    contributions without the ORM)."""
    connection.execute(documents.delete())
    published = connection.execute(
        sa.select(Consultation.id).where(Consultation.published_at.is_not(None))
    ).scalars()
    for consultation_id in list(published):
        index_consultation(connection, consultation_id)
    public = (
        sa.select(
            Contribution.id,
            Contribution.consultation_id,
            Contribution.kind,
            Contribution.title,
            Contribution.body,
            Contribution.proposed_text,
            ContributionPaper.text.label("paper_text"),
        )
        .join(Consultation, Consultation.id == Contribution.consultation_id)
        .outerjoin(ContributionPaper, ContributionPaper.contribution_id == Contribution.id)
        .where(Contribution.is_public, Consultation.published_at.is_not(None))
    )
    if connection.dialect.name == "postgresql":
        body_column = sa.func.concat_ws(
            "\n\n",
            Contribution.body,
            sa.func.nullif(Contribution.proposed_text, ""),
            sa.func.nullif(ContributionPaper.text, ""),
        )
        connection.execute(
            documents.insert().from_select(
                ["consultation_id", "contribution_id", "kind", "title", "body", "tsv", "title_tsv"],
                sa.select(
                    Contribution.consultation_id,
                    Contribution.id,
                    Contribution.kind,
                    Contribution.title,
                    body_column,
                    tsvector(Contribution.title, body_column),
                    title_vector(Contribution.title),
                )
                .join(Consultation, Consultation.id == Contribution.consultation_id)
                .outerjoin(ContributionPaper, ContributionPaper.contribution_id == Contribution.id)
                .where(Contribution.is_public, Consultation.published_at.is_not(None)),
            )
        )
    else:
        rows = connection.execution_options(yield_per=batch).execute(
            public.order_by(Contribution.id)
        )
        for chunk in rows.partitions():
            values = []
            for row in chunk:
                parts = (row.body, row.proposed_text, row.paper_text)
                body = "\n\n".join(part for part in parts if part)
                values.append(
                    document_values(
                        "sqlite", row.consultation_id, row.id, row.kind.value, row.title, body
                    )
                )
            connection.execute(documents.insert(), values)
    return connection.execute(sa.select(sa.func.count()).select_from(documents)).scalar_one()
