"""Moderation through the API: reports, decisions (one or many), the queue, the position paper
of a contribution one moderates, public figures."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import gettext as _

from consultation.api import bp, schemas, serializers
from consultation.api.auth import api_user, require_api_user
from consultation.api.input import page_limit
from consultation.consultations.services import get_visible
from consultation.core import downloads
from consultation.core.errors import NotFound
from consultation.core.limits import report_limits
from consultation.core.urls import external_url
from consultation.extensions import db
from consultation.moderation import appeals, queries, services
from consultation.moderation.models import ModerationDecision
from consultation.participation import papers
from consultation.participation import services as participation


@bp.post("/contributions/<int:contribution_id>/report")
@report_limits
def report_contribution(contribution_id: int):
    user = require_api_user()
    contribution = participation.get_contribution(contribution_id, user)
    services.check_can_report(user, contribution)
    sent = schemas.parse(schemas.ReportInput)
    report = services.report_contribution(user, contribution, sent.reason, sent.details or "")
    body = {
        "id": report.id,
        "contribution_id": contribution.id,
        "reason": report.reason.value,
        "created_at": serializers.isoformat(report.created_at),
    }
    db.session.commit()
    return schemas.respond(schemas.Report, body, 201)


@bp.post("/contributions/<int:contribution_id>/appeal")
def appeal_hiding(contribution_id: int):
    """{body} — the author appeals against the hiding of their contribution (once per hiding);
    it lands in the moderators' queue."""
    user = require_api_user()
    contribution = participation.get_contribution(contribution_id, user)
    appeals.check_can_appeal(user, contribution)
    appeal = appeals.appeal_hiding(user, contribution, schemas.parse(schemas.AppealInput).body)
    body = {
        "id": appeal.id,
        "contribution_id": contribution.id,
        "created_at": serializers.isoformat(appeal.created_at),
    }
    db.session.commit()
    return schemas.respond(schemas.Appeal, body, 201)


@bp.post("/contributions/<int:contribution_id>/moderation")
def moderate_contribution(contribution_id: int):
    user = require_api_user()
    contribution = participation.get_contribution(contribution_id, user)
    services.check_can_moderate(user, contribution)
    sent = schemas.parse(schemas.ModerationInput)
    result = services.moderate(
        user,
        contribution,
        sent.action,
        reason=sent.reason,
        note=sent.note or "",
        duplicate_of=sent.duplicate_of,
    )
    body = _moderated(contribution, papers.papers_of([contribution.id]).get(contribution.id))
    if isinstance(result, ModerationDecision):
        body["decision"] = _decision(result)
    else:
        body["block"] = {"user_id": result.user_id, "reason": result.reason.value}
    db.session.commit()
    return schemas.respond(schemas.Moderated, body)


@bp.post("/moderation/bulk")
def bulk_moderation():
    """{action: hide|restore|dismiss|block, reason?, note?, notify?, ids: [...]} → what was
    done, and what was skipped with why. `notify` (boolean; absent or null: yes except for
    spam) tells the authors by e-mail after the commit (`services.bulk_moderate`)."""
    user = require_api_user()
    services.require_moderator(user)
    sent = schemas.parse(schemas.BulkModerationInput)
    result = services.bulk_moderate(
        user,
        sent.ids,
        sent.action,
        reason=sent.reason,
        note=sent.note or "",
        notify=sent.notify,
    )
    body = {
        "done": [c.id for c in result.done],
        "skipped": [
            {"id": getattr(item, "id", item), "message": message}
            for item, message in result.skipped
        ],
    }
    db.session.commit()
    return schemas.respond(schemas.BulkResult, body)


@bp.get("/moderation/queue")
def moderation_queue():
    """The queue with the web page's filters: consultation, reason, kind, state, q, cursor."""
    user = require_api_user()
    services.require_moderator(user)
    filters = queries.parse_filters(user, request.args)
    items, next_cursor, total = queries.queue(
        filters, cursor=request.args.get("cursor"), limit=page_limit()
    )
    return schemas.respond(
        schemas.ModerationQueue,
        {
            "total": total,
            "next_cursor": next_cursor,
            "items": [
                {
                    "contribution": _moderated(item.contribution, item.paper)
                    | {
                        "consultation": item.consultation.slug,
                        "kind": item.contribution.kind.value,
                        "title": item.contribution.title,
                        "body": item.contribution.body,
                    },
                    "open_reports": {r.value: n for r, n in item.reports.items()},
                    "open_appeal": {
                        "body": item.appeal.body,
                        "created_at": serializers.isoformat(item.appeal.created_at),
                    }
                    if item.appeal
                    else None,
                }
                for item in items
            ],
        },
    )


@bp.get("/moderation/contributions/<int:contribution_id>/paper")
def moderation_paper(contribution_id: int):
    """The contribution's position paper (PDF), for a token whose user may moderate it (the
    rule of its moderation page, `services.get_contribution_to_moderate`), whatever its state,
    hidden or withdrawn included: served as the web serves it (nosniff, sandboxing policy,
    Content-Disposition) and kept by no cache. 401 without a token, 403 for whoever is not a
    moderator or not of the contribution's institution, 404 without such a contribution or
    without a paper."""
    user = require_api_user()
    services.require_moderator(user)
    contribution, _consultation = services.get_contribution_to_moderate(contribution_id, user)
    found = contribution.paper
    if found is None:
        raise NotFound(_("Cette contribution n'a pas de contribution écrite jointe."))
    return downloads.send_stored(
        papers.open_paper(found.file_key),
        media_type=papers.MEDIA_TYPE,
        filename=found.filename,
        size=found.size,
        cache_control="private, no-store",
    )


@bp.get("/consultations/<slug>/moderation")
def moderation_figures(slug: str):
    figures = services.public_figures(get_visible(slug, api_user()))
    return schemas.respond(
        schemas.ModerationFigures,
        {
            "contributions": figures.contributions,
            "reports": figures.reports,
            "reports_by_reason": {r.value: n for r, n in figures.reports_by_reason.items()},
            "hidden": figures.hidden,
            "hidden_by_reason": {r.value: n for r, n in figures.hidden_by_reason.items()},
            "restored": figures.restored,
            "dismissed": figures.dismissed,
            "duplicates": figures.duplicates,
        },
    )


def _moderated(contribution, paper: papers.PaperFacts | None) -> dict:
    return {
        "id": contribution.id,
        "tracking_number": contribution.tracking_number,
        "hidden": contribution.is_hidden,
        "hidden_reason": contribution.hidden_reason.value if contribution.hidden_reason else None,
        "notice": contribution.hidden_notice_fr if contribution.is_hidden else None,
        "duplicate_of": contribution.duplicate_of_id,
        "open_reports": contribution.reports_open,
        "paper": _paper(contribution.id, paper),
    }


def _paper(contribution_id: int, paper: papers.PaperFacts | None) -> dict[str, Any] | None:
    """A paper as its moderators read it: name, size and SHA-256 whatever the contribution's
    state, and the address serving it to them (`moderation_paper`)."""
    if paper is None:
        return None
    return {
        "name": paper.filename,
        "size": paper.size,
        "sha256": paper.sha256,
        "url": external_url("api.moderation_paper", contribution_id=contribution_id),
    }


def _decision(decision: ModerationDecision) -> dict:
    return {
        "id": decision.id,
        "action": decision.action.value,
        "reason": decision.reason.value if decision.reason else None,
        "note": decision.note,
        "created_at": serializers.isoformat(decision.created_at),
    }
