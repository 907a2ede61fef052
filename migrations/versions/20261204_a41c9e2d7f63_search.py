"""The search index (search_documents), its full-text structures, and its first filling.

One row per published consultation (title; summary, notice and text) and per public
contribution of a published consultation (title; body and proposed wording). SQLite: the
folded, stemmed terms in `title_terms`/`body_terms`, indexed by the FTS5 table `search_fts`
(external content) kept in step by triggers. PostgreSQL: a weighted `tsvector` over
`to_tsvector('french', unaccent(…))` under a GIN index; the `unaccent` extension is created.

The filling below is a copy of `consultation.search.indexer` and `consultation.search.text`
(a migration never imports the application); `flask search reindex` rebuilds the index with
the application's own code. SQLite rebuilds a table to alter it (batch mode), which drops its
triggers: a migration that alters `search_documents` must create them again.

Revision ID: a41c9e2d7f63
Revises: 5b8c2e7d9a14
Create Date: 2026-12-04 19:15:00
"""

import re
import unicodedata

import snowballstemmer
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
from stop_words import get_stop_words

# revision identifiers, used by Alembic.
revision = "a41c9e2d7f63"
down_revision = "5b8c2e7d9a14"
branch_labels = None
depends_on = None

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
NOTICE_COLUMNS = ("object", "organiser", "legal_reference", "explanatory_note", "entry_into_force")
WORD = re.compile(r"[^\W_]+")
TSVECTOR = (
    "setweight(to_tsvector('french'::regconfig, unaccent(:title)), 'A') || "
    "setweight(to_tsvector('french'::regconfig, unaccent(:body)), 'B')"
)


def upgrade():
    bind = op.get_bind()
    dialect = bind.dialect.name
    if dialect == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.create_table(
        "search_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("contribution_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("title_terms", sa.Text(), nullable=True),
        sa.Column("body_terms", sa.Text(), nullable=True),
        sa.Column(
            "tsv", sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql"), nullable=True
        ),
        sa.Column("indexed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_search_documents_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contribution_id"],
            ["contributions.id"],
            name=op.f("fk_search_documents_contribution_id_contributions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_documents")),
        sa.UniqueConstraint("contribution_id", name=op.f("uq_search_documents_contribution_id")),
    )
    op.create_index(
        op.f("ix_search_documents_consultation_id"), "search_documents", ["consultation_id"]
    )
    op.create_index(
        "ix_search_documents_consultation_row",
        "search_documents",
        ["consultation_id"],
        unique=True,
        sqlite_where=sa.text("contribution_id IS NULL"),
        postgresql_where=sa.text("contribution_id IS NULL"),
    )
    op.create_index("ix_search_documents_tsv", "search_documents", ["tsv"], postgresql_using="gin")
    if dialect == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
    _fill(bind)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_index("ix_search_documents_tsv", table_name="search_documents")
    op.drop_index("ix_search_documents_consultation_row", table_name="search_documents")
    op.drop_index(op.f("ix_search_documents_consultation_id"), table_name="search_documents")
    op.drop_table("search_documents")


# --- First filling (a copy of consultation.search.indexer and .text) ------------------------


def _fill(bind) -> None:
    postgres = bind.dialect.name == "postgresql"
    stemmer = snowballstemmer.stemmer("french")
    stop = {_fold(word) for word in get_stop_words("french")}
    cache: dict[str, str | None] = {}

    def terms(text: str) -> str:
        out = []
        for word in WORD.findall(text or ""):
            if word not in cache:
                folded = _fold(word)
                cache[word] = (
                    None if len(folded) < 2 or folded in stop else stemmer.stemWord(folded)
                )
            if cache[word]:
                out.append(cache[word])
        return " ".join(out)

    def insert(consultation_id, contribution_id, kind, title, body) -> None:
        values = {
            "consultation_id": consultation_id,
            "contribution_id": contribution_id,
            "kind": kind,
            "title": title or "",
            "body": body or "",
        }
        if postgres:
            bind.execute(
                sa.text(
                    "INSERT INTO search_documents (consultation_id, contribution_id, kind, title, "
                    f"body, tsv, indexed_at) VALUES (:consultation_id, :contribution_id, :kind, "
                    f":title, :body, {TSVECTOR}, CURRENT_TIMESTAMP)"
                ),
                values,
            )
        else:
            bind.execute(
                sa.text(
                    "INSERT INTO search_documents (consultation_id, contribution_id, kind, title, "
                    "body, title_terms, body_terms, indexed_at) VALUES (:consultation_id, "
                    ":contribution_id, :kind, :title, :body, :title_terms, :body_terms, "
                    "CURRENT_TIMESTAMP)"
                ),
                values | {"title_terms": terms(title), "body_terms": terms(body)},
            )

    consultations = bind.execute(
        sa.text("SELECT id, title, summary FROM consultations WHERE published_at IS NOT NULL")
    ).all()
    for consultation in consultations:
        insert(consultation.id, None, "consultation", consultation.title, _body(bind, consultation))
    contributions = bind.execute(
        sa.text(
            "SELECT k.id, k.consultation_id, k.kind, k.title, k.body, k.proposed_text "
            "FROM contributions k JOIN consultations c ON c.id = k.consultation_id "
            "WHERE c.published_at IS NOT NULL AND k.withdrawn_at IS NULL "
            "AND k.hidden_at IS NULL ORDER BY k.id"
        )
    ).all()
    for row in contributions:
        body = "\n\n".join(part for part in (row.body, row.proposed_text) if part)
        insert(row.consultation_id, row.id, row.kind, row.title, body)


def _body(bind, consultation) -> str:
    parts = [consultation.summary]
    notice = bind.execute(
        sa.text(f"SELECT {', '.join(NOTICE_COLUMNS)} FROM notices WHERE consultation_id = :id"),
        {"id": consultation.id},
    ).one_or_none()
    if notice is not None:
        parts.extend(notice)
    version = bind.execute(
        sa.text(
            "SELECT id, title FROM text_versions WHERE consultation_id = :id "
            "ORDER BY number DESC LIMIT 1"
        ),
        {"id": consultation.id},
    ).one_or_none()
    if version is not None:
        parts.append(version.title)
        for label, title in bind.execute(
            sa.text("SELECT label, title FROM divisions WHERE version_id = :v ORDER BY position"),
            {"v": version.id},
        ):
            parts.append(f"{label} {title}")
        paragraphs: dict[int, list[str]] = {}
        for article_id, text in bind.execute(
            sa.text(
                "SELECT p.article_id, p.text FROM paragraphs p JOIN articles a "
                "ON a.id = p.article_id WHERE a.version_id = :v ORDER BY a.position, p.number"
            ),
            {"v": version.id},
        ):
            paragraphs.setdefault(article_id, []).append(text)
        for article_id, label, title in bind.execute(
            sa.text(
                "SELECT id, label, title FROM articles WHERE version_id = :v ORDER BY position"
            ),
            {"v": version.id},
        ):
            parts.append(" ".join(p for p in (label, title) if p))
            parts.extend(paragraphs.get(article_id, []))
    return "\n\n".join(part for part in parts if part)


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
