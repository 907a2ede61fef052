"""The theme a person split a review theme off (review_theme_split_from).

`review_themes.split_from_id` names the theme a person split a theme off, so that a later draft
keeps the theme split as a person's decision and shows where the new one came from. Themes
split before have no record of their origin: null.

Revision ID: 6f2b9d41c8e3
Revises: 8dd6e39de4dd
Create Date: 2026-12-05 16:00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "6f2b9d41c8e3"
down_revision = "8dd6e39de4dd"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("review_themes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("split_from_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_review_themes_split_from_id_review_themes"),
            "review_themes",
            ["split_from_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("review_themes", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_review_themes_split_from_id_review_themes"), type_="foreignkey"
        )
        batch_op.drop_column("split_from_id")
