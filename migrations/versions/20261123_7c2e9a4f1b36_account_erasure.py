"""Account erasure: users.erased_at marks an account deleted at its owner's request (the row
stays, anonymised, so that counts and published contributions do not change).

Revision ID: 7c2e9a4f1b36
Revises: 5a0c3e7d9b21
Create Date: 2026-11-23 10:21:41.701400

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c2e9a4f1b36'
down_revision = '5a0c3e7d9b21'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('erased_at')

