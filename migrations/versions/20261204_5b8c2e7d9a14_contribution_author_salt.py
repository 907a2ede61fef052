"""The salt of the record's commitment to each contribution's author (contributions.author_salt).

The record commits to a contribution's public author as a salted digest, the salt being
published beside the author in the export and drawn anew at each change of the author's public
name: an erased name cannot be confirmed from the record once its salt is gone. Contributions
made before this revision have none (their records carry no author).

Revision ID: 5b8c2e7d9a14
Revises: 10dfbf002fc1
Create Date: 2026-12-04 18:30:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5b8c2e7d9a14"
down_revision = "10dfbf002fc1"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("author_salt", sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.drop_column("author_salt")
