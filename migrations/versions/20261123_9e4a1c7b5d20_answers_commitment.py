"""The notice's commitment to answer the N most supported contributions.

Revision ID: 9e4a1c7b5d20
Revises: 3d8b6f0e2a57
Create Date: 2026-11-23 11:25:40.223257

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9e4a1c7b5d20'
down_revision = '3d8b6f0e2a57'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answers_committed', sa.Integer(), nullable=True))



def downgrade():
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_column('answers_committed')

