"""What the open-data exports publish besides the record and the consultation as published
(`ledger.published`: the consultation, its notice, the consulted text), as plain data: the
licence, the official answers, the aggregated votes per contribution and the moderation figures
by reason.

`export.json` (`opendata.json_export.document`) and the CSVs of `export.zip`
(`opendata.package`) read the same functions, so that the two formats say the same thing. What
may be large (answers, votes per contribution) is an iterator over a server-side cursor, read
`BATCH` rows at a time; what is small by nature (a dozen reasons) is a list. Nothing here names
a participant: the answers are the institution's, the votes are counts.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from consultation.consultations.models import Consultation
from consultation.core.charter import REASON_LABELS
from consultation.core.clock import isoformat
from consultation.extensions import db
from consultation.moderation.services import public_figures
from consultation.participation.models import Contribution
from consultation.participation.models import contribution_state as state_of
from consultation.synthesis.models import Answer

BATCH = 1000
LICENCE_NAME = "Licence Ouverte 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


def licence() -> dict[str, Any]:
    return {"name": LICENCE_NAME, "url": LICENCE_URL}


def contribution_state(withdrawn_at: datetime | None, hidden_at: datetime | None) -> str:
    """published, withdrawn or hidden, as the exports write it: only a published
    contribution's texts (and its answer's text) are in them. The rule itself is
    `participation.models.contribution_state`, used by every surface."""
    return state_of(withdrawn_at, hidden_at).value


def status_changed_at(consultation: Consultation, now: datetime) -> datetime | None:
    """When the consultation last changed status by the clock alone (its opening or closing),
    which changes the export's `status` without any row changing."""
    moments = (consultation.opens_at, consultation.closes_at)
    return max((moment for moment in moments if moment and moment <= now), default=None)


def moderation(consultation: Consultation) -> dict[str, Any]:
    """The public moderation figures: totals, then reports and hidden contributions by reason
    of the charter (every reason, zero included)."""
    figures = public_figures(consultation)
    return {
        "contributions": figures.contributions,
        "reports": figures.reports,
        "hidden": figures.hidden,
        "restored": figures.restored,
        "dismissed": figures.dismissed,
        "duplicates": figures.duplicates,
        "by_reason": [
            {
                "reason": reason.value,
                "label": label,
                "reports": figures.reports_by_reason.get(reason, 0),
                "hidden": figures.hidden_by_reason.get(reason, 0),
            }
            for reason, label in REASON_LABELS.items()
        ],
    }


def answers(consultation_id: int) -> Iterator[dict[str, Any]]:
    """The official answers, in the order of the contributions answered; the text of an answer
    to a withdrawn or hidden contribution is left out, as the contribution's is."""
    c = Contribution
    rows = db.session.execute(
        sa.select(
            c.tracking_number,
            c.withdrawn_at,
            c.hidden_at,
            Answer.status,
            Answer.body,
            Answer.created_at,
            Answer.updated_at,
        )
        .join(c, c.id == Answer.contribution_id)
        .where(Answer.consultation_id == consultation_id)
        .order_by(c.id)
        .execution_options(yield_per=BATCH)
    )
    try:
        for row in rows:
            shown = state_of(row.withdrawn_at, row.hidden_at).shows_text
            yield {
                "tracking_number": row.tracking_number,
                "status": row.status.value,
                "label": row.status.label_fr,
                "body": row.body if shown else None,
                "first_answered_at": isoformat(row.created_at),
                "answered_at": isoformat(row.updated_at),
            }
    finally:
        rows.close()


def contribution_votes(consultation_id: int) -> Iterator[tuple[Any, ...]]:
    """(tracking number, agree, mixed, disagree) of every contribution, oldest first."""
    c = Contribution
    rows = db.session.execute(
        sa.select(c.tracking_number, c.votes_agree, c.votes_mixed, c.votes_disagree)
        .where(c.consultation_id == consultation_id)
        .order_by(c.id)
        .execution_options(yield_per=BATCH)
    )
    try:
        yield from (tuple(row) for row in rows)
    finally:
        rows.close()
