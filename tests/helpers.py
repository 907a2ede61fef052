"""Constants and small builders shared by the tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

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


DOWNLOAD_TYPES = {"json": "application/json", "csv": "text/csv", "zip": "application/zip"}


def download(client, url: str, **kwargs):
    """GET one of a consultation's exports as a reuser does and check what they notice first:
    a 200, the type its name announces, a file to save. The body is read whole, as a reuser
    reads it (the stream ends its own transaction); the caller then checks the content."""
    response = client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code, response.get_data()[:300])
    extension = url.split("?", 1)[0].rsplit(".", 1)[-1]
    assert response.mimetype == DOWNLOAD_TYPES[extension], (url, response.mimetype)
    assert "attachment" in response.headers["Content-Disposition"], url
    response.get_data()
    return response


# Browser tests: Debian's Chromium, driven by Playwright (no browser download).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
