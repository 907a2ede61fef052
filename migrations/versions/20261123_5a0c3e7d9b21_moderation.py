"""Moderation: reports, the decisions' journal, participation blocks, and on contributions
the hidden state, the duplicate link and the count of open reports (the queue's order).

Revision ID: 5a0c3e7d9b21
Revises: 8f1e4b6a2d93
Create Date: 2026-11-23 09:37:06.681039

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a0c3e7d9b21'
down_revision = '8f1e4b6a2d93'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('participation_blocks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Enum('insult', 'spam', 'off_topic', 'personal_data', 'illegal', 'other', name='moderationreason', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lifted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lifted_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_participation_blocks_created_by_id_users')),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_participation_blocks_institution_id_institutions')),
    sa.ForeignKeyConstraint(['lifted_by_id'], ['users.id'], name=op.f('fk_participation_blocks_lifted_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_participation_blocks_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participation_blocks'))
    )
    with op.batch_alter_table('participation_blocks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participation_blocks_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index('ix_participation_blocks_user_institution', ['user_id', 'institution_id'], unique=False)

    op.create_table('moderation_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=True),
    sa.Column('contribution_id', sa.Integer(), nullable=True),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('moderator_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.Enum('hide', 'restore', 'dismiss', 'duplicate', 'block', 'unblock', name='moderationaction', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('reason', sa.Enum('insult', 'spam', 'off_topic', 'personal_data', 'illegal', 'other', name='moderationreason', native_enum=False, create_constraint=True, length=20), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('duplicate_of_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_moderation_decisions_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contribution_id'], ['contributions.id'], name=op.f('fk_moderation_decisions_contribution_id_contributions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['duplicate_of_id'], ['contributions.id'], name=op.f('fk_moderation_decisions_duplicate_of_id_contributions')),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_moderation_decisions_institution_id_institutions')),
    sa.ForeignKeyConstraint(['moderator_id'], ['users.id'], name=op.f('fk_moderation_decisions_moderator_id_users')),
    sa.ForeignKeyConstraint(['subject_id'], ['users.id'], name=op.f('fk_moderation_decisions_subject_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_decisions'))
    )
    with op.batch_alter_table('moderation_decisions', schema=None) as batch_op:
        batch_op.create_index('ix_moderation_decisions_consultation_action', ['consultation_id', 'action'], unique=False)
        batch_op.create_index(batch_op.f('ix_moderation_decisions_contribution_id'), ['contribution_id'], unique=False)
        batch_op.create_index('ix_moderation_decisions_institution_id_id', ['institution_id', 'id'], unique=False)

    op.create_table('reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contribution_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Enum('insult', 'spam', 'off_topic', 'personal_data', 'illegal', 'other', name='moderationreason', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolution', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['contribution_id'], ['contributions.id'], name=op.f('fk_reports_contribution_id_contributions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_reports_reporter_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reports')),
    sa.UniqueConstraint('contribution_id', 'reporter_id', name=op.f('uq_reports_contribution_id_reporter_id'))
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reports_reporter_id'), ['reporter_id'], unique=False)

    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('hidden_reason', sa.Enum('insult', 'spam', 'off_topic', 'personal_data', 'illegal', 'other', name='moderationreason', native_enum=False, create_constraint=True, length=20), nullable=True))
        batch_op.add_column(sa.Column('duplicate_of_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reports_open', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_index('ix_contributions_reports', ['reports_open', 'id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_contributions_duplicate_of_id_contributions'), 'contributions', ['duplicate_of_id'], ['id'])



def downgrade():
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_contributions_duplicate_of_id_contributions'), type_='foreignkey')
        batch_op.drop_index('ix_contributions_reports')
        batch_op.drop_column('reports_open')
        batch_op.drop_column('duplicate_of_id')
        batch_op.drop_constraint(op.f('ck_contributions_moderationreason'), type_='check')
        batch_op.drop_column('hidden_reason')
        batch_op.drop_column('hidden_at')

    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reports_reporter_id'))

    op.drop_table('reports')
    with op.batch_alter_table('moderation_decisions', schema=None) as batch_op:
        batch_op.drop_index('ix_moderation_decisions_institution_id_id')
        batch_op.drop_index(batch_op.f('ix_moderation_decisions_contribution_id'))
        batch_op.drop_index('ix_moderation_decisions_consultation_action')

    op.drop_table('moderation_decisions')
    with op.batch_alter_table('participation_blocks', schema=None) as batch_op:
        batch_op.drop_index('ix_participation_blocks_user_institution')
        batch_op.drop_index(batch_op.f('ix_participation_blocks_institution_id'))

    op.drop_table('participation_blocks')
