"""The review of the draft through the API (the institution's staff): the workbench with every
theme's and proposal group's provenance, and the same actions as its pages — create, rename,
merge, split and delete a theme, move a contribution, mark it read, pin or drop a theme's
excerpt, merge and rename proposal groups. Rights are checked before the body is read;
the services refuse bad values with a French message per field."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from consultation.api import bp, schemas
from consultation.api.auth import require_api_user
from consultation.consultations import services as consultations
from consultation.consultations.models import Consultation
from consultation.core import clock
from consultation.core.errors import ValidationFailed
from consultation.extensions import db
from consultation.synthesis import provenance, review, review_excerpts, review_proposals
from consultation.synthesis.review_models import ContributionReading, ReviewTheme


@bp.get("/consultations/<slug>/synthesis/themes")
def review_themes(slug: str):
    user = require_api_user()
    consultation = consultations.get_visible(slug, user)
    review.check_can_see(user, consultation)
    return schemas.respond(schemas.ReviewThemes, workbench_document(consultation))


@bp.post("/consultations/<slug>/synthesis/themes")
def create_review_theme(slug: str):
    user = require_api_user()
    consultation = consultations.get_visible(slug, user)
    review.check_can_review(user, consultation)
    sent = schemas.parse(schemas.ThemeNameInput)
    theme = review.create_theme(user, consultation, sent.name)
    body = theme_document(consultation, theme)
    db.session.commit()
    return schemas.respond(schemas.ReviewTheme, body, 201)


@bp.post("/synthesis/themes/<int:theme_id>/rename")
def rename_review_theme(theme_id: int):
    user, theme, consultation = _managed(theme_id)
    sent = schemas.parse(schemas.ThemeNameInput)
    review.rename_theme(user, theme, sent.name)
    body = theme_document(consultation, theme)
    db.session.commit()
    return schemas.respond(schemas.ReviewTheme, body)


@bp.post("/synthesis/themes/<int:theme_id>/merge")
def merge_review_theme(theme_id: int):
    """Answers the theme that received the contributions."""
    user, theme, consultation = _managed(theme_id)
    sent = schemas.parse(schemas.ThemeMergeInput)
    target = review.merge_themes(user, theme, sent.into)
    body = theme_document(consultation, target)
    db.session.commit()
    return schemas.respond(schemas.ReviewTheme, body)


@bp.post("/synthesis/themes/<int:theme_id>/delete")
def delete_review_theme(theme_id: int):
    user, theme, consultation = _managed(theme_id)
    review.delete_theme(user, theme)
    body = theme_document(consultation, theme)
    db.session.commit()
    return schemas.respond(schemas.ReviewTheme, body)


@bp.post("/consultations/<slug>/synthesis/contributions/<int:contribution_id>/theme")
def move_contribution_theme(slug: str, contribution_id: int):
    user = require_api_user()
    consultation = consultations.get_visible(slug, user)
    review.check_can_review(user, consultation)
    contribution = review.get_contribution(consultation, contribution_id)
    sent = schemas.parse(schemas.ThemeMoveInput)
    if "theme_id" not in sent.model_fields_set:  # never out of its theme by omission
        raise ValidationFailed(
            fields={"theme_id": _("Indiquez le thème (son identifiant, ou null : sans thème).")}
        )
    assignment = review.move_contribution(user, consultation, contribution, sent.theme_id)
    body = {
        "contribution_id": assignment.contribution_id,
        "theme_id": assignment.theme_id,
        "origin": assignment.origin.value,
        "assigned_at": clock.isoformat(assignment.assigned_at),
        "assigned_by": user.display_name,
    }
    db.session.commit()
    return schemas.respond(schemas.ThemeAssignment, body)


@bp.post("/consultations/<slug>/synthesis/contributions/<int:contribution_id>/read")
def read_contribution(slug: str, contribution_id: int):
    user = require_api_user()
    consultation = consultations.get_visible(slug, user)
    review.check_can_review(user, consultation)
    contribution = review.get_contribution(consultation, contribution_id)
    sent = schemas.parse(schemas.ReadingInput)
    reading = review.mark_read(user, consultation, contribution, sent.read)
    body = _reading(contribution_id, reading, user.display_name)
    db.session.commit()
    return schemas.respond(schemas.ContributionReading, body)


def _managed(theme_id: int) -> tuple[Any, ReviewTheme, Consultation]:
    user = require_api_user()
    theme = review.get_theme(theme_id)
    consultation = consultations.get_visible(review.consultation_of(theme).slug, user)
    review.check_can_review(user, consultation)
    return user, theme, consultation


def _reading(contribution_id: int, reading: ContributionReading | None, name: str) -> dict:
    return {
        "contribution_id": contribution_id,
        "read": reading is not None,
        "read_at": clock.isoformat(reading.read_at) if reading else None,
        "read_by": name if reading else None,
    }


def _theme(row: review.ThemeRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "origin": row.origin.value,
        "active": row.deleted_at is None,
        "job_id": row.job_id,
        "drafted_at": clock.isoformat(row.drafted_at),
        "created_at": clock.isoformat(row.created_at),
        "created_by": row.created_by,
        "renamed_at": clock.isoformat(row.renamed_at),
        "renamed_by": row.renamed_by,
        "deleted_at": clock.isoformat(row.deleted_at),
        "deleted_by": row.deleted_by,
        "merged_into_id": row.merged_into_id,
        "split_from": row.split_from_id,
        "contribution_count": row.count,
        "read_count": row.read,
    }


def theme_document(consultation: Consultation, theme: ReviewTheme) -> dict[str, Any]:
    db.session.flush()
    return next(_theme(r) for r in review.theme_rows(consultation) if r.id == theme.id)


def workbench_document(consultation: Consultation) -> dict[str, Any]:
    """Every theme (merged and deleted ones too, marked inactive), every assignment, the
    contributions read and the review's figures."""
    rows = review.theme_rows(consultation)
    placed = review.assignments(consultation)
    people = review.names_of(a.assigned_by_id for a in placed)
    return {
        "themes": [_theme(r) for r in rows],
        "assignments": [
            {
                "contribution_id": a.contribution_id,
                "theme_id": a.theme_id,
                "origin": a.origin.value,
                "assigned_at": clock.isoformat(a.assigned_at),
                "assigned_by": people.get(a.assigned_by_id),
            }
            for a in placed
        ],
        "read_contribution_ids": review.read_ids(consultation),
        "figures": provenance.review_counts(consultation.id),
    }


# --- Split a theme, its excerpts ----------------------------------------------------------------


@bp.post("/synthesis/themes/<int:theme_id>/split")
def split_review_theme(theme_id: int):
    """Answers the new theme, which took the contributions sent."""
    user, theme, consultation = _managed(theme_id)
    review._check_active(theme)
    sent = schemas.parse(schemas.ThemeSplitInput)
    new_theme = review.split_theme(user, theme, sent.contribution_ids, sent.name)
    body = theme_document(consultation, new_theme)
    db.session.commit()
    return schemas.respond(schemas.ReviewTheme, body, 201)


@bp.get("/synthesis/themes/<int:theme_id>/excerpts")
def review_theme_excerpts(theme_id: int):
    user = require_api_user()
    theme = review.get_theme(theme_id)
    consultation = consultations.get_visible(review.consultation_of(theme).slug, user)
    review.check_can_see(user, consultation)
    return schemas.respond(schemas.ThemeExcerpts, excerpts_document(theme))


@bp.post("/synthesis/themes/<int:theme_id>/excerpts")
def choose_theme_excerpt(theme_id: int):
    """Pin, drop or restore one contribution's excerpt; answers the theme's excerpts."""
    user, theme, consultation = _managed(theme_id)
    review._check_active(theme)
    sent = schemas.parse(schemas.ExcerptInput)
    contribution_id = review._database_id(sent.contribution_id)
    if contribution_id is None:
        raise ValidationFailed(fields={"contribution_id": _("Contribution inconnue.")})
    contribution = review.get_contribution(consultation, contribution_id)
    review_excerpts.choose_excerpt(user, theme, contribution, sent.state)
    db.session.flush()
    body = excerpts_document(theme)
    db.session.commit()
    return schemas.respond(schemas.ThemeExcerpts, body)


def excerpts_document(theme: ReviewTheme) -> dict[str, Any]:
    return {
        "theme_id": theme.id,
        "excerpts": [
            {
                "contribution_id": e.contribution_id,
                "tracking_number": e.tracking_number,
                "text": e.text,
                "in_draft": e.in_draft,
                "state": e.state.value if e.state else None,
                "decided_at": clock.isoformat(e.decided_at),
                "decided_by": e.decided_by,
            }
            for e in review_excerpts.theme_excerpts(theme)
        ],
    }


# --- Proposal groups ----------------------------------------------------------------------------


@bp.get("/consultations/<slug>/synthesis/proposals")
def review_proposal_groups(slug: str):
    user = require_api_user()
    consultation = consultations.get_visible(slug, user)
    review.check_can_see(user, consultation)
    return schemas.respond(schemas.ProposalGroups, proposals_document(consultation))


@bp.post("/consultations/<slug>/synthesis/proposals/merge")
def merge_review_proposal_groups(slug: str):
    """Answers the group that received the others."""
    user = require_api_user()
    consultation = consultations.get_visible(slug, user)
    review.check_can_review(user, consultation)
    sent = schemas.parse(schemas.ProposalMergeInput)
    target = review_proposals.merge_groups(user, consultation, sent.groups, sent.label)
    body = group_document(consultation, target.id)
    db.session.commit()
    return schemas.respond(schemas.ProposalGroup, body)


@bp.post("/synthesis/proposals/<int:group_id>/rename")
def rename_review_proposal_group(group_id: int):
    user = require_api_user()
    group = review_proposals.get_group(group_id)
    consultation = consultations.get_visible(review_proposals.consultation_of(group).slug, user)
    review.check_can_review(user, consultation)
    review_proposals.check_active(group)
    sent = schemas.parse(schemas.ProposalLabelInput)
    review_proposals.rename_group(user, group, sent.label)
    body = group_document(consultation, group.id)
    db.session.commit()
    return schemas.respond(schemas.ProposalGroup, body)


def _group(row: review_proposals.GroupRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "label": row.label,
        "origin": row.origin.value,
        "active": row.merged_at is None,
        "job_id": row.job_id,
        "drafted_at": clock.isoformat(row.drafted_at),
        "created_at": clock.isoformat(row.created_at),
        "created_by": row.created_by,
        "renamed_at": clock.isoformat(row.renamed_at),
        "renamed_by": row.renamed_by,
        "merged_at": clock.isoformat(row.merged_at),
        "merged_by": row.merged_by,
        "merged_into_id": row.merged_into_id,
        "merged_from": row.merged_from,
        "contribution_count": row.count,
        "members": [
            {
                "contribution_id": m.contribution_id,
                "tracking_number": m.tracking_number,
                "sentence": m.sentence,
            }
            for m in row.members
        ],
    }


def group_document(consultation: Consultation, group_id: int) -> dict[str, Any]:
    db.session.flush()
    rows = review_proposals.group_rows(consultation, active_only=False, members_shown=None)
    return next(_group(r) for r in rows if r.id == group_id)


def proposals_document(consultation: Consultation) -> dict[str, Any]:
    """Every group (merged ones too, inactive) with all its members, and the review's
    figures."""
    rows = review_proposals.group_rows(consultation, active_only=False, members_shown=None)
    return {
        "groups": [_group(r) for r in rows],
        "figures": provenance.review_counts(consultation.id),
    }
