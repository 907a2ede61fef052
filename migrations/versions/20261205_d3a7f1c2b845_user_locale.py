"""The language of each user's e-mails (user_locale).

E-mails are written in the recipient's language: `users.locale` is set from the interface's
language at registration and when a signed-in person switches language. Existing accounts
registered with the French interface, the only one there was: "fr".

Revision ID: d3a7f1c2b845
Revises: c5e8a1f4b290
Create Date: 2026-12-05 10:00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d3a7f1c2b845"
down_revision = "c5e8a1f4b290"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("locale", sa.String(length=8), server_default="fr", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("locale")
