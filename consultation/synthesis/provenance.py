"""What people decided in the review of the themes, counted: the figures the published
synthesis, its export and its method say about which parts a machine drafted and which a person
reviewed. Reads the review's tables only (`synthesis.review` writes them)."""

from __future__ import annotations

import sqlalchemy as sa

from consultation.extensions import db
from consultation.synthesis.review_models import (
    ContributionReading,
    Origin,
    ReviewTheme,
    ThemeAssignment,
)


def review_counts(consultation_id: int) -> dict[str, int]:
    """The review's figures for one consultation:

    - `themes`: the themes on the workbench (neither merged nor deleted);
    - `themes_drafted`: those as the draft's analysis proposed them (no person renamed them,
      merged another into them or placed a contribution in them);
    - `themes_reviewed`: the others, created or changed by a person;
    - `themes_removed`: themes a person merged into another or deleted;
    - `contributions_placed`: contributions a person placed in a theme or took out of every one;
    - `contributions_read`: contributions a person of the institution marked as read.
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
    active = [row for row in themes if row.deleted_at is None]
    reviewed = [
        row
        for row in active
        if row.origin is Origin.person
        or row.renamed_at is not None
        or row.id in merge_targets
        or row.id in with_person_placements
    ]
    return {
        "themes": len(active),
        "themes_drafted": len(active) - len(reviewed),
        "themes_reviewed": len(reviewed),
        "themes_removed": len(themes) - len(active),
        "contributions_placed": len(placed),
        "contributions_read": int(read or 0),
    }
