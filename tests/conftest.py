"""Fixtures shared by the whole suite.

Every test runs on SQLite and, when TEST_DATABASE_URL is set, again on PostgreSQL: the `app`
fixture is parametrised by backend. The schema is created once per backend and session
(`create_all`: only the migration test runs the migrations); each test starts from empty
tables. `make test` runs the files on one worker per core (pytest-xdist, a file whole on one
worker); each worker has its own PostgreSQL database, named after the one given.

Factories and common objects: `make_institution`, `make_user(role=…)`,
`make_consultation(status, **overrides)`, `make_contribution(consultation, **values)`; the
consultations `opened` and `closed`; `organiser` and `moderator`; `papered` (a comment whose paper an
edit replaced); `bearer(user)` for the API's Authorization header. A module
that needs a different object defines its own fixture on top of these, under another name when
its meaning differs.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import g
from flask.testing import FlaskClient

os.environ["CONSULTATION_ENV"] = "test"

from consultation import create_app  # noqa: E402
from consultation.accounts import services as accounts  # noqa: E402
from consultation.accounts.models import Role  # noqa: E402
from consultation.consultations import services as consultations  # noqa: E402
from consultation.extensions import db as _db  # noqa: E402
from consultation.participation import services as participation  # noqa: E402
from tests.helpers import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    PASSWORD,
    SAMPLE_TEXT,
    complete_notice,
)


def _own_database(url: str, worker: str) -> str:
    """The PostgreSQL database of one pytest-xdist worker: the named one's name plus the
    worker's (`test_gw0`, `test_gw1`…), created when missing. Workers never share tables."""
    import psycopg

    url = url.replace("+psycopg", "", 1)
    base, _, name = url.rpartition("/")
    own = f"{name}_{worker}"
    with psycopg.connect(url, autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (own,))
        if found.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{own}"')
    return f"{base}/{own}"


if os.environ.get("TEST_DATABASE_URL") and os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ["TEST_DATABASE_URL"] = _own_database(
        os.environ["TEST_DATABASE_URL"], os.environ["PYTEST_XDIST_WORKER"]
    )

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def _database_url(backend: str, tmp_root: Path) -> str:
    if backend == "postgresql":
        url = os.environ["TEST_DATABASE_URL"]
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                url = "postgresql+psycopg://" + url[len(prefix) :]
        return url
    return f"sqlite:///{tmp_root / 'test.db'}"


class CommittingClient(FlaskClient):
    """The test client, made to behave as separate requests would.

    The test's app context (and session) is shared with the requests it makes, as Flask does
    when a context is already pushed: before each request, what the test wrote is committed
    and `g` is emptied, so that no request sees state left by the previous one.
    """

    def open(self, *args, **kwargs):
        _db.session.commit()
        for name in list(vars(g)):
            delattr(g, name)
        response = super().open(*args, **kwargs)
        _db.session.expire_all()
        return response


@pytest.fixture(scope="session")
def _applications(tmp_path_factory):
    """One application per backend for the whole session: templates compile once."""
    built: dict = {}

    def get(backend: str):
        if backend not in built:
            root = tmp_path_factory.mktemp(backend)
            application = create_app(
                {
                    "SQLALCHEMY_DATABASE_URI": _database_url(backend, root),
                    "BASE_URL": "http://localhost",
                }
            )
            application.test_client_class = CommittingClient
            with application.app_context():
                _db.drop_all()
                _db.create_all()
                if backend == "postgresql":
                    sa.event.listen(_db.engine, "before_cursor_execute", _note_inserts)
            built[backend] = application
        return built[backend]

    yield get
    for application in built.values():
        with application.app_context():
            _db.engine.dispose()


@pytest.fixture(params=BACKENDS)
def app(request, _applications, tmp_path):
    application = _applications(request.param)
    saved = dict(application.config)
    application.config["MAIL_OUTBOX"] = str(tmp_path / "outbox")
    application.config["STORAGE_DIR"] = str(tmp_path / "files")
    application.extensions["page_cache"].clear()  # ids are reused once tables are emptied
    with application.app_context():
        yield application
        _db.session.rollback()
        _db.session.remove()
        _truncate_all()
    application.config.clear()
    application.config.update(saved)


def _truncate_all() -> None:
    """Empty every table, and start their ids again at 1. The record's tables refuse DELETE
    (consultation/ledger/models.py): on PostgreSQL the session's replica mode fires no trigger,
    on SQLite the guards are lifted meanwhile.

    On PostgreSQL only the tables that hold rows, or that an INSERT reached (its sequence moved
    even if the row was rolled back), are emptied: most tests write to a few."""
    from consultation.ledger.models import deletions_allowed

    tables = list(reversed(_db.metadata.sorted_tables))
    with _db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            holding = " UNION ALL ".join(
                f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM \"{t.name}\")" for t in tables
            )
            touched = set(connection.execute(sa.text(holding)).scalars())
            touched |= _inserted.pop(_db.engine.url, set())
            emptied = [t for t in tables if t.name in touched]
            if emptied:
                # DELETE, not TRUNCATE: a test's few rows go in a millisecond, where TRUNCATE
                # makes each table new on disk (about 90 ms a test). Replica mode fires no
                # trigger (the record's guards) and checks no foreign key meanwhile.
                connection.execute(sa.text("SET LOCAL session_replication_role = replica"))
                for table in emptied:
                    connection.execute(sa.text(f'DELETE FROM "{table.name}"'))
                restart = ", ".join(
                    f"setval(pg_get_serial_sequence('\"{t.name}\"', 'id'), 1, false)"
                    for t in emptied
                    if "id" in t.c
                )
                if restart:
                    connection.execute(sa.text(f"SELECT {restart}"))
        else:
            with deletions_allowed(connection):
                for table in tables:
                    connection.execute(table.delete())


# The tables each PostgreSQL database's INSERT statements reached since it was last emptied.
_inserted: dict = {}
_INSERT = re.compile(r'\bINSERT\s+INTO\s+"?(\w+)', re.IGNORECASE)


def _note_inserts(conn, _cursor, statement, _parameters, _context, _executemany) -> None:
    found = _INSERT.findall(statement)
    if found:
        _inserted.setdefault(conn.engine.url, set()).update(found)


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def rate_limits(app):
    """Rate limits on (the test configuration has them off), with empty counters before and
    after: the counters live in the limiter, shared by every application of the session."""
    from consultation.extensions import limiter

    limiter.reset()
    app.config["RATE_LIMITS_ENABLED"] = True
    yield limiter
    limiter.reset()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def outbox(app):
    """The e-mails written so far, as (To, Subject, body) in order."""
    from email import policy
    from email.parser import BytesParser

    def read():
        folder = Path(app.config["MAIL_OUTBOX"])
        messages = []
        for path in sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns):
            message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
            messages.append((message["To"], message["Subject"], message.get_content()))
        return messages

    return read


@pytest.fixture
def make_institution(db):
    counter = iter(range(1, 10_000))

    def make(slug: str | None = None, name: str | None = None):
        n = next(counter)
        institution = accounts.create_institution(
            slug or f"institution-{n}", name or f"Institution {n}"
        )
        db.session.commit()
        return institution

    return make


@pytest.fixture
def institution(make_institution):
    return make_institution("ministere", "Ministère de l'Exemple")


@pytest.fixture
def make_user(db, institution):
    counter = iter(range(1, 10_000))

    def make(
        role: str | Role = Role.participant,
        *,
        email=None,
        institution=institution,
        verified=True,
        **kw,
    ):
        role = Role(role)
        n = next(counter)
        user = accounts.create_user(
            email or f"{role.value}{n}@example.org",
            role=role,
            institution=institution if role in (Role.organiser, Role.moderator) else None,
            display_name=kw.get("display_name", f"{role.label} {n}"),
            password=kw.get("password", PASSWORD),
            verified=verified,
        )
        db.session.commit()
        return user

    return make


@pytest.fixture
def organiser(make_user):
    return make_user(Role.organiser)


@pytest.fixture
def moderator(make_user):
    return make_user(Role.moderator, display_name="Modératrice")


@pytest.fixture
def login_as(client):
    def login(user):
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return user

    return login


@pytest.fixture
def make_consultation(db, organiser, institution):
    """A consultation in the requested status, built through the services.

    `status`: draft, scheduled, open or closed (relative to the real clock).
    """

    def make(
        status: str = "draft", *, days: int = 21, legal_basis: str = "crpa_l131_1", **overrides
    ):
        from consultation.core import clock

        real_now = clock.now()
        starts = {
            "draft": real_now + timedelta(days=3),
            "scheduled": real_now + timedelta(days=3),
            "open": real_now - timedelta(days=2),
            "closed": real_now - timedelta(days=days + 5),
        }[status]
        opens_at = overrides.pop("opens_at", starts)
        closes_at = overrides.pop("closes_at", clock.add_paris_days(opens_at, days))
        values = {
            "title": "Projet de loi relatif à la participation",
            "summary": "Un projet soumis à l'avis du public.",
            "legal_basis": legal_basis,
            "opens_at": opens_at,
            "closes_at": closes_at,
            "text": SAMPLE_TEXT,
            "notice": complete_notice(closes_at),
        }
        values.update(overrides)
        actor = values.pop("actor", organiser)
        owner = values.pop("institution", institution)
        consultation = consultations.create_consultation(
            actor, owner, now=opens_at - timedelta(days=5), **values
        )
        if status != "draft":
            consultations.publish_consultation(
                actor, consultation, now=opens_at - timedelta(days=1)
            )
        db.session.commit()
        return consultation

    return make


@pytest.fixture
def opened(make_consultation):
    """A consultation open since two days, for three weeks, with the sample text's articles."""
    return make_consultation("open")


@pytest.fixture
def closed(make_consultation):
    """A consultation closed five days ago, without any participation."""
    return make_consultation("closed")


@pytest.fixture
def make_contribution(db, make_user):
    """A contribution submitted through the service and committed; a new participant writes it
    unless `author` is given. Other values go to `submit_contribution` (`now`, `article_id`,
    `position`, `title`…)."""

    def make(consultation, *, author=None, kind: str = "comment", body: str = "Un avis.", **values):
        item = participation.submit_contribution(
            author or make_user(), consultation, kind=kind, body=body, **values
        )
        db.session.commit()
        return item

    return make


@pytest.fixture
def papered(db, opened, make_user):
    """A comment in `opened` by « Fédération », whose paper an edit replaced
    (`tests.participation.paper_files.replaced_paper`)."""
    from tests.participation.paper_files import replaced_paper

    return replaced_paper(db, opened, make_user(display_name="Fédération"))


@pytest.fixture
def bearer(db):
    """`bearer(user)`: the Authorization header of a new API token of `user`, committed."""

    def make(user, name: str = "tests") -> dict[str, str]:
        _token, secret = accounts.create_api_token(user, name)
        db.session.commit()
        return {"Authorization": f"Bearer {secret}"}

    return make


@pytest.fixture(scope="session")
def _demo_copies() -> dict:
    """The demo's rows, by database and Paris day, once `flask demo` has run there."""
    return {}


@pytest.fixture
def demo(app, runner, db, _demo_copies):
    """The demo data of `flask demo`. The command runs once per database and Paris day (its
    dates are relative to today); later tests get a copy of the rows it wrote, inserted table
    by table, which is what the command would have written."""
    from consultation.core import clock

    key = (str(db.engine.url), clock.to_paris(clock.now()).date())
    rows = _demo_copies.get(key)
    if rows is None:
        result = runner.invoke(args=["demo"])
        assert result.exit_code == 0, result.output
        db.session.commit()
        _demo_copies[key] = _read_rows()
    else:
        _write_rows(rows)
    db.session.expire_all()
    return db


@pytest.fixture(scope="session")
def _built_copies() -> dict:
    """The rows `built_once` keeps, by test module and database."""
    return {}


@pytest.fixture
def built_once(request, db, _built_copies):
    """`built_once(build)`: a module's world built once per database. The module's first test
    runs `build()` (which writes through the services and commits) and a copy of every table's
    rows is kept with what it returned; each later test of the module gets that copy inserted
    (the tables are emptied after every test, so what a test writes never reaches the next)
    and the same value. `build` must return plain values (ids), not rows of a session."""

    def get(build):
        key = (request.module.__name__, str(db.engine.url))
        saved = _built_copies.get(key)
        if saved is None:
            value = build()
            db.session.commit()
            _built_copies[key] = (_read_rows(), value)
            return value
        rows, value = saved
        _write_rows(rows)
        db.session.expire_all()
        return value

    return get


def _read_rows() -> dict:
    with _db.engine.connect() as connection:
        return {
            table.name: [
                dict(row)
                for row in connection.execute(
                    table.select().order_by(*table.primary_key.columns)  # parents first
                ).mappings()
            ]
            for table in _db.metadata.sorted_tables
        }


def _write_rows(rows: dict) -> None:
    with _db.engine.begin() as connection:
        for table in _db.metadata.sorted_tables:
            if rows[table.name]:
                connection.execute(table.insert(), rows[table.name])
        if connection.dialect.name == "postgresql":
            for table in _db.metadata.sorted_tables:
                if "id" in table.c and rows[table.name]:
                    connection.execute(
                        sa.text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f'(SELECT max(id) FROM "{table.name}"))'
                        )
                    )


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium for a module's browser tests; each test opens its own context
    (cookies, storage and settings of its own) with `page`, `page_without_javascript` or
    `chromium.new_context(…)`."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(locale="fr-FR", bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def page_without_javascript(chromium):
    """A page with JavaScript off: what the pages give without enhancement."""
    context = chromium.new_context(locale="fr-FR", bypass_csp=True, java_script_enabled=False)
    yield context.new_page()
    context.close()


@pytest.fixture
def tabs(page_without_javascript, page):
    """Two pages of one browser: JavaScript off (the walk a person does without it) and on
    (axe, which needs JavaScript to run)."""
    return page_without_javascript, page
