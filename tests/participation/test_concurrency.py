"""Exact counts under concurrent voting, against a multi-process server (gunicorn).

50 participants vote at once on one article, and one participant fires 20 votes at once on
another: every request gets a 200, the database holds one row per participant and target,
and the counts are exact — on SQLite and on PostgreSQL.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa

from consultation.accounts import services as accounts
from consultation.participation import tallies
from consultation.participation.models import ArticleVote, ContributionVote
from consultation.participation.services import submit_contribution

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(app, tmp_path):
    port = _free_port()
    env = dict(
        os.environ,
        CONSULTATION_ENV="development",
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        INSTANCE_PATH=str(tmp_path),
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "4",
            "--threads",
            "4",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/api/v1/consultations", timeout=2):
                break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("gunicorn did not start")
    yield base
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _post(url: str, token: str, body: dict | None, method: str = "POST") -> int:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        error.close()
        return error.code


def test_concurrent_votes_are_counted_exactly(server, db, make_consultation, make_user):
    consultation = make_consultation("open")
    first, second = consultation.current_version.articles[:2]
    voters = [make_user() for _ in range(50)]
    tokens = [accounts.create_api_token(user)[1] for user in voters]
    contribution = submit_contribution(voters[0], consultation, kind="comment", body="Un avis.")
    first_id, second_id, contribution_id = first.id, second.id, contribution.id
    slug = consultation.slug
    # Commit and touch nothing more: on SQLite an open transaction here would hold the lock.
    db.session.commit()

    values = ["agree"] * 30 + ["mixed"] * 5 + ["disagree"] * 15
    with ThreadPoolExecutor(max_workers=50) as pool:
        many = list(
            pool.map(
                lambda i: _post(
                    f"{server}/api/v1/articles/{first_id}/vote", tokens[i], {"value": values[i]}
                ),
                range(50),
            )
        )
        same = list(
            pool.map(
                lambda i: _post(
                    f"{server}/api/v1/articles/{second_id}/vote", tokens[0], {"value": "agree"}
                ),
                range(20),
            )
        )
        on_contribution = list(
            pool.map(
                lambda i: _post(
                    f"{server}/api/v1/contributions/{contribution_id}/vote",
                    tokens[i % 10],
                    {"value": "mixed"},
                ),
                range(40),
            )
        )
    assert many == [200] * 50 and same == [200] * 20 and on_contribution == [200] * 40

    db.session.expire_all()
    count = lambda model, column, target: db.session.scalar(  # noqa: E731
        sa.select(sa.func.count()).select_from(model).where(column == target)
    )
    assert count(ArticleVote, ArticleVote.article_id, first_id) == 50
    assert count(ArticleVote, ArticleVote.article_id, second_id) == 1
    assert count(ContributionVote, ContributionVote.contribution_id, contribution_id) == 10
    with urllib.request.urlopen(f"{server}/api/v1/consultations/{slug}") as response:
        detail = json.load(response)
    assert detail["articles"][0]["votes"] == {"agree": 30, "mixed": 5, "disagree": 15}
    assert detail["articles"][1]["votes"] == {"agree": 1, "mixed": 0, "disagree": 0}
    db.session.rollback()  # release SQLite's write lock before the next wave

    # A second wave: half the voters change their opinion while the other half withdraw it.
    def change_or_withdraw(i):
        url = f"{server}/api/v1/articles/{first_id}/vote"
        if i < 25:
            return _post(url, tokens[i], {"value": "disagree"})
        return _post(url, tokens[i], None, method="DELETE")

    with ThreadPoolExecutor(max_workers=50) as pool:
        assert list(pool.map(change_or_withdraw, range(50))) == [200] * 50
    with urllib.request.urlopen(f"{server}/api/v1/consultations/{slug}") as response:
        detail = json.load(response)
    assert detail["articles"][0]["votes"] == {"agree": 0, "mixed": 0, "disagree": 25}
    db.session.expire_all()
    assert count(ArticleVote, ArticleVote.article_id, first_id) == 25
    # The stored counters agree with the votes themselves.
    assert tallies.recount() == 0
    db.session.rollback()
