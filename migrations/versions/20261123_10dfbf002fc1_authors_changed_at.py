"""When an author of a consultation's contributions last changed their public name or profile
(the open-data exports' version follows it).

Revision ID: 10dfbf002fc1
Revises: e247a97b20ed
Create Date: 2026-11-23 15:49:27.153586

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "10dfbf002fc1"
down_revision = "e247a97b20ed"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("authors_changed_at", sa.DateTime(timezone=True)))


def downgrade():
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.drop_column("authors_changed_at")
