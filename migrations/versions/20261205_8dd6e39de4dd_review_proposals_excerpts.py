"""The review of the draft's proposal groups and of the themes' excerpts.

`review_proposal_groups` holds each group of near-identical proposals with who made it (a draft
run or a person) and who renamed it or merged it into another; `review_proposal_members` the
contributions making each group's proposal, with the sentence as written; `review_excerpts`
the contributions' excerpts a person pinned or dropped for a theme. `review_themes.draft_index`
says which theme of the last draft run filled a theme of the review.
No data to move: the groups arrive with the next draft run.

Revision ID: 8dd6e39de4dd
Revises: dda006dd1b6e
Create Date: 2026-12-05 14:00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "8dd6e39de4dd"
down_revision = "dda006dd1b6e"
branch_labels = None
depends_on = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=10)


def _instant(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _user(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["users.id"], name=op.f(f"fk_{table}_{column}_users"), ondelete="SET NULL"
    )


def _parent(table: str, column: str, parent: str, ondelete: str = "CASCADE"):
    return sa.ForeignKeyConstraint(
        [column], [f"{parent}.id"], name=op.f(f"fk_{table}_{column}_{parent}"), ondelete=ondelete
    )


def upgrade():
    op.create_table(
        "review_proposal_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("origin", _enum("origin", "machine", "person"), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        _instant("drafted_at"),
        sa.Column("draft_index", sa.Integer(), nullable=True),
        _instant("created_at", nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        _instant("renamed_at"),
        sa.Column("renamed_by_id", sa.Integer(), nullable=True),
        _instant("merged_at"),
        sa.Column("merged_by_id", sa.Integer(), nullable=True),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        _parent("review_proposal_groups", "consultation_id", "consultations"),
        _user("review_proposal_groups", "created_by_id"),
        _parent("review_proposal_groups", "job_id", "synthesis_jobs", "SET NULL"),
        _user("review_proposal_groups", "merged_by_id"),
        _parent("review_proposal_groups", "merged_into_id", "review_proposal_groups", "SET NULL"),
        _user("review_proposal_groups", "renamed_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_proposal_groups")),
    )
    with op.batch_alter_table("review_proposal_groups", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_proposal_groups_consultation_id"),
            ["consultation_id"],
            unique=False,
        )

    op.create_table(
        "review_proposal_members",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("contribution_id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("sentence", sa.Text(), nullable=True),
        _parent("review_proposal_members", "consultation_id", "consultations"),
        _parent("review_proposal_members", "contribution_id", "contributions"),
        _parent("review_proposal_members", "group_id", "review_proposal_groups"),
        sa.PrimaryKeyConstraint(
            "group_id", "contribution_id", name=op.f("pk_review_proposal_members")
        ),
    )
    with op.batch_alter_table("review_proposal_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_proposal_members_consultation_id"),
            ["consultation_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_review_proposal_members_contribution_id"),
            ["contribution_id"],
            unique=False,
        )

    op.create_table(
        "review_excerpts",
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("contribution_id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("state", _enum("excerptstate", "pinned", "dropped"), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        _instant("decided_at", nullable=False),
        _parent("review_excerpts", "consultation_id", "consultations"),
        _parent("review_excerpts", "contribution_id", "contributions"),
        _user("review_excerpts", "decided_by_id"),
        _parent("review_excerpts", "theme_id", "review_themes"),
        sa.PrimaryKeyConstraint("theme_id", "contribution_id", name=op.f("pk_review_excerpts")),
    )
    with op.batch_alter_table("review_excerpts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_excerpts_consultation_id"), ["consultation_id"], unique=False
        )

    with op.batch_alter_table("review_themes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("draft_index", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("review_themes", schema=None) as batch_op:
        batch_op.drop_column("draft_index")
    with op.batch_alter_table("review_excerpts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_excerpts_consultation_id"))
    op.drop_table("review_excerpts")
    with op.batch_alter_table("review_proposal_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_proposal_members_contribution_id"))
        batch_op.drop_index(batch_op.f("ix_review_proposal_members_consultation_id"))
    op.drop_table("review_proposal_members")
    with op.batch_alter_table("review_proposal_groups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_proposal_groups_consultation_id"))
    op.drop_table("review_proposal_groups")
