"""Participant profile: individual or organisation, with the organisation's category, name and
HATVP number. Existing accounts become individuals.

Revision ID: d3a383e2fef5
Revises: 61a92afc76e5
Create Date: 2026-11-23 02:29:23.742846

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd3a383e2fef5'
down_revision = '61a92afc76e5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('profile_type', sa.Enum('individual', 'organisation', name='profiletype', native_enum=False, create_constraint=True, length=20), server_default='individual', nullable=False))
        batch_op.add_column(sa.Column('organisation_category', sa.Enum('association', 'company', 'union', 'public_body', 'academic', 'other', name='organisationcategory', native_enum=False, create_constraint=True, length=20), nullable=True))
        batch_op.add_column(sa.Column('organisation_name', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('hatvp_number', sa.String(length=20), server_default='', nullable=False))
        batch_op.create_check_constraint(
            op.f('ck_users_organisation_is_described'),
            "profile_type = 'individual' OR (organisation_category IS NOT NULL AND organisation_name <> '')",
        )



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_users_organisation_is_described'), type_='check')
        batch_op.drop_constraint(op.f('ck_users_organisationcategory'), type_='check')
        batch_op.drop_constraint(op.f('ck_users_profiletype'), type_='check')
        batch_op.drop_column('hatvp_number')
        batch_op.drop_column('organisation_name')
        batch_op.drop_column('organisation_category')
        batch_op.drop_column('profile_type')

