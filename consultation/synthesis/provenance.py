"""What people decided in the review of the draft (themes, proposal groups, excerpts), counted: the figures the published
synthesis, its export and its method say about which parts a machine drafted and which a person
reviewed. Reads the review's tables only (`synthesis.review` writes them)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from consultation.extensions import db
from consultation.synthesis.review_models import (
    ContributionReading,
    ExcerptChoice,
    ExcerptState,
    Origin,
    ReviewProposalGroup,
    ReviewTheme,
    ThemeAssignment,
)


def review_counts(consultation_id: int) -> dict[str, int]:
    """The review's figures for one consultation:

    - `themes`: the themes on the workbench (neither merged nor deleted);
    - `themes_drafted`: those as the draft's analysis proposed them (no person renamed them,
      merged another into them, split another off them or placed a contribution in them);
    - `themes_reviewed`: the others, created or changed by a person;
    - `themes_removed`: themes a person merged into another or deleted;
    - `contributions_placed`: contributions a person placed in a theme or took out of every one;
    - `contributions_read`: contributions a person of the institution marked as read;
    - `proposal_groups`: the proposal groups on the workbench (not merged into another);
    - `proposal_groups_drafted`: those as the draft's analysis found them;
    - `proposal_groups_reviewed`: the others, made, renamed or receiving a merge by a person;
    - `proposal_groups_merged`: groups a person merged into another;
    - `excerpts_pinned`, `excerpts_dropped`: excerpts a person pinned for a theme (quoted
      first) or dropped (never quoted for it).
    """
    themes = list(
        db.session.execute(
            sa.select(
                ReviewTheme.id, ReviewTheme.origin, ReviewTheme.renamed_at, ReviewTheme.deleted_at
            ).where(ReviewTheme.consultation_id == consultation_id)
        )
    )
    merge_targets = set(
        db.session.scalars(
            sa.select(ReviewTheme.merged_into_id).where(
                ReviewTheme.consultation_id == consultation_id,
                ReviewTheme.merged_into_id.is_not(None),
            )
        )
    )
    split_origins = set(
        db.session.scalars(
            sa.select(ReviewTheme.split_from_id).where(
                ReviewTheme.consultation_id == consultation_id,
                ReviewTheme.split_from_id.is_not(None),
            )
        )
    )
    placed = list(
        db.session.scalars(
            sa.select(ThemeAssignment.theme_id).where(
                ThemeAssignment.consultation_id == consultation_id,
                ThemeAssignment.origin == Origin.person,
            )
        )
    )
    with_person_placements = {theme_id for theme_id in placed if theme_id is not None}
    read = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(ContributionReading)
        .where(ContributionReading.consultation_id == consultation_id)
    )
    with_excerpt_choices = set(
        db.session.scalars(
            sa.select(ExcerptChoice.theme_id).where(
                ExcerptChoice.consultation_id == consultation_id
            )
        )
    )
    active = [row for row in themes if row.deleted_at is None]
    reviewed = [
        row
        for row in active
        if row.origin is Origin.person
        or row.renamed_at is not None
        or row.id in merge_targets
        or row.id in split_origins
        or row.id in with_person_placements
        or row.id in with_excerpt_choices
    ]
    groups = list(
        db.session.execute(
            sa.select(
                ReviewProposalGroup.id,
                ReviewProposalGroup.origin,
                ReviewProposalGroup.renamed_at,
                ReviewProposalGroup.merged_at,
                ReviewProposalGroup.merged_into_id,
            ).where(ReviewProposalGroup.consultation_id == consultation_id)
        )
    )
    receiving = {g.merged_into_id for g in groups if g.merged_into_id is not None}
    active_groups = [g for g in groups if g.merged_at is None]
    groups_reviewed = [
        g
        for g in active_groups
        if g.origin is Origin.person or g.renamed_at is not None or g.id in receiving
    ]
    excerpts = dict(
        db.session.execute(
            sa.select(ExcerptChoice.state, sa.func.count())
            .where(ExcerptChoice.consultation_id == consultation_id)
            .group_by(ExcerptChoice.state)
        ).all()
    )
    return {
        "themes": len(active),
        "themes_drafted": len(active) - len(reviewed),
        "themes_reviewed": len(reviewed),
        "themes_removed": len(themes) - len(active),
        "contributions_placed": len(placed),
        "contributions_read": int(read or 0),
        "proposal_groups": len(active_groups),
        "proposal_groups_drafted": len(active_groups) - len(groups_reviewed),
        "proposal_groups_reviewed": len(groups_reviewed),
        "proposal_groups_merged": len(groups) - len(active_groups),
        "excerpts_pinned": int(excerpts.get(ExcerptState.pinned, 0)),
        "excerpts_dropped": int(excerpts.get(ExcerptState.dropped, 0)),
    }


def last_decision_at(consultation_id: int) -> datetime | None:
    """When a person last decided something the draft follows (a theme made, renamed, merged,
    deleted or split off; a contribution placed; a proposal group made, renamed or merged; an
    excerpt pinned or dropped, or that decision undone), or None. Marking a contribution read
    changes no draft."""
    person = Origin.person
    moments = [
        sa.select(sa.func.max(ReviewTheme.created_at)).where(
            ReviewTheme.consultation_id == consultation_id, ReviewTheme.origin == person
        ),
        sa.select(sa.func.max(ReviewTheme.renamed_at)).where(
            ReviewTheme.consultation_id == consultation_id
        ),
        sa.select(sa.func.max(ReviewTheme.deleted_at)).where(
            ReviewTheme.consultation_id == consultation_id
        ),
        sa.select(sa.func.max(ReviewTheme.excerpt_undone_at)).where(
            ReviewTheme.consultation_id == consultation_id
        ),
        sa.select(sa.func.max(ThemeAssignment.assigned_at)).where(
            ThemeAssignment.consultation_id == consultation_id, ThemeAssignment.origin == person
        ),
        sa.select(sa.func.max(ReviewProposalGroup.created_at)).where(
            ReviewProposalGroup.consultation_id == consultation_id,
            ReviewProposalGroup.origin == person,
        ),
        sa.select(sa.func.max(ReviewProposalGroup.renamed_at)).where(
            ReviewProposalGroup.consultation_id == consultation_id
        ),
        sa.select(sa.func.max(ReviewProposalGroup.merged_at)).where(
            ReviewProposalGroup.consultation_id == consultation_id
        ),
        sa.select(sa.func.max(ExcerptChoice.decided_at)).where(
            ExcerptChoice.consultation_id == consultation_id
        ),
    ]
    found = [
        moment
        for moment in db.session.execute(sa.select(*(m.scalar_subquery() for m in moments))).one()
        if moment is not None
    ]
    return max(found, default=None)
