"""When a person last undid an excerpt decision of a theme in the synthesis review.

Undoing a pinned or dropped excerpt removes the decision's row; the theme keeps when it
happened, so that the editor can say the review changed since the last draft.

Revision ID: 3e8d1f5a7c20
Revises: 6b2f0c9e41d7
Create Date: 2026-12-09 08:30:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3e8d1f5a7c20"
down_revision = "6b2f0c9e41d7"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("review_themes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("excerpt_undone_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade():
    with op.batch_alter_table("review_themes", schema=None) as batch_op:
        batch_op.drop_column("excerpt_undone_at")
