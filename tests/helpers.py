"""Constants and small builders shared by the tests."""

from __future__ import annotations

from datetime import datetime, timedelta

from consultation.core import clock

SAMPLE_TEXT = """TITRE Ier
DISPOSITIONS GÉNÉRALES

Article 1er
La présente loi a pour objet de favoriser la participation du public.
Elle s'applique aux administrations de l'État.

Article 2
Les consultations sont ouvertes à toute personne.

Article 3
Un décret en Conseil d'État précise les modalités d'application de la présente loi.
"""
PASSWORD = "un mot de passe solide"


def count_queries(client, db, url: str) -> int:
    """How many SQL statements a GET of `url` issues (and check it answers 200)."""
    from sqlalchemy import event

    statements = []

    def count(*_args, **_kwargs):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def complete_notice(closes_at: datetime) -> dict:
    return {
        "object": "Recueillir l'avis du public sur le projet.",
        "explanatory_note": "Le projet vise à simplifier les démarches.",
        "entry_into_force": "Au 1er janvier suivant la publication.",
        "synthesis_expected_on": clock.to_paris(closes_at).date() + timedelta(days=30),
    }
