"""Position papers (contribution_papers).

A contribution may carry one PDF written by its author (an organisation's position paper):
its stored file (key in the storage), cleaned name, size, SHA-256, the text read from its
first pages (for the search and the synthesis) and when it was uploaded. At most one per
contribution; removed with it.

Revision ID: a4c1e7d90b52
Revises: dfa2bd560640
Create Date: 2026-12-07 09:00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a4c1e7d90b52"
down_revision = "dfa2bd560640"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "contribution_papers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contribution_id", sa.Integer(), nullable=False),
        sa.Column("file_key", sa.String(length=200), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("size > 0", name=op.f("ck_contribution_papers_size_positive")),
        sa.ForeignKeyConstraint(
            ["contribution_id"],
            ["contributions.id"],
            name=op.f("fk_contribution_papers_contribution_id_contributions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contribution_papers")),
        sa.UniqueConstraint("contribution_id", name=op.f("uq_contribution_papers_contribution_id")),
    )


def downgrade():
    op.drop_table("contribution_papers")
