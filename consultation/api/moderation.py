"""Moderation through the API: reports, decisions (one or many), the queue, public figures."""

from __future__ import annotations

from flask import request

from consultation.api import bp, schemas, serializers
from consultation.api.auth import api_user, require_api_user
from consultation.api.input import page_limit
from consultation.consultations.services import get_visible
from consultation.core.limits import report_limits
from consultation.extensions import db
from consultation.moderation import appeals, queries, services
from consultation.moderation.models import ModerationDecision
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
    body = _moderated(contribution)
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
                    "contribution": _moderated(item.contribution)
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


def _moderated(contribution) -> dict:
    return {
        "id": contribution.id,
        "tracking_number": contribution.tracking_number,
        "hidden": contribution.is_hidden,
        "hidden_reason": contribution.hidden_reason.value if contribution.hidden_reason else None,
        "notice": contribution.hidden_notice_fr if contribution.is_hidden else None,
        "duplicate_of": contribution.duplicate_of_id,
        "open_reports": contribution.reports_open,
    }


def _decision(decision: ModerationDecision) -> dict:
    return {
        "id": decision.id,
        "action": decision.action.value,
        "reason": decision.reason.value if decision.reason else None,
        "note": decision.note,
        "created_at": serializers.isoformat(decision.created_at),
    }
