"""Contributions (argument, amendment, new article, source, comment), their revisions and the
votes on them (one per participant and contribution).

Revision ID: 19bcc086cdd3
Revises: d3a383e2fef5
Create Date: 2026-11-23 02:34:21.491661

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '19bcc086cdd3'
down_revision = 'd3a383e2fef5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contributions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=True),
    sa.Column('paragraph', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('argument', 'amendment', 'new_article', 'source', 'comment', name='contributionkind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('position', sa.Enum('for', 'against', name='position', native_enum=False, create_constraint=True, length=10), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('proposed_text', sa.Text(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('tracking_number', sa.String(length=20), nullable=False),
    sa.Column('offline_channel', sa.Enum('letter', 'email', 'register', name='offlinechannel', native_enum=False, create_constraint=True, length=10), nullable=True),
    sa.Column('offline_author', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind <> 'argument' OR position IS NOT NULL", name=op.f('ck_contributions_argument_has_position')),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_contributions_article_id_articles')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_contributions_author_id_users')),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_contributions_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['contributions.id'], name=op.f('fk_contributions_parent_id_contributions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contributions')),
    sa.UniqueConstraint('tracking_number', name=op.f('uq_contributions_tracking_number'))
    )
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contributions_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contributions_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_contributions_consultation_created', ['consultation_id', 'created_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contributions_parent_id'), ['parent_id'], unique=False)

    op.create_table('contribution_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contribution_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('proposed_text', sa.Text(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('replaced_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contribution_id'], ['contributions.id'], name=op.f('fk_contribution_revisions_contribution_id_contributions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contribution_revisions'))
    )
    with op.batch_alter_table('contribution_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contribution_revisions_contribution_id'), ['contribution_id'], unique=False)

    op.create_table('contribution_votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contribution_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Enum('agree', 'mixed', 'disagree', name='opinion', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contribution_id'], ['contributions.id'], name=op.f('fk_contribution_votes_contribution_id_contributions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_contribution_votes_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contribution_votes')),
    sa.UniqueConstraint('contribution_id', 'user_id', name=op.f('uq_contribution_votes_contribution_id_user_id'))
    )
    with op.batch_alter_table('contribution_votes', schema=None) as batch_op:
        batch_op.create_index('ix_contribution_votes_contribution_id_value', ['contribution_id', 'value'], unique=False)
        batch_op.create_index(batch_op.f('ix_contribution_votes_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('contribution_votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contribution_votes_user_id'))
        batch_op.drop_index('ix_contribution_votes_contribution_id_value')

    op.drop_table('contribution_votes')
    with op.batch_alter_table('contribution_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contribution_revisions_contribution_id'))

    op.drop_table('contribution_revisions')
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contributions_parent_id'))
        batch_op.drop_index('ix_contributions_consultation_created')
        batch_op.drop_index(batch_op.f('ix_contributions_author_id'))
        batch_op.drop_index(batch_op.f('ix_contributions_article_id'))

    op.drop_table('contributions')
