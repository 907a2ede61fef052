"""Column types and helpers shared by the models."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar, cast

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from consultation.core.clock import as_utc, now
from consultation.core.errors import DomainError, NotFound

M = TypeVar("M")


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database (SQLite hands back naive values)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = as_utc(value)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return as_utc(value) if value is not None else None


def enum_column(enum_class: type[enum.Enum], length: int = 32) -> sa.Enum:
    """Store an enum by its value, as a string checked by the database."""
    return sa.Enum(
        enum_class,
        native_enum=False,
        length=length,
        create_constraint=True,
        validate_strings=True,
        values_callable=lambda members: [member.value for member in members],
    )


def utcnow() -> datetime:
    """Default for `created_at` columns (the server clock)."""
    return now()


class VoteCounters:
    """Counters of agree / mixed / disagree votes kept on the voted row.

    They change only in `participation.tallies.record_vote`, under a lock on the row, by the same transaction
    that writes the vote; `participation.tallies.recount` checks them against the votes themselves.
    """

    votes_agree: Mapped[int] = mapped_column(default=0, server_default="0")
    votes_mixed: Mapped[int] = mapped_column(default=0, server_default="0")
    votes_disagree: Mapped[int] = mapped_column(default=0, server_default="0")

    @property
    def vote_counts(self) -> dict[str, int]:
        return {
            "agree": self.votes_agree or 0,
            "mixed": self.votes_mixed or 0,
            "disagree": self.votes_disagree or 0,
        }


def get_existing(model: type[M], ident: object, message: str | None = None) -> M:
    """The row of `model` whose primary key is `ident`, for an id the caller knows to exist
    (one it was handed within the same transaction): NotFound when it does not."""
    from consultation.extensions import db

    row = db.session.get(model, ident)
    if row is None:
        raise NotFound(message)
    return row


def rowcount(result: sa.Result[Any]) -> int:
    """The number of rows an UPDATE or DELETE run through the session matched: its result is a
    CursorResult, which the session's `execute` types as any Result."""
    return cast("sa.CursorResult[Any]", result).rowcount


@dataclass
class Outcome:
    """How a `transaction()` block ended: `error` is the DomainError that refused it, if any."""

    error: DomainError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@contextmanager
def transaction() -> Iterator[Outcome]:
    """The one commit-or-rollback of a view, API handler, command or job around its service
    calls: commit when the block ends, roll back when it raises. A DomainError (a refused
    rule) is kept on the outcome for the caller to show — field errors, a flash, a status —
    and does not go further; any other exception rolls back and propagates. Mail queued by the
    services leaves after the commit (`core.mail`), so nothing leaves before it::

        with transaction() as done:
            services.publish_consultation(current_user, consultation)
        if done.error:
            flash(done.error.message, "error")
    """
    from consultation.extensions import db

    outcome = Outcome()
    try:
        yield outcome
    except DomainError as error:
        db.session.rollback()
        outcome.error = error
        return
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()
