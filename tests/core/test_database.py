"""SQLite is configured for durability and concurrency as deployed (not as in tests)."""

import os

import sqlalchemy as sa

from consultation import create_app
from consultation.extensions import db


def test_sqlite_pragmas_of_the_default_configuration(tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULTATION_ENV", "development")
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'consultation.db'}"
    assert (tmp_path / "secret_key").read_text() == app.config["SECRET_KEY"]
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"
    with app.app_context(), db.engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 15000
    assert os.environ["CONSULTATION_ENV"] == "development"


def test_production_refuses_a_short_secret_key(tmp_path, monkeypatch):
    import pytest

    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "court")
    with pytest.raises(RuntimeError, match="32 characters"):
        create_app("production")


def test_foreign_keys_are_enforced(app, db):
    import pytest

    from consultation.accounts.models import User

    db.session.add(User(email="x@example.org", display_name="X", institution_id=999))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_read_only_unit_of_work_leaves_the_write_lock_free(app, db):
    """Outside a request a transaction takes SQLite's write lock as it begins (IMMEDIATE);
    one that asks for READ_ONLY begins deferred, so that a long read (`flask ledger verify`)
    lets the server's writers through."""
    import sqlite3

    import pytest

    from consultation.core.database import READ_ONLY

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write lock")

    def a_writer_gets_the_lock() -> bool:
        other = sqlite3.connect(db.engine.url.database, timeout=0.05, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            return True
        except sqlite3.OperationalError:
            return False
        finally:
            other.close()

    db.session.rollback()
    db.session.scalar(sa.select(1))
    assert not a_writer_gets_the_lock()
    db.session.rollback()
    db.session.connection(execution_options={READ_ONLY: True})
    db.session.scalar(sa.select(1))
    assert a_writer_gets_the_lock()
    db.session.rollback()
