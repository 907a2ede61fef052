"""Backups of the whole database, taken while the platform runs, and their restoration.

SQLite: the online backup API copies a consistent snapshot page by page (writers keep going
between steps), and the copy is checked with `PRAGMA integrity_check`. Restoring copies the
backup back into the live file under the write lock, with the same API.
PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean`, which must be on the PATH
(Debian package postgresql-client, of a version at least the server's).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import Engine

from consultation.core.errors import DomainError


class BackupFailed(DomainError):
    code = "backup_failed"


def create(engine: Engine, path: Path) -> None:
    """Write a backup of the database behind `engine` to `path` (which must not exist)."""
    if path.exists():
        raise BackupFailed(f"{path} existe déjà : choisissez un autre nom de fichier.")
    path.parent.mkdir(parents=True, exist_ok=True)
    if engine.dialect.name == "sqlite":
        _sqlite_copy(engine, path)
        problem = _sqlite_problem(path)
        if problem:
            path.unlink()
            raise BackupFailed(f"La copie est corrompue ({problem}) : rien n'a été écrit.")
    else:
        _run("pg_dump", "--format=custom", "--no-owner", "--file", str(path), _libpq_url(engine))


def restore(engine: Engine, path: Path) -> None:
    """Replace the whole content of the database behind `engine` by the backup at `path`."""
    if not path.is_file():
        raise BackupFailed(f"Aucune sauvegarde à l'emplacement {path}.")
    if engine.dialect.name == "sqlite":
        problem = _sqlite_problem(path)
        if problem:
            raise BackupFailed(f"{path} n'est pas une sauvegarde SQLite valide ({problem}).")
        source = sqlite3.connect(path)
        try:
            with _raw_sqlite(engine) as live:
                source.backup(live)
        finally:
            source.close()
    else:
        _run(
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--dbname",
            _libpq_url(engine),
            str(path),
        )
    engine.dispose()  # pooled connections may hold pages or plans of the old content


def _sqlite_copy(engine: Engine, path: Path) -> None:
    target = sqlite3.connect(path)
    try:
        with _raw_sqlite(engine) as live:
            live.backup(target, pages=1024)
    finally:
        target.close()


def _sqlite_problem(path: Path) -> str | None:
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = connection.execute("PRAGMA integrity_check").fetchone()[0]
            connection.execute("SELECT count(*) FROM consultations").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        return str(error)
    return None if result == "ok" else result


class _raw_sqlite:
    """The sqlite3 connection under one of the engine's pooled connections."""

    def __init__(self, engine: Engine):
        self.pooled = engine.raw_connection()

    def __enter__(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = self.pooled.driver_connection
        if connection is None:  # only once the pooled connection is closed
            raise RuntimeError("the pooled connection has no driver connection")
        return connection

    def __exit__(self, *_exc: object) -> None:
        self.pooled.close()


def _libpq_url(engine: Engine) -> str:
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _run(program: str, *args: str) -> None:
    if shutil.which(program) is None:
        raise BackupFailed(f"{program} est introuvable : installez le paquet postgresql-client.")
    finished = subprocess.run([program, *args], capture_output=True, text=True)
    if finished.returncode != 0:
        raise BackupFailed(f"{program} a échoué : {finished.stderr.strip()}")
