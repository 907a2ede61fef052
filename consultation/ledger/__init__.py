"""The tamper-evident record: per-consultation Merkle trees, signed checkpoints, proofs and the
verification of an export (SPEC §6); the exports themselves are `opendata`'s, which reads the
record. It sits on top of the domains: they announce their acts through `core.journal`, and
`init_app` connects the record to it."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Connect the record to the journal, add the latest checkpoint to the consultation page
    (its value and its share of the page's cache stamp)."""
    from consultation.accounts.signals import public_profile_changed
    from consultation.consultations.queries import CONSULTATION_PAGE
    from consultation.core import journal, pagecache
    from consultation.ledger import queries, services
    from consultation.participation import services as participation

    journal.act_recorded.connect(services._on_act, weak=False)
    journal.receipt_requested.connect(services._on_receipt, weak=False)
    # A change of an author's public name is an entry of each consultation they wrote in.
    public_profile_changed.connect(participation.author_changed, weak=False)
    pagecache.register_part(
        app,
        CONSULTATION_PAGE,
        pagecache.PagePart(
            "ledger_checkpoint", queries.checkpoint_summary, queries.latest_checkpoint_column
        ),
    )
