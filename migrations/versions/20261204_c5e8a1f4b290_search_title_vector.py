"""The search index's title vector (PostgreSQL): search_documents.title_tsv, GIN-indexed.

Results come first when every word of the query is in their title. On PostgreSQL the weights
of `tsv` are not in its GIN index, so telling a title match apart would read every matching
row; `title_tsv` (`to_tsvector('french', unaccent(title))`) under its own GIN index makes it a
look-up. SQLite reads the same from the full-text table's `title_terms` column: the column
stays empty there.

Revision ID: c5e8a1f4b290
Revises: 7c1e4a9b3d52
Create Date: 2026-12-04 19:40:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = "c5e8a1f4b290"
down_revision = "7c1e4a9b3d52"
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN: batch mode would rebuild the table on SQLite and drop its triggers.
    op.add_column(
        "search_documents",
        sa.Column(
            "title_tsv", sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql"), nullable=True
        ),
    )
    op.create_index(
        "ix_search_documents_title_tsv",
        "search_documents",
        ["title_tsv"],
        postgresql_using="gin",
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "UPDATE search_documents SET title_tsv = "
            "to_tsvector('french'::regconfig, unaccent(title))"
        )


def downgrade():
    op.drop_index("ix_search_documents_title_tsv", table_name="search_documents")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite 3.35+ drops a column in place (no table rebuild, the triggers stay).
        op.execute("ALTER TABLE search_documents DROP COLUMN title_tsv")
    else:
        op.drop_column("search_documents", "title_tsv")
