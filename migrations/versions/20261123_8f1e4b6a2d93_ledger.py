"""The tamper-evident record: per-consultation entries (append-only), heads and signed
checkpoints, with the triggers that refuse to update or delete them on SQLite and PostgreSQL.

Consultations recorded before this revision have no entries: their record starts empty.

Revision ID: 8f1e4b6a2d93
Revises: dd7f6f35a6b4
Create Date: 2026-11-23 10:12:41.180000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8f1e4b6a2d93'
down_revision = 'dd7f6f35a6b4'
branch_labels = None
depends_on = None


# A copy of consultation/ledger/models.py's statements as they are at this revision.
POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$
"""

POSTGRESQL_TRIGGERS = [
    "CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries "
    "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()",
    "CREATE TRIGGER ledger_checkpoints_append_only BEFORE UPDATE OR DELETE "
    "ON ledger_checkpoints FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()",
    "CREATE TRIGGER ledger_heads_grow_only BEFORE UPDATE ON ledger_heads FOR EACH ROW "
    "WHEN (NEW.size < OLD.size OR NEW.consultation_id <> OLD.consultation_id) "
    "EXECUTE FUNCTION ledger_refuse_change()",
    "CREATE TRIGGER ledger_heads_no_delete BEFORE DELETE ON ledger_heads "
    "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()",
]

SQLITE_TRIGGERS = [
    "CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries "
    "BEGIN SELECT RAISE(ABORT, 'ledger_entries is append-only: UPDATE refused'); END",
    "CREATE TRIGGER ledger_checkpoints_no_update BEFORE UPDATE ON ledger_checkpoints "
    "BEGIN SELECT RAISE(ABORT, 'ledger_checkpoints is append-only: UPDATE refused'); END",
    "CREATE TRIGGER ledger_heads_grow_only BEFORE UPDATE ON ledger_heads "
    "WHEN NEW.size < OLD.size OR NEW.consultation_id <> OLD.consultation_id "
    "BEGIN SELECT RAISE(ABORT, 'ledger_heads only grows: UPDATE refused'); END",
] + [
    f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: DELETE refused'); END"
    for table in ("ledger_entries", "ledger_checkpoints", "ledger_heads")
]


def upgrade():
    op.create_table('ledger_heads',
    sa.Column('consultation_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('size', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_ledger_heads_consultation_id_consultations')),
    sa.PrimaryKeyConstraint('consultation_id', name=op.f('pk_ledger_heads'))
    )
    op.create_table('ledger_entries',
    sa.Column('consultation_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('leaf_index', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('leaf', sa.Text(), nullable=False),
    sa.Column('leaf_hash', sa.LargeBinary(length=32), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tracking_number', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_ledger_entries_consultation_id_consultations')),
    sa.PrimaryKeyConstraint('consultation_id', 'leaf_index', name=op.f('pk_ledger_entries'))
    )
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_entries_tracking_number', ['tracking_number'], unique=True, sqlite_where=sa.text('tracking_number IS NOT NULL'), postgresql_where=sa.text('tracking_number IS NOT NULL'))

    op.create_table('ledger_checkpoints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('tree_size', sa.Integer(), nullable=False),
    sa.Column('root_hash', sa.LargeBinary(length=32), nullable=False),
    sa.Column('frontier', sa.LargeBinary(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_ledger_checkpoints_consultation_id_consultations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_checkpoints'))
    )
    with op.batch_alter_table('ledger_checkpoints', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_checkpoints_consultation_id_id', ['consultation_id', 'id'], unique=False)

    # Created last: SQLite's batch mode rebuilds a table and would drop its triggers.
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(POSTGRESQL_FUNCTION)
        for statement in POSTGRESQL_TRIGGERS:
            op.execute(statement)
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade():
    # Dropping a table drops its triggers (both databases); the function goes after them.
    with op.batch_alter_table('ledger_checkpoints', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_checkpoints_consultation_id_id')

    op.drop_table('ledger_checkpoints')
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_entries_tracking_number', sqlite_where=sa.text('tracking_number IS NOT NULL'), postgresql_where=sa.text('tracking_number IS NOT NULL'))

    op.drop_table('ledger_entries')
    op.drop_table('ledger_heads')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP FUNCTION IF EXISTS ledger_refuse_change()')
