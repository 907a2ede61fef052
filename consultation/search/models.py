"""The search index: one row per published consultation and per public contribution.

A row exists only while the public may read what it indexes (`search.indexer` keeps that in
the transaction of every change): a draft, a withdrawn or a hidden contribution has none.
`title` and `body` are the indexed texts as written (the extracts are cut from them).

- SQLite: `title_terms` and `body_terms` hold the folded, stemmed terms (`search.text`); an
  FTS5 table `search_fts` indexes them as external content (`content='search_documents'`),
  kept in step by triggers on this table.
- PostgreSQL: `tsv` holds `to_tsvector('french', unaccent(…))` of the title (weight A) and
  the body (weight B), `title_tsv` that of the title alone, each under a GIN index; the
  `unaccent` extension is required.

The migrations (20261204_a41c9e2d7f63_search, 20261204_c5e8a1f4b290_search_title_vector) hold a copy of the DDL below: a migration never
imports the application. For `create_all` (tests) the DDL events below create the same.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column

from consultation.core.db import UTCDateTime, utcnow
from consultation.extensions import Model, db

CONSULTATION = "consultation"  # `kind` of a consultation's row; a contribution's is its kind
TSVECTOR = sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql")


class SearchDocument(Model):
    """What the search finds of one consultation or one contribution."""

    __tablename__ = "search_documents"
    __table_args__ = (
        sa.Index(
            "ix_search_documents_consultation_row",
            "consultation_id",
            unique=True,
            sqlite_where=sa.text("contribution_id IS NULL"),
            postgresql_where=sa.text("contribution_id IS NULL"),
        ),
        sa.Index("ix_search_documents_tsv", "tsv", postgresql_using="gin"),
        sa.Index("ix_search_documents_title_tsv", "title_tsv", postgresql_using="gin"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    contribution_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("contributions.id", ondelete="CASCADE"), unique=True
    )
    kind: Mapped[str] = mapped_column(sa.String(20))
    title: Mapped[str] = mapped_column(sa.Text, default="")
    body: Mapped[str] = mapped_column(sa.Text, default="")
    title_terms: Mapped[str | None] = mapped_column(sa.Text)
    body_terms: Mapped[str | None] = mapped_column(sa.Text)
    tsv = mapped_column(TSVECTOR, nullable=True)
    # PostgreSQL: the title's own vector, so that "every word in the title" is an index look-up.
    title_tsv = mapped_column(TSVECTOR, nullable=True)
    indexed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# --- Full-text structures beyond the table ---------------------------------------------------

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title_terms, body_terms, "
    "content='search_documents', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_documents_fts_insert AFTER INSERT ON search_documents BEGIN "
    "INSERT INTO search_fts(rowid, title_terms, body_terms) "
    "VALUES (new.id, new.title_terms, new.body_terms); END",
    "CREATE TRIGGER search_documents_fts_delete AFTER DELETE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms) "
    "VALUES ('delete', old.id, old.title_terms, old.body_terms); END",
    "CREATE TRIGGER search_documents_fts_update AFTER UPDATE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms) "
    "VALUES ('delete', old.id, old.title_terms, old.body_terms); "
    "INSERT INTO search_fts(rowid, title_terms, body_terms) "
    "VALUES (new.id, new.title_terms, new.body_terms); END",
]
SQLITE_FTS_DROP = "DROP TABLE IF EXISTS search_fts"
POSTGRESQL_EXTENSION = "CREATE EXTENSION IF NOT EXISTS unaccent"


def is_index_structure(name: str) -> bool:
    """Whether a table is the SQLite full-text table or one of its shadow tables, which the
    models do not declare (for schema comparisons)."""
    return name == "search_fts" or name.startswith("search_fts_")


def declared_by_the_models(name, type_, _parent_names) -> bool:
    """Alembic's `include_name`: compare every table but the SQLite full-text structures."""
    return not (type_ == "table" and is_index_structure(name))


def _install_ddl() -> None:
    table = SearchDocument.__table__
    sa.event.listen(
        db.metadata,
        "before_create",
        sa.DDL(POSTGRESQL_EXTENSION).execute_if(dialect="postgresql"),
    )
    for statement in SQLITE_FTS:
        sa.event.listen(table, "after_create", sa.DDL(statement).execute_if(dialect="sqlite"))
    sa.event.listen(table, "before_drop", sa.DDL(SQLITE_FTS_DROP).execute_if(dialect="sqlite"))


_install_ddl()
