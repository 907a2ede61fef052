"""Acts that the tamper-evident record keeps, announced by the domains that perform them.

Participation and moderation sit below the ledger and do not import it: each act (a
contribution, an edit, a withdrawal, a vote, a moderation decision) is announced here, inside
the transaction that performs it, and the ledger, connected at start-up, appends it to the
consultation's log in that same transaction.
"""

from __future__ import annotations

from datetime import datetime

from blinker import Namespace

_signals = Namespace()
act_recorded = _signals.signal("act-recorded")


def record(consultation_id: int, kind: str, at: datetime, **data) -> None:
    """Announce an act of `kind` on a consultation, at `at` (UTC), with its public `data`."""
    act_recorded.send(None, consultation_id=consultation_id, kind=kind, at=at, data=data)
