"""Search at RN×10: building the index, then two-word queries, p50/p95/p99.

On the database built by `generate.py` (85,000 contributions bulk-loaded without the
services, so without their index rows), the index is rebuilt as `flask search reindex` does
(`search.indexer.rebuild`, timed), then `--queries` two-word queries are run through
`search.services.search` — what the results page and the API call: the capped count, the
page of 20, the highlighted titles and extracts. Each query's two words are
drawn from one random public contribution (so that it finds something, as real queries do),
then from two (pairs that match few documents or none).

    .venv/bin/python bench/search.py [--run bench/out/run.json] [--queries 300] [--no-reindex]

Prints the index time and size, then the latency percentiles and the mean number of results.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("CONSULTATION_ENV", "development")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", default="bench/out/run.json")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--no-reindex", action="store_true")
    parser.add_argument("--seed", type=int, default=2026)
    arguments = parser.parse_args()
    run = json.loads(Path(arguments.run).read_text())

    import sqlalchemy as sa
    from flask_migrate import upgrade

    from consultation import create_app
    from consultation.extensions import db
    from consultation.participation.models import Contribution
    from consultation.search import indexer, services, text
    from consultation.search.models import SearchDocument

    app = create_app({"SQLALCHEMY_DATABASE_URI": run["database_url"]})
    with app.app_context():
        backend = db.engine.dialect.name
        print(f"database: {backend} ({run['database_url']})")
        started = time.perf_counter()
        upgrade()  # a database generated before the search existed gets its index here
        print(f"migrations to head: {time.perf_counter() - started:.1f} s")
        if not arguments.no_reindex:
            started = time.perf_counter()
            count = indexer.rebuild(db.session.connection())
            db.session.commit()
            print(f"index rebuilt: {count} documents in {time.perf_counter() - started:.1f} s")
        if backend == "postgresql":
            db.session.execute(sa.text("ANALYZE search_documents"))
            db.session.commit()
        documents = db.session.scalar(sa.select(sa.func.count()).select_from(SearchDocument))
        print(f"documents in the index: {documents}")

        rng = random.Random(arguments.seed)
        ids = db.session.scalars(sa.select(Contribution.id).where(Contribution.is_public)).all()

        def words_of_one() -> list[str]:
            body = db.session.scalar(
                sa.select(Contribution.body).where(Contribution.id == rng.choice(ids))
            )
            return sorted({w for w in text.WORD.findall(body) if text.term(w)})

        # Two words of one contribution: most such pairs match thousands of documents. Two
        # words of two contributions: many match a few, or none — the pairs that a walk down
        # the primary key would read the whole index for.
        common, rare = [], []
        while len(common) < arguments.queries:
            words = words_of_one()
            if len(words) >= 2:
                common.append(" ".join(rng.sample(words, 2)))
        while len(rare) < arguments.queries:
            first, second = words_of_one(), words_of_one()
            if first and second:
                rare.append(f"{rng.choice(first)} {rng.choice(second)}")
        db.session.commit()

        services.search(common[0])  # warm: templates, caches, statements
        for name, queries in (("two words of one contribution", common), ("of two", rare)):
            timings, totals = [], []
            for query in queries:
                started = time.perf_counter()
                page = services.search(query)
                timings.append((time.perf_counter() - started) * 1000)
                totals.append(page.total)
                db.session.rollback()
            print(f"{len(queries)} queries, {name} (e.g. {queries[1]!r}, {queries[2]!r})")
            print(
                f"  latency ms: p50 {percentile(timings, 0.50):.1f}"
                f"  p95 {percentile(timings, 0.95):.1f}"
                f"  p99 {percentile(timings, 0.99):.1f}  max {max(timings):.1f}"
            )
            print(
                f"  results per query (counted up to {services.COUNT_CAP}): "
                f"mean {statistics.mean(totals):.0f}, median {statistics.median(totals):.0f}, "
                f"none for {sum(1 for t in totals if not t)}"
            )


if __name__ == "__main__":
    main()
