"""What the synthesis adds to the public consultation page: the adopted act once the synthesis
is published, and whether the signed-in visitor follows the consultation. Registered on the
application by `synthesis.init_app` (`core.pagecache.register_part`), each with its share of
the page's cache stamp. Also what it adds to the contributions pages (participation's
`CARDS` and `CONTRIBUTIONS_PAGE`): where each contribution stands, and the notice's
commitment to answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from consultation.consultations.constants import Status
from consultation.consultations.models import Consultation
from consultation.participation.models import Contribution
from consultation.synthesis import adoption, follow_ups, queries, services
from consultation.synthesis.models import AdoptedAct


@dataclass(frozen=True)
class ActSummary:
    """The act recorded after the consultation, as the consultation page shows it."""

    signed_on: date
    reference: str


def adopted_act(consultation: Consultation, _viewer: Any, now: datetime) -> ActSummary | None:
    """The act, once the synthesis is published and the act recorded (else None)."""
    if consultation.status_at(now) is not Status.synthesis_published:
        return None
    act = adoption.adopted_act(consultation)
    if act is None:
        return None
    return ActSummary(signed_on=act.signed_on, reference=act.reference)


def act_stamp_column(consultations: sa.Table) -> sa.ColumnElement[Any]:
    """When the act was last recorded (each correction records it again), as a column of the
    consultation page's stamp query."""
    acts = AdoptedAct.__table__.c
    return (
        sa.select(sa.func.max(acts.recorded_at))
        .where(acts.consultation_id == consultations.c.id)
        .scalar_subquery()
        .label("adopted_act_recorded_at")
    )


def following(consultation: Consultation, viewer: Any, _now: datetime) -> bool:
    """Whether the signed-in visitor follows the consultation (its follow button). Always
    False for an anonymous visitor, the only one who gets the shared page: no stamp needed."""
    return follow_ups.is_following(viewer, consultation)


def statuses(
    contributions: list[Contribution], _viewer: Any, _now: datetime
) -> dict[int, queries.ContributionStatus]:
    """Where each of these contributions stands, by id, for their cards, the contribution's
    page and "Mes contributions" (`queries.contribution_statuses`)."""
    return queries.contribution_statuses(contributions)


def commitment(
    consultation: Consultation, _viewer: Any, _now: datetime
) -> services.Commitment | None:
    """The notice's commitment to answer the most supported contributions, with its progress
    (the contributions page)."""
    return services.commitment_progress(consultation)
