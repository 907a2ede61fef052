"""Request hygiene: input no route can store or look up is refused before any view runs.

- A NUL character (U+0000), in the path, the query string, a form or a JSON body: no person
  types one, PostgreSQL text cannot hold one, and SQLite would store what PostgreSQL refuses.
  The request gets a 400 with a French message (JSON under /api/).
- An integer route argument (`<int:…>`) outside the range of a database integer is an
  address that cannot exist: 404, not an overflow in the database driver.
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.routing import IntegerConverter

from consultation.core.errors import BadRequest

DATABASE_INT_MAX = 2**31 - 1
NUL_MESSAGE = "La requête contient un caractère nul (U+0000), qui n'est accepté nulle part."


class DatabaseIntConverter(IntegerConverter):
    """`<int:…>` limited to what a database integer column holds (1 to 2³¹ − 1)."""

    def __init__(self, map, fixed_digits=0, min=None, max=DATABASE_INT_MAX, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_app(app: Flask) -> None:
    """Install the converter (before any route is added) and the NUL check."""
    app.url_map.converters["int"] = DatabaseIntConverter

    @app.before_request
    def refuse_nul_characters() -> None:
        if _has_nul(request.path) or _has_nul(request.args):
            raise BadRequest(NUL_MESSAGE)
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return
        if _has_nul(request.form) or (request.is_json and _has_nul(request.get_json(silent=True))):
            raise BadRequest(NUL_MESSAGE)


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if hasattr(value, "lists"):  # a MultiDict (query string, form): every value of every key
        return any(_has_nul(k) or _has_nul(v) for k, v in value.lists())
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False
