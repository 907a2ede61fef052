"""The moderators' review of the drafted themes (review_themes).

The draft's themes lived only inside `syntheses.draft_data`; the staff now review them on a
workbench. `review_themes` holds each theme with who made it (a draft run or a person) and who
renamed, merged or deleted it; `theme_assignments` where each contribution sits, and who put it
there; `contribution_readings` which contributions a person of the institution has read.
No data to move: the workbench fills from the next draft run.

Revision ID: dda006dd1b6e
Revises: d3a7f1c2b845
Create Date: 2026-12-05 12:00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "dda006dd1b6e"
down_revision = "d3a7f1c2b845"
branch_labels = None
depends_on = None


def _origin() -> sa.Enum:
    return sa.Enum(
        "machine", "person", name="origin", native_enum=False, create_constraint=True, length=10
    )


def _instant(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _user(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["users.id"], name=op.f(f"fk_{table}_{column}_users"), ondelete="SET NULL"
    )


def _parent(table: str, column: str, parent: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{parent}.id"],
        name=op.f(f"fk_{table}_{column}_{parent}"),
        ondelete="CASCADE",
    )


def upgrade():
    op.create_table(
        "review_themes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.Column("origin", _origin(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        _instant("drafted_at"),
        _instant("created_at", nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        _instant("renamed_at"),
        sa.Column("renamed_by_id", sa.Integer(), nullable=True),
        _instant("deleted_at"),
        sa.Column("deleted_by_id", sa.Integer(), nullable=True),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        _parent("review_themes", "consultation_id", "consultations"),
        _user("review_themes", "created_by_id"),
        _user("review_themes", "deleted_by_id"),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["synthesis_jobs.id"],
            name=op.f("fk_review_themes_job_id_synthesis_jobs"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"],
            ["review_themes.id"],
            name=op.f("fk_review_themes_merged_into_id_review_themes"),
            ondelete="SET NULL",
        ),
        _user("review_themes", "renamed_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_themes")),
    )
    with op.batch_alter_table("review_themes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_themes_consultation_id"), ["consultation_id"], unique=False
        )

    op.create_table(
        "contribution_readings",
        sa.Column("contribution_id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("read_by_id", sa.Integer(), nullable=True),
        _instant("read_at", nullable=False),
        _parent("contribution_readings", "consultation_id", "consultations"),
        _parent("contribution_readings", "contribution_id", "contributions"),
        _user("contribution_readings", "read_by_id"),
        sa.PrimaryKeyConstraint("contribution_id", name=op.f("pk_contribution_readings")),
    )
    with op.batch_alter_table("contribution_readings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contribution_readings_consultation_id"),
            ["consultation_id"],
            unique=False,
        )

    op.create_table(
        "theme_assignments",
        sa.Column("contribution_id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=True),
        sa.Column("origin", _origin(), nullable=False),
        sa.Column("assigned_by_id", sa.Integer(), nullable=True),
        _instant("assigned_at", nullable=False),
        _user("theme_assignments", "assigned_by_id"),
        _parent("theme_assignments", "consultation_id", "consultations"),
        _parent("theme_assignments", "contribution_id", "contributions"),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["review_themes.id"],
            name=op.f("fk_theme_assignments_theme_id_review_themes"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("contribution_id", name=op.f("pk_theme_assignments")),
    )
    with op.batch_alter_table("theme_assignments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_theme_assignments_consultation_id"), ["consultation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_theme_assignments_theme_id"), ["theme_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("theme_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_theme_assignments_theme_id"))
        batch_op.drop_index(batch_op.f("ix_theme_assignments_consultation_id"))
    op.drop_table("theme_assignments")
    with op.batch_alter_table("contribution_readings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contribution_readings_consultation_id"))
    op.drop_table("contribution_readings")
    with op.batch_alter_table("review_themes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_themes_consultation_id"))
    op.drop_table("review_themes")
