"""Public pages of the record: how to verify it (with the platform's public key). What the
consultation page shows of it (its latest signed checkpoint) is `ledger.queries`'."""

from __future__ import annotations

from flask import Blueprint, render_template

from consultation.ledger import signing

bp = Blueprint("ledger", __name__)


@bp.get("/donnees-ouvertes/registre")
def verification():
    """What the record guarantees and how anyone checks an export against it."""
    try:
        public_key = signing.public_key_base64()
    except signing.LedgerKeyMissing:
        public_key = None
    return render_template("ledger/verification.html", public_key=public_key)
