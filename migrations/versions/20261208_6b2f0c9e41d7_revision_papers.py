"""The position paper an earlier version of a contribution had.

An author may attach, replace or remove a contribution's position paper when editing it. The
version replaced keeps the paper it had (its stored file, name, size and SHA-256), so that the
contribution's history shows it with its wording; the file stays in the storage. All four
columns are set together or not at all.

Revision ID: 6b2f0c9e41d7
Revises: a4c1e7d90b52
Create Date: 2026-12-08 09:00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "6b2f0c9e41d7"
down_revision = "a4c1e7d90b52"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("contribution_revisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("paper_file_key", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("paper_filename", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("paper_size", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("paper_sha256", sa.String(length=64), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_contribution_revisions_paper_whole"),
            "(paper_file_key IS NULL AND paper_filename IS NULL AND paper_size IS NULL"
            " AND paper_sha256 IS NULL) OR (paper_file_key IS NOT NULL AND paper_filename IS"
            " NOT NULL AND paper_size IS NOT NULL AND paper_sha256 IS NOT NULL)",
        )


def downgrade():
    with op.batch_alter_table("contribution_revisions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_contribution_revisions_paper_whole"), type_="check")
        batch_op.drop_column("paper_sha256")
        batch_op.drop_column("paper_size")
        batch_op.drop_column("paper_filename")
        batch_op.drop_column("paper_file_key")
