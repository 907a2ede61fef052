"""Import a long generated bill and render its consultation page.

    .venv/bin/python bench/text_import.py [--articles 40 400 2000] [--database-url URL]

Prints, per size: parse time, save time, consultation page time (median of 5) and the number
of SQL statements the page issues (it must not grow with the number of articles).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("CONSULTATION_ENV", "test")

from sqlalchemy import event  # noqa: E402

from consultation import create_app  # noqa: E402
from consultation.accounts import services as accounts  # noqa: E402
from consultation.accounts.models import Role  # noqa: E402
from consultation.consultations import services as consultations  # noqa: E402
from consultation.core import clock  # noqa: E402
from consultation.extensions import db  # noqa: E402
from consultation.texts.importer import parse_text  # noqa: E402

WORDS = [
    "le",
    "présent",
    "article",
    "précise",
    "les",
    "conditions",
    "dans",
    "lesquelles",
    "l'administration",
    "publie",
    "les",
    "données",
    "ouvertes",
    "relatives",
    "aux",
    "services",
    "publics",
    "numériques",
    "et",
    "à",
    "leur",
    "accessibilité",
]


def generate_bill(articles: int) -> str:
    lines = []
    for number in range(1, articles + 1):
        if number % 40 == 1:
            lines += [f"TITRE {number // 40 + 1}", "DISPOSITIONS DIVERSES", ""]
        if number % 10 == 1:
            lines += [f"Chapitre {number // 10 + 1}", "Mesures d'application", ""]
        lines.append("Article 1er" if number == 1 else f"Article {number}")
        for paragraph in range(1, 4):
            words = [WORDS[(number * 7 + paragraph * 3 + i) % len(WORDS)] for i in range(30)]
            lines.append(f"{paragraph}° " + " ".join(words) + ".")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[40, 400, 2000])
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-text-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "MAIL_OUTBOX": str(workdir / "outbox")})
    print(f"database: {url.split('@')[-1]}")
    print(
        f"{'articles':>8} {'parse ms':>9} {'save ms':>8} {'page ms':>8} {'queries':>8} {'page KB':>8}"
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        institution = accounts.create_institution("bench", "Bench")
        organiser = accounts.create_user(
            "bench@example.org", role=Role.organiser, institution=institution, verified=True
        )
        db.session.commit()
        institution_id, organiser_id = institution.id, organiser.id
        statements = []
        event.listen(db.engine, "before_cursor_execute", lambda *a, **k: statements.append(1))
        client = app.test_client()
        for count in args.articles:
            institution = db.session.get(type(institution), institution_id)
            organiser = db.session.get(type(organiser), organiser_id)
            source = generate_bill(count)
            start = time.perf_counter()
            parse_text(source)
            parse_ms = (time.perf_counter() - start) * 1000
            opens = clock.now() - timedelta(days=1)
            start = time.perf_counter()
            consultation = consultations.create_consultation(
                organiser,
                institution,
                title=f"Bench {count}",
                summary="Bench.",
                legal_basis="crpa_l131_1",
                opens_at=opens,
                closes_at=clock.add_paris_days(opens, 30),
                text=source,
                notice={
                    "object": "Bench",
                    "explanatory_note": "Bench",
                    "synthesis_expected_on": clock.to_paris(opens).date() + timedelta(days=60),
                },
                now=opens - timedelta(days=2),
            )
            consultations.publish_consultation(
                organiser, consultation, now=opens - timedelta(days=1)
            )
            db.session.commit()
            save_ms = (time.perf_counter() - start) * 1000
            url = f"/consultations/{consultation.slug}"
            timings, size = [], 0
            for _ in range(5):
                db.session.remove()
                statements.clear()
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
                size = len(response.data)
                assert response.status_code == 200
            print(
                f"{count:>8} {parse_ms:>9.1f} {save_ms:>8.1f} {statistics.median(timings):>8.1f} "
                f"{len(statements):>8} {size / 1024:>8.0f}"
            )


if __name__ == "__main__":
    main()
