"""Public pages of the record: how to verify it (with the platform's public key), and what
the consultation page shows of it (its latest signed checkpoint)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template

from consultation.consultations.models import Consultation
from consultation.ledger import services, signing
from consultation.ledger.models import LedgerCheckpoint

bp = Blueprint("ledger", __name__)


@bp.get("/donnees-ouvertes/registre")
def verification():
    """What the record guarantees and how anyone checks an export against it."""
    try:
        public_key = signing.public_key_base64()
    except signing.LedgerKeyMissing:
        public_key = None
    return render_template("ledger/verification.html", public_key=public_key)


def checkpoint_summary(consultation: Consultation) -> dict | None:
    """The latest checkpoint as the consultation page shows it (a template helper: one query,
    made only when the page is rendered, and part of the page's cache stamp)."""
    checkpoint = services.latest_checkpoint(consultation.id)
    if checkpoint is None:
        return None
    return {
        "tree_size": checkpoint.tree_size,
        "root_hash": checkpoint.root_hash.hex(),
        "created_at": checkpoint.created_at,
        "reason": checkpoint.reason,
    }


_checkpoints = LedgerCheckpoint.__table__


def latest_checkpoint_column(consultations: sa.Table):
    """The id of the consultation's latest checkpoint, as a column of the page's stamp query."""
    return (
        sa.select(sa.func.max(_checkpoints.c.id))
        .where(_checkpoints.c.consultation_id == consultations.c.id)
        .scalar_subquery()
        .label("ledger_checkpoint_id")
    )
