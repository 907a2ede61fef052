"""Whether caching translated labels for the request would make a list page faster.

Renders the demo's contributions list page (`flask demo`, SQLite in a temporary folder), in
French or (`--lang en`) English, through the test client, `--requests` times per round, in
rounds alternating between the application as it is and one whose enum labels (every enum's
`label`, made by `core.i18n.lazy` when read) are translated once per request and served from
`flask.g` after. Prints the mean CPU time per page of each round (process time: less disturbed
by other processes), how many labels a page translates, and the cost of one page's lookups
alone with and without the cache.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("CONSULTATION_ENV", "test")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from flask import g  # noqa: E402
from flask_babel import gettext  # noqa: E402

from consultation import create_app  # noqa: E402
from consultation.consultations.models import Consultation  # noqa: E402
from consultation.core import i18n  # noqa: E402
from consultation.extensions import db  # noqa: E402

lookups = 0


def counted_gettext(message: str, **variables):
    global lookups
    lookups += 1
    return gettext(message, **variables)


def cached_gettext(message: str, **variables):
    """As `gettext`, the translation of `message` kept in `g` for the rest of the request (the
    locale is the request's)."""
    global lookups
    lookups += 1
    cache = g.setdefault("label_translations", {})
    key = (message, tuple(sorted(variables.items())))
    if key not in cache:
        cache[key] = gettext(message, **variables)
    return cache[key]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each variant")
    parser.add_argument("--lang", choices=("fr", "en"), default="fr", help="the page's language")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/demo.db",
                "BASE_URL": "http://localhost",
                "MAIL_OUTBOX": f"{folder}/outbox",
            }
        )
        with app.app_context():
            db.create_all()
            result = app.test_cli_runner().invoke(args=["demo"])
            assert result.exit_code == 0, result.output
            slug = db.session.scalar(
                sa.select(Consultation.slug).where(Consultation.title.like("Projet de loi%"))
            )
        url = f"/consultations/{slug}/contributions"
        client = app.test_client()
        client.set_cookie("lang", args.lang)
        variants = {"as is": counted_gettext, "cached": cached_gettext}
        for function in variants.values():  # warm up: templates compiled, caches filled
            i18n.gettext = function
            for _ in range(20):
                assert client.get(url).status_code == 200
        print(f"{url} ({args.lang}), {args.requests} requests a round, mean CPU ms per page")
        means: dict[str, list[float]] = {name: [] for name in variants}
        global lookups
        for _ in range(args.rounds):
            for name, function in variants.items():
                i18n.gettext = function
                lookups = 0
                started = time.process_time()
                for _ in range(args.requests):
                    client.get(url)
                means[name].append(1000 * (time.process_time() - started) / args.requests)
                per_page = lookups / args.requests
                print(f"  {name:7} {means[name][-1]:6.2f} ms ({per_page:.0f} lazy translations)")
        plain, cached = (statistics.median(means[name]) for name in variants)
        print(f"median: as is {plain:.2f} ms, cached {cached:.2f} ms ({cached / plain - 1:+.1%})")
        # The lookups alone, less noisy than whole pages on a shared machine: one page's worth
        # of a label read and shown (str), best of 5 runs of 1,000 pages.
        per_page = round(lookups / args.requests)
        with app.test_request_context(headers={"Cookie": f"lang={args.lang}"}):
            for name, function in variants.items():
                i18n.gettext = function
                best = min(_time_labels(per_page, 1000) for _ in range(5))
                print(f"  {per_page} label lookups, {name:7}: {best:.1f} µs a page")
        i18n.gettext = gettext


def _time_labels(count: int, pages: int) -> float:
    """Microseconds per page to show `count` enum labels, over `pages` pages."""
    from consultation.participation.models import Opinion

    states = list(Opinion)
    started = time.process_time()
    for _ in range(pages):
        g.pop("label_translations", None)
        for n in range(count):
            str(states[n % len(states)].label)
    return 1e6 * (time.process_time() - started) / pages


if __name__ == "__main__":
    main()
