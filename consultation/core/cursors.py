"""Opaque pagination cursors: the last item's place in an ordering, as URL-safe base64 JSON.

Every list of the site and of the API pages by keyset (`WHERE (key, id) < (…)`), so that page
n costs what page 1 costs; the cursor carries the keys of the last item shown. A list reads
its cursor with `decode(cursor, *kinds)`, one kind per value, each the exact type the list
wrote: a database integer, a finite float, an instant with its offset, or a fixed word. A
cursor that does not decode, or whose values are not of those kinds (a float for an id, NaN,
an integer beyond the database's range, another list's or ordering's cursor), is an
InvalidCursor (400, `invalid_cursor`) naming `cursor`, with one French message, never a 500.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Callable
from datetime import datetime
from typing import Any, NoReturn, TypeGuard

from flask_babel import gettext as _

from consultation.core.errors import InvalidCursor
from consultation.core.i18n import N_

MESSAGE = N_("Curseur de pagination invalide.")
# Far more than any cursor this site writes (a word, an instant and two integers).
MAX_LENGTH = 512
DATABASE_INT_MAX = 2**31 - 1

Kind = Callable[[Any], Any]


def encode(values: list[Any]) -> str:
    raw = json.dumps(values, separators=(",", ":"), allow_nan=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str, *kinds: Kind) -> list[Any]:
    """The values of `cursor`, one for each of `kinds` and each read by it (`integer`,
    `number`, `instant`, `word(…)`); InvalidCursor when it is not one this site made for
    this list."""
    if not isinstance(cursor, str) or len(cursor) > MAX_LENGTH:
        raise invalid()
    try:
        raw = base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode("ascii"))
        values = json.loads(raw.decode("utf-8"), parse_constant=_refuse)
        if not isinstance(values, list) or len(values) != len(kinds):
            raise ValueError("not a list of the expected length")
        return [kind(value) for kind, value in zip(kinds, values, strict=True)]
    except (ValueError, TypeError, binascii.Error, UnicodeError, RecursionError):
        raise invalid() from None


def invalid() -> InvalidCursor:
    """The error for a cursor that does not decode or does not fit the list."""
    return InvalidCursor(fields={"cursor": _(MESSAGE)})


# --- Kinds of values ------------------------------------------------------------------------


def integer(value: Any) -> int:
    """A non-negative integer a database integer column holds (an id, a count, a key)."""
    if not is_int(value) or not 0 <= value <= DATABASE_INT_MAX:
        raise ValueError("not a database integer")
    return value


def number(value: Any) -> float:
    """A finite float (a score), written as a float."""
    if not isinstance(value, float) or not math.isfinite(value):
        raise ValueError("not a finite float")
    return value


def instant(value: Any) -> datetime:
    """An ISO 8601 instant with its offset."""
    if not isinstance(value, str):
        raise ValueError("not an instant")
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("an instant without offset")
    return moment


def word(*expected: str) -> Kind:
    """One of the `expected` words (a list's ordering)."""

    def read(value: Any) -> str:
        if value not in expected or not isinstance(value, str):
            raise ValueError("another word")
        return value

    return read


def is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and -(2**63) < value < 2**63


def _refuse(constant: str) -> NoReturn:
    raise ValueError(f"{constant} is not JSON")
