"""Appeals against the hiding of a contribution (appeals).

The e-mail telling an author that moderation hid their contribution links to an appeal form;
an appeal waits in the moderators' queue until they restore the contribution or reject it. One
appeal per hiding: unique on (contribution_id, hidden_at).

Revision ID: 7c1e4a9b3d52
Revises: a41c9e2d7f63
Create Date: 2026-12-04 19:20:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7c1e4a9b3d52"
down_revision = "a41c9e2d7f63"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "appeals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contribution_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_appeals_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["contribution_id"],
            ["contributions.id"],
            name=op.f("fk_appeals_contribution_id_contributions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appeals")),
        sa.UniqueConstraint(
            "contribution_id", "hidden_at", name=op.f("uq_appeals_contribution_id_hidden_at")
        ),
    )
    with op.batch_alter_table("appeals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appeals_author_id"), ["author_id"], unique=False)


def downgrade():
    with op.batch_alter_table("appeals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appeals_author_id"))
    op.drop_table("appeals")
