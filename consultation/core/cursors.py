"""Opaque pagination cursors: the last item's place in an ordering, as URL-safe base64 JSON.

Every list of the site and of the API pages by keyset (`WHERE (key, id) < (…)`), so that page
n costs what page 1 costs; the cursor carries the keys of the last item shown. A cursor that
does not decode, or whose values are not what the list expects, is an InvalidCursor (400,
`invalid_cursor`) naming `cursor`, with one French message, never a 500.
"""

from __future__ import annotations

import base64
import binascii
import json

from consultation.core.errors import InvalidCursor

MESSAGE = "Curseur de pagination invalide."


def encode(values: list) -> str:
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str) -> list:
    """The values of `cursor`; InvalidCursor when it is not one this site made."""
    try:
        values = json.loads(base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()))
        if not isinstance(values, list):
            raise ValueError("not a list")
        return values
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise invalid() from None


def invalid() -> InvalidCursor:
    """The error for a cursor that does not decode or does not fit the list."""
    return InvalidCursor(fields={"cursor": MESSAGE})


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and -(2**63) < value < 2**63
