"""A contribution is acknowledged only after its commit, and survives a killed server.

gunicorn serves the app on the test database (SQLite in WAL mode with synchronous=FULL, as in
development and production, or PostgreSQL); participants send contributions through the API
without pause; the master and its workers are killed with SIGKILL in the middle of the stream,
then the server is started again. Every contribution that got its 201 is in the database with
the tracking number the answer gave, and the restarted server serves it.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import sqlalchemy as sa

from consultation.accounts import services as accounts
from consultation.participation.models import Contribution

ROOT = Path(__file__).resolve().parent.parent


class Server:
    """gunicorn in its own process group, so that one signal reaches the master and workers."""

    def __init__(self, database_url: str, instance: Path):
        self.database_url, self.instance = database_url, instance
        self.process: subprocess.Popen | None = None

    def start(self, workers: int = 2) -> str:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        env = dict(
            os.environ,
            CONSULTATION_ENV="development",
            DATABASE_URL=self.database_url,
            INSTANCE_PATH=str(self.instance),
            RATE_LIMITS_ENABLED="0",  # one participant sends far more than a person would
        )
        command = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", "4"]
        command += ["--bind", f"127.0.0.1:{port}", "--log-level", "critical", "wsgi:app"]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(base + "/api/v1/consultations", timeout=2):
                    return base
            except OSError:
                time.sleep(0.05)
        self.kill()
        pytest.fail("gunicorn did not start")

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once: no clean shutdown of anything."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def server(app, tmp_path):
    running = Server(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path)
    yield running
    running.kill()


def _post(base: str, path: str, token: str, body: dict) -> tuple[int, dict | None]:
    request = urllib.request.Request(
        base + path,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        error.close()
        return error.code, None


def test_acknowledged_contributions_survive_a_killed_server(
    server, db, make_consultation, make_user
):
    consultation = make_consultation("open")
    tokens = [accounts.create_api_token(make_user())[1] for _ in range(4)]
    path = f"/api/v1/consultations/{consultation.slug}/contributions"
    db.session.commit()  # and touch nothing more while the server writes (SQLite's lock)

    acknowledged: dict[str, str] = {}  # tracking number -> body
    lock, stop = threading.Lock(), threading.Event()

    def participant(n: int, base: str) -> None:
        sent = 0
        while not stop.is_set():
            body = f"Contribution {n}-{sent} envoyée pendant l'arrêt brutal du serveur."
            sent += 1
            try:
                status, answer = _post(base, path, tokens[n], {"kind": "comment", "body": body})
            except (OSError, http.client.HTTPException, ValueError):
                # The server went away before the whole answer arrived (refused, reset, or a
                # body cut short): this one was never acknowledged.
                continue
            if status == 201:
                with lock:
                    acknowledged[answer["tracking_number"]] = body

    base = server.start()
    threads = [threading.Thread(target=participant, args=(n, base)) for n in range(4)]
    for thread in threads:
        thread.start()
    # 40 acknowledgements take about a second on an idle machine; the deadline only matters
    # on a loaded one (the suite's other workers), where the server answers slowly.
    deadline = time.monotonic() + 90
    while len(acknowledged) < 40 and time.monotonic() < deadline:
        time.sleep(0.02)
    server.kill()  # requests are in flight on every thread
    time.sleep(0.2)
    stop.set()
    for thread in threads:
        thread.join(timeout=15)
    assert len(acknowledged) >= 40

    base = server.start(workers=1)
    status, after = _post(
        base, path, tokens[0], {"kind": "comment", "body": "Après le redémarrage."}
    )
    assert status == 201
    number = next(iter(acknowledged))
    with urllib.request.urlopen(f"{base}/suivi?numero={number}") as response:
        assert response.status == 200  # redirected to the contribution's page
    server.kill()

    db.session.expire_all()
    stored = dict(
        db.session.execute(
            sa.select(Contribution.tracking_number, Contribution.body).where(
                Contribution.consultation_id == consultation.id
            )
        ).all()
    )
    lost = {n: body for n, body in acknowledged.items() if stored.get(n) != body}
    assert lost == {}
    assert stored[after["tracking_number"]] == "Après le redémarrage."
    db.session.rollback()
