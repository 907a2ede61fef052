"""The moderators' queue and journal: what a moderator sees, read in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from consultation.accounts.models import ParticipationBlock, User
from consultation.consultations.models import Consultation
from consultation.core import cursors
from consultation.core.charter import ModerationReason
from consultation.core.errors import ValidationFailed
from consultation.core.i18n import _l
from consultation.extensions import db
from consultation.moderation import services
from consultation.moderation.models import Appeal, ModerationDecision, Report
from consultation.participation import papers
from consultation.participation import services as participation
from consultation.participation.models import Contribution, ContributionKind

QUEUE_STATES = {
    "appealed": _l("Masquées, recours à examiner"),
    "reported": _l("Signalées, à traiter"),
    "unreported": _l("Publiées, sans signalement en attente"),
    "hidden": _l("Masquées"),
    "all": _l("Toutes"),
}
PAGE_SIZES = (50, 100, 200)


@dataclass(frozen=True)
class QueueFilters:
    institution_id: int | None  # None: every institution (administrators)
    consultation_id: int | None = None
    reason: ModerationReason | None = None
    kind: ContributionKind | None = None
    state: str = "reported"
    query: str = ""


def parse_filters(actor: User, args: Mapping[str, Any]) -> QueueFilters:
    """The queue's filters from request arguments (or an API query), refusing unknown values."""
    errors: dict[str, str] = {}
    institution_id = None if actor.is_admin else actor.institution_id
    if actor.is_admin and args.get("institution"):
        institution_id = _int(args.get("institution"), "institution", errors)
    consultation_id = _int(args.get("consultation"), "consultation", errors)
    reason = kind = None
    if args.get("reason"):
        try:
            reason = ModerationReason(args.get("reason"))
        except ValueError:
            errors["reason"] = _("Motif inconnu.")
    if args.get("kind"):
        try:
            kind = ContributionKind(args.get("kind"))
        except ValueError:
            errors["kind"] = _("Type de contribution inconnu.")
    state = args.get("state") or "reported"
    if state not in QUEUE_STATES:
        errors["state"] = _("État inconnu : appealed, reported, unreported, hidden ou all.")
    if errors:
        raise ValidationFailed(fields=errors)
    return QueueFilters(
        institution_id=institution_id,
        consultation_id=consultation_id,
        reason=reason,
        kind=kind,
        state=state,
        query=(args.get("q") or "").strip()[:100],
    )


def _int(value: Any, name: str, errors: dict[str, str]) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if not 0 < number < 2**31:
        errors[name] = _("Identifiant invalide.")
        return None
    return number


@dataclass
class QueueItem:
    contribution: Contribution
    consultation: Consultation
    reports: dict[ModerationReason, int]  # open reports by reason
    details: list[str]  # what reporters wrote, open reports
    appeal: Appeal | None = None  # the author's open appeal against the hiding
    paper: papers.PaperFacts | None = None  # its position paper, whatever its state


def queue(
    filters: QueueFilters, *, cursor: str | None = None, limit: int = 50
) -> tuple[list[QueueItem], str | None, int]:
    """A page of the queue — most open reports first, then newest — its next cursor, and how
    many contributions match the filters. Keyset pagination on (reports_open, id)."""
    query = sa.select(Contribution).join(
        Consultation, Consultation.id == Contribution.consultation_id
    )
    if filters.institution_id is not None:
        query = query.where(Consultation.institution_id == filters.institution_id)
    if filters.consultation_id is not None:
        query = query.where(Contribution.consultation_id == filters.consultation_id)
    if filters.kind is not None:
        query = query.where(Contribution.kind == filters.kind)
    if filters.state == "reported":
        query = query.where(Contribution.reports_open > 0, Contribution.hidden_at.is_(None))
    elif filters.state == "unreported":
        query = query.where(Contribution.reports_open == 0, Contribution.hidden_at.is_(None))
    elif filters.state == "hidden":
        query = query.where(Contribution.hidden_at.is_not(None))
    elif filters.state == "appealed":
        query = query.where(Contribution.hidden_at.is_not(None), _open_appeal())
    if filters.reason is not None:
        open_report = (
            sa.select(Report.id)
            .where(
                Report.contribution_id == Contribution.id,
                Report.reason == filters.reason,
                Report.resolved_at.is_(None),
            )
            .exists()
        )
        query = query.where(sa.or_(open_report, Contribution.hidden_reason == filters.reason))
    if filters.query:
        words = filters.query.replace("\\", "").replace("%", "").replace("_", "")
        pattern = f"%{words}%"
        query = query.where(
            sa.or_(
                Contribution.body.ilike(pattern),
                Contribution.title.ilike(pattern),
                Contribution.tracking_number == filters.query.upper(),
            )
        )
    total = db.session.execute(
        sa.select(sa.func.count()).select_from(query.subquery())
    ).scalar_one()
    after = _decode(cursor)
    if after is not None:
        reports_open, last_id = after
        query = query.where(
            sa.or_(
                Contribution.reports_open < reports_open,
                sa.and_(Contribution.reports_open == reports_open, Contribution.id < last_id),
            )
        )
    rows = list(
        db.session.scalars(
            query.order_by(Contribution.reports_open.desc(), Contribution.id.desc())
            .limit(limit + 1)
            .options(selectinload(Contribution.author), selectinload(Contribution.article))
        )
    )
    page = rows[:limit]
    next_cursor = _encode(page[-1]) if len(rows) > limit else None
    return _items(page), next_cursor, total


def _items(contributions: list[Contribution]) -> list[QueueItem]:
    ids = [c.id for c in contributions]
    consultations = {
        c.id: c
        for c in db.session.scalars(
            sa.select(Consultation).where(
                Consultation.id.in_({c.consultation_id for c in contributions})
            )
        )
    }
    by_reason: dict[int, dict[ModerationReason, int]] = defaultdict(dict)
    details: dict[int, list[str]] = defaultdict(list)
    if ids:
        for contribution_id, reason, text in db.session.execute(
            sa.select(Report.contribution_id, Report.reason, Report.details)
            .where(Report.contribution_id.in_(ids), Report.resolved_at.is_(None))
            .order_by(Report.id)
        ):
            counts = by_reason[contribution_id]
            counts[reason] = counts.get(reason, 0) + 1
            if text:
                details[contribution_id].append(text)
    appeals = {
        appeal.contribution_id: appeal
        for appeal in db.session.scalars(
            sa.select(Appeal).where(Appeal.contribution_id.in_(ids), Appeal.resolved_at.is_(None))
        )
    }
    found = papers.papers_of(ids)
    return [
        QueueItem(
            c,
            consultations[c.consultation_id],
            by_reason[c.id],
            details[c.id][:3],
            appeals.get(c.id),
            found.get(c.id),
        )
        for c in contributions
    ]


def _open_appeal() -> sa.Exists:
    return (
        sa.select(Appeal.id)
        .where(
            Appeal.contribution_id == Contribution.id,
            Appeal.hidden_at == Contribution.hidden_at,
            Appeal.resolved_at.is_(None),
        )
        .exists()
    )


def open_appeals_count(institution_id: int | None) -> int:
    """How many appeals wait for a moderator (of one institution, or of all): the queue
    shows it first."""
    query = (
        sa.select(sa.func.count())
        .select_from(Contribution)
        .join(Consultation, Consultation.id == Contribution.consultation_id)
        .where(Contribution.hidden_at.is_not(None), _open_appeal())
    )
    if institution_id is not None:
        query = query.where(Consultation.institution_id == institution_id)
    return db.session.execute(query).scalar_one()


def _encode(item: Contribution) -> str:
    return cursors.encode([item.reports_open, item.id])


def _decode(cursor: str | None) -> tuple[int, int] | None:
    if not cursor:
        return None
    reports_open, last_id = cursors.decode(cursor, cursors.integer, cursors.integer)
    return reports_open, last_id


def consultations_for(institution_id: int | None) -> list[Consultation]:
    """The consultations a moderator can filter on: published ones of the institution."""
    query = sa.select(Consultation).where(Consultation.published_at.is_not(None))
    if institution_id is not None:
        query = query.where(Consultation.institution_id == institution_id)
    return list(db.session.scalars(query.order_by(Consultation.opens_at.desc())))


def reports_of(contribution: Contribution) -> list[Report]:
    return list(
        db.session.scalars(
            sa.select(Report)
            .where(Report.contribution_id == contribution.id)
            .order_by(Report.id.desc())
            .options(selectinload(Report.reporter))
        )
    )


def decisions(
    *,
    institution_id: int | None,
    contribution_id: int | None = None,
    subject_id: int | None = None,
    limit: int = 100,
    before: int | None = None,
) -> list[ModerationDecision]:
    """The moderation journal, newest first."""
    query = sa.select(ModerationDecision).options(
        selectinload(ModerationDecision.moderator),
        selectinload(ModerationDecision.subject),
        selectinload(ModerationDecision.contribution),
        selectinload(ModerationDecision.duplicate_of),
    )
    if institution_id is not None:
        query = query.where(ModerationDecision.institution_id == institution_id)
    if contribution_id is not None:
        query = query.where(ModerationDecision.contribution_id == contribution_id)
    if subject_id is not None:
        query = query.where(ModerationDecision.subject_id == subject_id)
    if before is not None:
        query = query.where(ModerationDecision.id < before)
    return list(db.session.scalars(query.order_by(ModerationDecision.id.desc()).limit(limit)))


def blocks(institution_id: int | None, *, active_only: bool = True) -> list[ParticipationBlock]:
    query = sa.select(ParticipationBlock).options(
        selectinload(ParticipationBlock.user), selectinload(ParticipationBlock.institution)
    )
    if institution_id is not None:
        query = query.where(ParticipationBlock.institution_id == institution_id)
    if active_only:
        query = query.where(ParticipationBlock.lifted_at.is_(None))
    return list(db.session.scalars(query.order_by(ParticipationBlock.id.desc())))


@dataclass(frozen=True)
class ReportState:
    """What a page offers one person about reporting one contribution."""

    can_report: bool
    has_reported: bool


def report_states(
    actor: User | None, consultation: Consultation, contributions: Iterable[Contribution]
) -> dict[int, ReportState]:
    """Per contribution id, whether `actor` may report it (`services.report_refusal`) and
    whether they already have: a fixed number of queries for a page of contributions."""
    items = list(contributions)
    reported = services.reported_by(actor, [c.id for c in items])
    signed_in = actor is not None and actor.is_authenticated
    block = participation.active_block(actor, consultation.institution_id) if signed_in else None
    return {
        c.id: ReportState(
            can_report=services.report_refusal(actor, c, reported=c.id in reported, block=block)
            is None,
            has_reported=c.id in reported,
        )
        for c in items
    }
