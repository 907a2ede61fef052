"""Acts that the tamper-evident record keeps, announced by the domains that perform them.

Participation and moderation sit below the ledger and do not import it: each act (a
contribution, an edit, a withdrawal, a vote, a moderation decision) is announced here, inside
the transaction that performs it, and the ledger, connected at start-up, appends it to the
consultation's log in that same transaction (a rolled-back act leaves no entry).

`record(consultation_id, kind, at, **data)` takes any kind and any public data (strings,
integers, booleans, None, and lists or dicts of them). Two keys are special, so that the
record never holds an identity or a participant's text in clear:

- `participant_id`: a user id, written as the participant's pseudonym in this consultation;
- `content`: a dict of texts, written as the SHA-256 of its canonical JSON (`content_sha256`),
  which lets an export drop a withdrawn or hidden text and still be checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from blinker import Namespace

_signals = Namespace()
act_recorded = _signals.signal("act-recorded")
receipt_requested = _signals.signal("receipt-requested")


@dataclass(frozen=True)
class Receipt:
    """Where an act sits in its consultation's record: the entry's index (from 0) and the
    hex SHA-256 leaf hash that the record's Merkle tree commits to."""

    index: int
    leaf_hash: str


def record(consultation_id: int, kind: str, at: datetime, **data: Any) -> Receipt | None:
    """Announce an act of `kind` on a consultation, at `at` (UTC), with its public `data`.
    Returns the entry's receipt (None when no record is connected)."""
    results = act_recorded.send(None, consultation_id=consultation_id, kind=kind, at=at, data=data)
    return next((result for _receiver, result in results if result is not None), None)


def receipt(tracking_number: str) -> Receipt | None:
    """The receipt of the entry that recorded the submission of this contribution."""
    results = receipt_requested.send(None, tracking_number=tracking_number)
    return next((result for _receiver, result in results if result is not None), None)
