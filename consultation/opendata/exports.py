"""The consultation's open data beyond the JSON export: the contributions as CSV, and the
version of the exports that conditional requests compare.

`contributions_csv` streams one row per contribution from the same query and the same record
as `export.json` (`ledger.export.contributions`), flattened: what the JSON says, the CSV says,
in RFC 4180 with a header row, read in one snapshot, `CHUNK` characters at a time.

`export_version` tells a reuser whether anything in the exports changed since their last
download, from four indexed reads: the size of the tamper-evident record and the time of its
last entry (every contribution, edit, withdrawal, vote, moderation act, erasure and published
synthesis version is one), the latest official answer and the latest change of a follow-up
(neither is in the record), and the consultation's own last change. Limit: a participant changing their display name changes neither; the name is read
fresh at the next change of anything else.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from datetime import datetime

import sqlalchemy as sa

from consultation.consultations.models import Consultation
from consultation.extensions import db
from consultation.ledger import export
from consultation.ledger.models import LedgerEntry, LedgerHead
from consultation.synthesis.models import Answer, FollowUp

CHUNK = 64 * 1024

# (column, how to read it from a contribution record of the JSON export)
CONTRIBUTION_COLUMNS = (
    ("tracking_number", lambda r: r["tracking_number"]),
    ("kind", lambda r: r["kind"]),
    ("article", lambda r: r["article"]),
    ("paragraph", lambda r: r["paragraph"]),
    ("position", lambda r: r["position"]),
    ("parent", lambda r: r["parent"]),
    ("state", lambda r: r["state"]),
    ("hidden_reason", lambda r: r["hidden_reason"]),
    ("created_at", lambda r: r["created_at"]),
    ("edited_at", lambda r: r["edited_at"]),
    ("author_type", lambda r: r["author"]["type"]),
    ("author_name", lambda r: r["author"]["name"]),
    ("organisation", lambda r: r["author"].get("organisation")),
    ("organisation_category", lambda r: r["author"].get("organisation_category")),
    ("hatvp_number", lambda r: r["author"].get("hatvp_number")),
    ("offline_channel", lambda r: r["offline_channel"]),
    ("title", lambda r: r["title"]),
    ("body", lambda r: r["body"]),
    ("proposed_text", lambda r: r["proposed_text"]),
    ("url", lambda r: r["url"]),
    ("votes_agree", lambda r: r["votes"]["agree"]),
    ("votes_mixed", lambda r: r["votes"]["mixed"]),
    ("votes_disagree", lambda r: r["votes"]["disagree"]),
    ("content_sha256", lambda r: r["content_sha256"]),
    ("answer_status", lambda r: r["answer"] and r["answer"]["status"]),
    ("answer_body", lambda r: r["answer"] and r["answer"]["body"]),
    ("answered_at", lambda r: r["answer"] and r["answer"]["answered_at"]),
)


def contributions_csv(consultation_id: int) -> Iterator[str]:
    """Every contribution of the consultation, oldest first, as CSV text chunks; empty cells
    for what is absent (the texts of a withdrawn or hidden contribution)."""
    export.begin_snapshot()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(name for name, _read in CONTRIBUTION_COLUMNS)
    for record in export.contributions(consultation_id):
        writer.writerow(_cell(read(record)) for _name, read in CONTRIBUTION_COLUMNS)
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
    db.session.commit()  # nothing was written: this only ends the snapshot


def _cell(value) -> str:
    return "" if value is None else str(value)


def export_version(consultation: Consultation) -> tuple[str, datetime]:
    """The exports' entity tag (weak: `generated_at` differs between two downloads of the same
    data) and their last modification."""
    size = (
        db.session.scalar(
            sa.select(LedgerHead.size).where(LedgerHead.consultation_id == consultation.id)
        )
        or 0
    )
    last_entry = (
        db.session.scalar(
            sa.select(LedgerEntry.recorded_at).where(
                LedgerEntry.consultation_id == consultation.id,
                LedgerEntry.leaf_index == size - 1,
            )
        )
        if size
        else None
    )
    last_answer = db.session.scalar(
        sa.select(sa.func.max(Answer.updated_at)).where(Answer.consultation_id == consultation.id)
    )
    last_follow_up = db.session.scalar(
        sa.select(sa.func.max(FollowUp.updated_at)).where(
            FollowUp.consultation_id == consultation.id
        )
    )
    moments = [
        moment
        for moment in (consultation.updated_at, last_entry, last_answer, last_follow_up)
        if moment is not None
    ]
    parts = (
        export.FORMAT,
        consultation.id,
        size,
        last_answer,
        last_follow_up,
        consultation.updated_at,
    )
    tag = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return tag, max(moments)
