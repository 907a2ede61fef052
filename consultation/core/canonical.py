"""The canonical JSON the tamper-evident record hashes, and commitments made with it.

Below every domain, so that a domain can commit to a value it announces to the record (a
contribution's author, `participation`) with the same function the record and the
verification script use (`static/ledger/verify_ledger.py` has its own copy).
"""

from __future__ import annotations

import hashlib
import json
import secrets


def canonical_json(value: object) -> str:
    """The one text of a JSON value that the record hashes: keys sorted, no whitespace,
    non-ASCII characters as themselves (the bytes hashed are its UTF-8), only strings,
    integers, booleans, null, arrays and objects with string keys — no floats, whose text
    is not unique. For these values it is the JSON Canonicalization Scheme (RFC 8785)."""
    _check_canonical(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _check_canonical(value: object) -> None:
    if value is None or isinstance(value, (str, bool, int)):
        return
    if isinstance(value, (list, tuple)):
        for item in value:
            _check_canonical(item)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError("canonical JSON keys are strings")
            _check_canonical(item)
        return
    raise TypeError(f"{type(value).__name__} has no canonical JSON form in the record")


def digest(value: object) -> str:
    """Hex SHA-256 of the canonical JSON of `value`."""
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()


def new_salt() -> str:
    """32 hex digits of randomness: what makes a commitment to a short, guessable value (a
    name) impossible to confirm by trying candidates, once the salt is no longer published."""
    return secrets.token_hex(16)


def salted_digest(value: object, salt: str) -> str:
    """The commitment to `value` under `salt`: `digest({"salt": salt, "value": value})`."""
    return digest({"salt": salt, "value": value})
