"""Where uploaded files live: one small interface, so that the domain code never names a path.

A `Storage` keeps opaque byte streams under keys it chooses:

- `put(stream) -> key` copies a readable binary stream (read in chunks, never whole) and
  returns a new key;
- `open(key)` gives a readable binary file (the caller closes it; a response streams it);
- `size(key)` its length in bytes; `exists(key)`;
- `delete(key)` removes it (a missing key is not an error: deleting twice is harmless).

`LocalStorage`, the default, writes files under the instance folder (`STORAGE_DIR`, default
`instance/files`), two levels of subfolders by the key's first characters. A key is 32 random
hex digits: it says nothing of the file, and no key can name a path outside the folder.

A deployment of several servers plugs a shared storage (an S3 bucket, a network volume) by
setting `STORAGE_BACKEND` to "module:Class", a class taking the app's configuration, with the
same four methods; nothing else changes. `storage()` returns the one of the current app.

Files and transactions: a file is written before the transaction that refers to it commits
(the row needs its key). The caller that stores a file registers it with `discard_on_rollback`,
so that a transaction that fails leaves no file behind; a file replaced or removed is deleted
with `delete_after_commit`, so that a rolled-back removal keeps it.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import secrets
import shutil
from pathlib import Path
from typing import IO, Any, Protocol

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

logger = logging.getLogger(__name__)

CHUNK = 64 * 1024


class Storage(Protocol):
    """What the domain code may ask of a storage."""

    def put(self, stream: IO[bytes]) -> str: ...

    def open(self, key: str) -> IO[bytes]: ...

    def size(self, key: str) -> int: ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None: ...


class UnknownKey(KeyError):
    """A key this storage never gave, or whose file is gone."""


class LocalStorage:
    """Files under one folder of this machine (the instance folder by default)."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    @classmethod
    def from_config(cls, config: Any) -> LocalStorage:
        return cls(config.get("STORAGE_DIR") or Path(current_app.instance_path) / "files")

    def _path(self, key: str) -> Path:
        if len(key) != 32 or any(c not in "0123456789abcdef" for c in key):
            raise UnknownKey(key)
        return self.root / key[:2] / key[2:4] / key

    def put(self, stream: IO[bytes]) -> str:
        """Copy `stream` from where it stands to its end into a new file; its key. The file is
        written under a temporary name and renamed once complete: a reader never sees half."""
        key = secrets.token_hex(16)
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        try:
            with open(partial, "xb") as target:
                shutil.copyfileobj(stream, target, CHUNK)
                target.flush()
                os.fsync(target.fileno())
            os.replace(partial, path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return key

    def open(self, key: str) -> IO[bytes]:
        try:
            return open(self._path(key), "rb")
        except FileNotFoundError:
            raise UnknownKey(key) from None

    def size(self, key: str) -> int:
        try:
            return self._path(key).stat().st_size
        except FileNotFoundError:
            raise UnknownKey(key) from None

    def exists(self, key: str) -> bool:
        try:
            return self._path(key).is_file()
        except UnknownKey:
            return False

    def delete(self, key: str) -> None:
        with contextlib.suppress(UnknownKey):
            self._path(key).unlink(missing_ok=True)

    def keys(self) -> list[str]:
        """Every key stored (for tests and maintenance: a walk of the folder)."""
        if not self.root.exists():
            return []
        return sorted(path.name for path in self.root.glob("*/*/*") if path.suffix != ".part")


def storage() -> Storage:
    """The storage of the current app, built from its configuration (kept per setting)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    setting = (app.config.get("STORAGE_BACKEND"), app.config.get("STORAGE_DIR"))
    built: dict[tuple[Any, Any], Storage] = app.extensions.setdefault("storage", {})
    if setting not in built:
        backend = setting[0]
        if backend:
            module, _sep, name = backend.partition(":")
            built[setting] = getattr(importlib.import_module(module), name).from_config(app.config)
        else:
            built[setting] = LocalStorage.from_config(app.config)
    return built[setting]


# --- Files and the transaction ------------------------------------------------------------


def discard_on_rollback(session: Session, key: str) -> None:
    """Delete the file `key` if the session's current transaction rolls back (the row that
    names it is then gone too). A commit keeps it."""
    _pending(session, "storage_added").append(key)


def delete_after_commit(session: Session, key: str) -> None:
    """Delete the file `key` once the session's current transaction has committed (the row
    that named it is then gone for good). A rollback keeps it."""
    _pending(session, "storage_removed").append(key)


def _pending(session: Session, name: str) -> list[str]:
    pending: list[str] = session.info.setdefault(name, [])
    return pending


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    # Only the outermost transaction's end counts: a savepoint released is not a commit.
    if session.in_nested_transaction():
        return
    session.info.pop("storage_added", None)
    for key in session.info.pop("storage_removed", []):
        _delete_quietly(key)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint rolled back: the transaction goes on
    session.info.pop("storage_removed", None)
    for key in session.info.pop("storage_added", []):
        _delete_quietly(key)


def _delete_quietly(key: str) -> None:
    try:
        storage().delete(key)
    except Exception:  # a file left behind costs space, not correctness
        logger.exception("storage: could not delete %s", key)
