"""Background jobs: work handed out of the request, after the transaction that asked for it.

A job is a function named by its dotted path ("package.module:function") with arguments
that survive a trip through Redis (ids, strings, numbers). `run_later` hands it out at once;
`enqueue_after_commit` waits, like `core.mail.queue_mail`, for the database session's
transaction to commit — a rolled-back act asks for nothing — and hands it out then. Where it
runs:

- with `JOBS_INLINE` (the tests), at once, in the caller's thread (after a commit, in an
  application context of its own: the committing session can run no more SQL);
- with `REDIS_URL`, on an RQ queue, taken by `flask jobs worker` (or a plain `rq worker`:
  the job builds its own application when it finds none);
- otherwise in this process, on one background thread per queue, so that a development server needs
  nothing more.

Messages to many people are such jobs (`core.mail.send_later` runs them): the request that
caused them commits and answers; the job reads the recipients, closes its read transaction,
then sends, holding no database lock while an SMTP server takes its time.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from sqlalchemy.orm import Session

from consultation.extensions import db

logger = logging.getLogger(__name__)

DEFAULT_QUEUE = "default"
# Every queue `flask jobs worker` takes, in order of priority.
QUEUES = ("synthesis", DEFAULT_QUEUE)
DEFAULT_TIMEOUT_SECONDS = 600

_PENDING = "jobs_after_commit"
_executors: dict[str, ThreadPoolExecutor] = {}
_executor_lock = threading.Lock()


def enqueue_after_commit(
    func_path: str,
    *args: Any,
    queue: str = DEFAULT_QUEUE,
    timeout: int = DEFAULT_TIMEOUT_SECONDS,
) -> None:
    """Run `func_path(*args)` as a job once the current transaction commits (at once when
    none is open); not at all if it rolls back."""
    _resolve(func_path)  # a wrong path fails here, in the caller, not later in a worker
    session = db.session()
    if session.in_transaction():
        session.info.setdefault(_PENDING, []).append((func_path, args, queue, timeout))
    else:
        run_later(func_path, *args, queue=queue, timeout=timeout)


@sa.event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if session.in_nested_transaction():
        # A savepoint released (`begin_nested`): the transaction that asked goes on, and so
        # does its write lock; a job run now would wait on it (SQLite) or miss its rows.
        return
    for func_path, args, queue, timeout in session.info.pop(_PENDING, ()):
        try:
            if current_app.config.get("JOBS_INLINE"):
                # The committing session cannot run SQL any more: a context of its own.
                with current_app.app_context():
                    _call(func_path, args)
            else:
                run_later(func_path, *args, queue=queue, timeout=timeout)
        except Exception:  # the act is committed: a job that cannot start must not undo it
            logger.exception("job %s could not be handed out", func_path)


@sa.event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint rolled back: the transaction (and what it asked for) goes on
    dropped = session.info.pop(_PENDING, ())
    if dropped:
        logger.info("%d job(s) not run: their transaction rolled back", len(dropped))


def run_later(
    func_path: str,
    *args: Any,
    queue: str = DEFAULT_QUEUE,
    timeout: int = DEFAULT_TIMEOUT_SECONDS,
    inline: bool | None = None,
) -> Future[None] | None:
    """Hand a job out now: inline, on RQ, or on the local background thread (whose future is
    returned). `inline` overrides the `JOBS_INLINE` setting."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("JOBS_INLINE") if inline is None else inline:
        _resolve(func_path)(*args)  # in the caller's session, its transaction committed
        return None
    if app.config.get("REDIS_URL"):
        from redis import Redis
        from rq import Queue

        Queue(queue, connection=Redis.from_url(app.config["REDIS_URL"])).enqueue(
            run_job, func_path, *args, job_timeout=timeout, result_ttl=3600
        )
        logger.info("job %s queued on %r", func_path, queue)
        return None
    return _local_executor(queue).submit(_run_in_app, app, func_path, args)


def run_job(func_path: str, *args: Any) -> None:
    """What an RQ worker runs: the job in the application's context, building the
    application (from the environment) when the worker did not."""
    if has_app_context():
        _call(func_path, args)
        return
    from consultation import create_app

    with create_app().app_context():
        _call(func_path, args)


def _call(func_path: str, args: tuple[Any, ...]) -> None:
    try:
        _resolve(func_path)(*args)
    finally:
        db.session.remove()  # whatever the job left open is closed, nothing is kept


def _resolve(func_path: str) -> Callable[..., Any]:
    module_name, _, name = func_path.partition(":")
    function: object = getattr(importlib.import_module(module_name), name, None)
    if not callable(function):
        raise ValueError(f"no job function at {func_path!r}")
    return function


def _local_executor(queue: str) -> ThreadPoolExecutor:
    """One background thread per queue: a long synthesis draft does not hold up messages."""
    with _executor_lock:
        if queue not in _executors:
            _executors[queue] = ThreadPoolExecutor(
                max_workers=1, thread_name_prefix=f"jobs-{queue}"
            )
        return _executors[queue]


def _run_in_app(app: Flask, func_path: str, args: tuple[Any, ...]) -> None:
    with app.app_context():
        try:
            _call(func_path, args)
        except Exception:
            # The executor would keep the exception in a future nobody reads.
            logger.exception("job %s failed", func_path)
