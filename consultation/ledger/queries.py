"""What the record adds to other pages: the consultation page's latest signed checkpoint,
with its share of that page's cache stamp."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from consultation.consultations.models import Consultation
from consultation.ledger import services
from consultation.ledger.models import LedgerCheckpoint


@dataclass(frozen=True)
class CheckpointSummary:
    """The latest checkpoint as the consultation page shows it."""

    tree_size: int
    root_hash: str
    created_at: datetime
    reason: str


def checkpoint_summary(
    consultation: Consultation, _viewer: Any, _now: datetime
) -> CheckpointSummary | None:
    """The consultation's latest checkpoint, or None before the first (a part of the
    consultation page: `latest_checkpoint_column` is its stamp)."""
    checkpoint = services.latest_checkpoint(consultation.id)
    if checkpoint is None:
        return None
    return CheckpointSummary(
        tree_size=checkpoint.tree_size,
        root_hash=checkpoint.root_hash.hex(),
        created_at=checkpoint.created_at,
        reason=checkpoint.reason,
    )


_checkpoints = LedgerCheckpoint.__table__


def latest_checkpoint_column(consultations: sa.Table) -> sa.ColumnElement[Any]:
    """The id of the consultation's latest checkpoint, as a column of the page's stamp query."""
    return (
        sa.select(sa.func.max(_checkpoints.c.id))
        .where(_checkpoints.c.consultation_id == consultations.c.id)
        .scalar_subquery()
        .label("ledger_checkpoint_id")
    )
