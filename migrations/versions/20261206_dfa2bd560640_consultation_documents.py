"""The consultation's documents (consultation_documents).

Each row is one version of one document attached to a consultation's text (exposé des
motifs, étude d'impact, avis, annexe): its title, kind, articles, stored file (key in the
storage), size, SHA-256, and for an erratum the version it replaces and its note.

Revision ID: dfa2bd560640
Revises: 6f2b9d41c8e3
Create Date: 2026-12-06 10:00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "dfa2bd560640"
down_revision = "6f2b9d41c8e3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "consultation_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "explanatory_memorandum",
                "impact_study",
                "opinion",
                "annex",
                "other",
                name="documentkind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("articles", sa.JSON(), nullable=False),
        sa.Column("file_key", sa.String(length=200), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hidden_reason", sa.Text(), nullable=True),
        sa.CheckConstraint("size > 0", name=op.f("ck_consultation_documents_size_positive")),
        sa.CheckConstraint("version >= 1", name=op.f("ck_consultation_documents_version_positive")),
        sa.ForeignKeyConstraint(
            ["added_by_id"],
            ["users.id"],
            name=op.f("fk_consultation_documents_added_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_consultation_documents_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["replaces_id"],
            ["consultation_documents.id"],
            name=op.f("fk_consultation_documents_replaces_id_consultation_documents"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_documents")),
        sa.UniqueConstraint(
            "consultation_id",
            "number",
            "version",
            name=op.f("uq_consultation_documents_consultation_id_number_version"),
        ),
    )
    with op.batch_alter_table("consultation_documents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consultation_documents_consultation_id"),
            ["consultation_id"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("consultation_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultation_documents_consultation_id"))

    op.drop_table("consultation_documents")
