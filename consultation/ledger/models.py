"""The record's tables: one append-only log of entries per consultation, its head, its
signed checkpoints.

- `ledger_entries`: one row per recorded act, numbered from 0 without gaps within its
  consultation; `leaf` is the exact canonical JSON whose hash is a leaf of the Merkle tree.
- `ledger_heads`: per consultation, the number of entries. Appending increments it with one
  upsert that locks the row until the transaction ends: appends to one consultation queue
  there, and each gets the next index.
- `ledger_checkpoints`: every signed tree head published, with the frontier of the tree at
  that size (so the next checkpoint hashes only the entries added since).

The database refuses to rewrite the record: triggers, on SQLite and PostgreSQL, reject any
UPDATE or DELETE of an entry or a checkpoint, and any DELETE of a head or UPDATE that would
shrink it. They are created by the migration and, for `create_all` (tests), by the DDL events
below. PostgreSQL's TRUNCATE fires no row trigger: the tests empty tables with it; an operator
who can run TRUNCATE or drop a trigger can rewrite anything, which is what the published
signed checkpoints are for. SQLite rebuilds a table to alter it (Alembic batch mode), which
drops its triggers: a migration that alters these tables must create them again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from consultation.core.db import UTCDateTime, utcnow
from consultation.extensions import Model, db


class LedgerHead(Model):
    """How many entries a consultation's record holds (the next entry's index)."""

    __tablename__ = "ledger_heads"

    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id"), primary_key=True, autoincrement=False
    )
    size: Mapped[int] = mapped_column(default=0, server_default="0")


class LedgerEntry(Model):
    """One act of a consultation, as the canonical JSON leaf of its Merkle tree."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        # A contribution's receipt: the entry that recorded its submission.
        sa.Index(
            "ix_ledger_entries_tracking_number",
            "tracking_number",
            unique=True,
            sqlite_where=sa.text("tracking_number IS NOT NULL"),
            postgresql_where=sa.text("tracking_number IS NOT NULL"),
        ),
    )

    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id"), primary_key=True, autoincrement=False
    )
    leaf_index: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(sa.String(30))
    leaf: Mapped[str] = mapped_column(sa.Text)
    leaf_hash: Mapped[bytes] = mapped_column(sa.LargeBinary(32))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set on the entry of a contribution's submission only.
    tracking_number: Mapped[str | None] = mapped_column(sa.String(20))


class LedgerCheckpoint(Model):
    """A signed tree head of a consultation's record, as published."""

    __tablename__ = "ledger_checkpoints"
    __table_args__ = (
        sa.Index("ix_ledger_checkpoints_consultation_id_id", "consultation_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id"))
    tree_size: Mapped[int]
    root_hash: Mapped[bytes] = mapped_column(sa.LargeBinary(32))
    # Roots of the perfect subtrees of the tree at this size, concatenated (see `merkle`).
    frontier: Mapped[bytes] = mapped_column(sa.LargeBinary)
    # The signed note, exactly as published.
    note: Mapped[str] = mapped_column(sa.Text)
    # Why it was made: opening, hourly, closing, update (after closing), export.
    reason: Mapped[str] = mapped_column(sa.String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# --- Append-only guards ----------------------------------------------------------------------
# The migration (20261123_8f1e4b6a2d93_ledger) holds a copy of these statements: a migration
# never imports the application.

POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$
"""

POSTGRESQL_TRIGGERS = {
    "ledger_entries": [
        "CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries "
        "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()",
    ],
    "ledger_checkpoints": [
        "CREATE TRIGGER ledger_checkpoints_append_only BEFORE UPDATE OR DELETE "
        "ON ledger_checkpoints FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()",
    ],
    "ledger_heads": [
        "CREATE TRIGGER ledger_heads_grow_only BEFORE UPDATE ON ledger_heads FOR EACH ROW "
        "WHEN (NEW.size < OLD.size OR NEW.consultation_id <> OLD.consultation_id) "
        "EXECUTE FUNCTION ledger_refuse_change()",
        "CREATE TRIGGER ledger_heads_no_delete BEFORE DELETE ON ledger_heads "
        "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()",
    ],
}

SQLITE_UPDATE_GUARDS = {
    "ledger_entries": (
        "CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries "
        "BEGIN SELECT RAISE(ABORT, 'ledger_entries is append-only: UPDATE refused'); END"
    ),
    "ledger_checkpoints": (
        "CREATE TRIGGER ledger_checkpoints_no_update BEFORE UPDATE ON ledger_checkpoints "
        "BEGIN SELECT RAISE(ABORT, 'ledger_checkpoints is append-only: UPDATE refused'); END"
    ),
    "ledger_heads": (
        "CREATE TRIGGER ledger_heads_grow_only BEFORE UPDATE ON ledger_heads "
        "WHEN NEW.size < OLD.size OR NEW.consultation_id <> OLD.consultation_id "
        "BEGIN SELECT RAISE(ABORT, 'ledger_heads only grows: UPDATE refused'); END"
    ),
}

# Named apart: the tests' table-emptying helper lifts them for the duration of its DELETEs.
SQLITE_DELETE_GUARDS = {
    f"{table}_no_delete": (
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: DELETE refused'); END"
    )
    for table in ("ledger_entries", "ledger_checkpoints", "ledger_heads")
}


def _install_guards() -> None:
    sa.event.listen(
        db.metadata,
        "before_create",
        # DDL formats its text with %: the function's own % placeholders are doubled.
        sa.DDL(POSTGRESQL_FUNCTION.replace("%", "%%")).execute_if(dialect="postgresql"),
    )
    for model in (LedgerHead, LedgerEntry, LedgerCheckpoint):
        table = model.__table__
        if not isinstance(table, sa.Table):  # a declarative model maps a Table
            raise TypeError(f"{model.__name__} is not mapped to a table")
        for statement in POSTGRESQL_TRIGGERS[table.name]:
            sa.event.listen(
                table, "after_create", sa.DDL(statement).execute_if(dialect="postgresql")
            )
        sqlite = [SQLITE_UPDATE_GUARDS[table.name], SQLITE_DELETE_GUARDS[f"{table.name}_no_delete"]]
        for statement in sqlite:
            sa.event.listen(table, "after_create", sa.DDL(statement).execute_if(dialect="sqlite"))


_install_guards()


@contextmanager
def deletions_allowed(connection: sa.Connection) -> Iterator[None]:
    """For test fixtures that empty every table, never for the application: within the
    caller's transaction, drop the SQLite triggers that refuse DELETE and create them again
    afterwards. PostgreSQL needs nothing: TRUNCATE fires no row trigger."""
    if connection.dialect.name != "sqlite":
        yield
        return
    for name in SQLITE_DELETE_GUARDS:
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    yield
    for statement in SQLITE_DELETE_GUARDS.values():
        connection.exec_driver_sql(statement)
