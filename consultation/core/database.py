"""Engine set-up: SQLite pragmas and immediate write transactions.

SQLite runs in WAL mode with synchronous=FULL, a busy timeout and foreign keys. A request that
may write (any method but GET/HEAD/OPTIONS) and any work outside a request (CLI, jobs) opens
its transactions with BEGIN IMMEDIATE, so that two writers queue on the busy timeout instead
of failing when a read transaction tries to upgrade. Reads stay deferred and concurrent. Work
outside a request that only reads, and long (`flask ledger verify` reads a whole record),
asks for a deferred BEGIN with the execution option READ_ONLY, so as not to hold the write
lock: `db.session.connection(execution_options={READ_ONLY: True})` before its first query.
"""

from __future__ import annotations

import math
from typing import Any

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READ_ONLY = "consultation_read_only"
BUSY_TIMEOUT_MS = 15000


def _sqrt(value: float | None) -> float | None:
    return None if value is None else math.sqrt(value)


def configure_engine(app: Flask, engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return
    synchronous = app.config.get("SQLITE_SYNCHRONOUS", "FULL")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite would defer it).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
        # Not every SQLite build has its math functions: the ranking of contributions needs sqrt.
        dbapi_connection.create_function("sqrt", 1, _sqrt, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        reads = connection.get_execution_options().get(READ_ONLY) or (
            has_request_context() and request.method in READ_METHODS
        )
        connection.exec_driver_sql("BEGIN" if reads else "BEGIN IMMEDIATE")
