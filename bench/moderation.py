"""Moderation at RN×10: how long a moderator waits for the queue and for a bulk decision.

On the database built by `generate.py`, 500 participants report 500 contributions, then the
queue's first page is read (most reported first, all 85,000 contributions of the institution
behind it, with and without filters) and the 500 are hidden in one bulk action, each with its
decision row and its entry in the tamper-evident record. Everything is rolled back at the end:
the benchmark database is left as it was.

    .venv/bin/python bench/moderation.py [--run bench/out/pg/run.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("CONSULTATION_ENV", "development")

REPORTED = 500


def timed(label: str, function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    print(f"{label:<58} {1000 * (time.perf_counter() - start):9.1f} ms")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", default="bench/out/run.json")
    run = json.loads(Path(parser.parse_args().run).read_text())

    from consultation import create_app
    from consultation.accounts.models import Role, User
    from consultation.consultations.models import Consultation
    from consultation.extensions import db
    from consultation.moderation import queries, services
    from consultation.participation.models import Contribution

    app = create_app({"SQLALCHEMY_DATABASE_URI": run["database_url"]})
    with app.app_context():
        consultation = db.session.scalar(
            db.select(Consultation).where(Consultation.slug == run["slug"])
        )
        moderator = User(
            email="bench-moderator@example.org",
            display_name="Modération (bench)",
            role=Role.moderator,
            institution_id=consultation.institution_id,
        )
        db.session.add(moderator)
        targets = db.session.scalars(
            db.select(Contribution)
            .where(Contribution.consultation_id == consultation.id)
            .order_by(Contribution.id.desc())
            .limit(REPORTED)
        ).all()
        reporters = db.session.scalars(
            db.select(User)
            .where(User.role == Role.participant, User.email_verified_at.is_not(None))
            .order_by(User.id)
            .limit(REPORTED)
        ).all()

        def report_all():
            for n, (target, reporter) in enumerate(zip(targets, reporters, strict=True)):
                if reporter.id != target.author_id:
                    services.report_contribution(reporter, target, "spam" if n % 5 else "insult")
            db.session.flush()

        timed(f"{REPORTED} reports (service calls)", report_all)
        for label, args in (
            ("queue, first page of 200 (reported)", {}),
            ("queue, reason = insult", {"reason": "insult"}),
            ("queue, all 85,000, first page of 200", {"state": "all"}),
            ("queue, text search", {"state": "all", "q": "numérique"}),
        ):
            filters = queries.parse_filters(moderator, args)
            items, _cursor, total = timed(label, queries.queue, filters, limit=200)
            print(f"{'':<58} {len(items)} shown of {total:,}")
        result = timed(
            f"bulk hide of {REPORTED} (decisions and record entries)",
            services.bulk_moderate,
            moderator,
            [t.id for t in targets],
            "hide",
            reason="spam",
        )
        db.session.flush()
        print(f"{'':<58} {len(result.done)} hidden, {len(result.skipped)} skipped")
        timed("public figures of the consultation", services.public_figures, consultation)
        db.session.rollback()


if __name__ == "__main__":
    main()
