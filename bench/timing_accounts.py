"""Does registration or a password-reset request answer faster for a known address?

    .venv/bin/python bench/timing_accounts.py [-n 60] [--smtp-delay-ms 20 | --outbox]
                                              [--database-url URL]

Sends, interleaved and in a random order each round, `n` requests of each kind through the
application's test client — registration with an address that has an account and with a new
one, reset request for a known and for an unknown address — and prints, per kind, the median,
p90 and mean time until the answer is complete (what a client measures; an e-mail delivered
after the answer is not counted, as a WSGI server sends the answer before closing it). The
application runs with the production password hashing (scrypt) and SQLite's
`synchronous=FULL`; CSRF, the form timer and the rate limits are off so that every request is
served. E-mails go, as in production, through SMTP: a local sink that takes
`--smtp-delay-ms` (20) to accept each message, like a relay; `--outbox` writes them to the
outbox folder instead, as in development (where the file is written during the request).
"""

from __future__ import annotations

import argparse
import os
import random
import socketserver
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("CONSULTATION_ENV", "test")

import sqlalchemy as sa  # noqa: E402

from config import Config, normalize_database_url  # noqa: E402
from consultation import create_app  # noqa: E402
from consultation.accounts import services as accounts  # noqa: E402
from consultation.extensions import db  # noqa: E402

PASSWORD = "une phrase de passe de banc d'essai"
KNOWN = "connu@example.org"


class _SmtpSink(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: accepts every message after `delay` seconds."""

    delay = 0.0

    def _reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())
        self.wfile.flush()

    def handle(self) -> None:
        self._reply("220 sink")
        while line := self.rfile.readline():
            verb = line.decode(errors="replace").strip().split(" ")[0].upper()
            if verb == "EHLO":
                self._reply("250 sink")
            elif verb == "DATA":
                self._reply("354 go on")
                while self.rfile.readline() not in (b".\r\n", b""):
                    pass
                time.sleep(self.delay)
                self._reply("250 queued")
            elif verb == "QUIT":
                self._reply("221 bye")
                return
            else:
                self._reply("250 ok")


def start_smtp_sink(delay_ms: float) -> str:
    _SmtpSink.delay = delay_ms / 1000
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SmtpSink)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"smtp://127.0.0.1:{server.server_address[1]}"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=60, help="requests of each kind")
    parser.add_argument("--smtp-delay-ms", type=float, default=20.0)
    parser.add_argument("--outbox", action="store_true", help="the outbox folder, not SMTP")
    parser.add_argument("--database-url", default=None, help="PostgreSQL database to empty and use")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-accounts-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.db'}"
    if url.startswith("postgres"):
        url = normalize_database_url(url)
        if sa.make_url(url).database in ("test", "postgres"):
            raise SystemExit(f"refusing to empty the database {sa.make_url(url).database!r}")
    overrides = {
        "SQLALCHEMY_DATABASE_URI": url,
        "MAIL_OUTBOX": str(workdir / "outbox"),
        "PASSWORD_HASH_METHOD": Config.PASSWORD_HASH_METHOD,
        "SQLITE_SYNCHRONOUS": "FULL",
    }
    if not args.outbox:
        overrides["MAIL_URL"] = start_smtp_sink(args.smtp_delay_ms)
    app = create_app(overrides)
    with app.app_context():
        db.drop_all()
        db.create_all()
        accounts.create_user(KNOWN, display_name="Connu", password=PASSWORD, verified=True)
        db.session.commit()

    client = app.test_client()
    counter = iter(range(1_000_000))

    def register(email: str):
        return client.post(
            "/inscription",
            data={
                "email": email,
                "display_name": "Banc",
                "password": PASSWORD,
                "accept_terms": "y",
            },
        )

    def forgot(email: str):
        return client.post("/mot-de-passe-oublie", data={"email": email})

    kinds = {
        "registration, known address": lambda: register(KNOWN),
        "registration, new address": lambda: register(f"nouveau{next(counter)}@example.org"),
        "reset request, known address": lambda: forgot(KNOWN),
        "reset request, unknown address": lambda: forgot(f"inconnu{next(counter)}@example.org"),
    }
    timings: dict[str, list[float]] = {name: [] for name in kinds}
    warmup = 3
    for round_number in range(warmup + args.n):
        order = list(kinds)
        random.shuffle(order)
        for name in order:
            start = time.perf_counter()
            response = kinds[name]()
            response.get_data()
            elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 302, (name, response.status_code)
            response.close()  # what the server does once the answer is sent
            if round_number >= warmup:
                timings[name].append(elapsed)

    mail = "outbox folder" if args.outbox else f"SMTP, {args.smtp_delay_ms:g} ms a message"
    print(f"database: {url.split('@')[-1]}; e-mail: {mail}; {args.n} requests of each kind")
    print(f"{'request':<32} {'median ms':>10} {'p90 ms':>8} {'mean ms':>8}")
    for name, values in timings.items():
        print(
            f"{name:<32} {statistics.median(values):>10.1f} {percentile(values, 0.9):>8.1f} "
            f"{statistics.fmean(values):>8.1f}"
        )


if __name__ == "__main__":
    main()
