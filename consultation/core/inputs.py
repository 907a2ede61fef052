"""Request hygiene: input no route can store or look up is refused before any view runs.

- A NUL character (U+0000), in the path, the query string, a form or a JSON body: no person
  types one, PostgreSQL text cannot hold one, and SQLite would store what PostgreSQL refuses.
  The request gets a 400 with a French message (JSON under /api/).
- A lone surrogate (a code point of U+D800–U+DFFF, half of a UTF-16 pair): JSON can carry
  one as an escape (`"a\\ud800b"`), but no database can store it and no page can show it.
  Refused field by field: a 422 whose `fields` name each place it was found — a JSON path as
  the API names fields (`body`, `notice.organiser`, `follow_ups[0].title`), a query or a
  route parameter. In an HTML form, `core.forms.Form` shows the error next to the field.
- A JSON body is read once, by `request_json`: decoded as JSON allows (UTF-8, -16, -32), its
  nesting checked without recursion before it is parsed, NaN, Infinity and numbers beyond
  any range refused (`InvalidJson`, 400 `invalid_json`); a body that does not parse at all
  is a 400 `bad_request`.
- An integer route argument (`<int:…>`) outside the range of a database integer is an
  address that cannot exist: 404, not an overflow in the database driver.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from itertools import accumulate
from typing import Any, NoReturn

from flask import Flask, request
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter, Map

from consultation.core.errors import BadRequest, InvalidJson, ValidationFailed
from consultation.core.i18n import N_

DATABASE_INT_MAX = 2**31 - 1
# Deeper than any shape the API reads (the deepest, a synthesis with its follow-ups, is 3).
MAX_JSON_DEPTH = 32
# French sources (N_), put through gettext where they are raised.
NUL_MESSAGE = N_("La requête contient un caractère nul (U+0000), qui n'est accepté nulle part.")
NOT_JSON_MESSAGE = N_("Le corps de la requête n'est pas un JSON valide.")
TOO_DEEP_MESSAGE = N_(
    "Le corps JSON est imbriqué sur plus de %(n)s niveaux : aucune donnée de l'API n'a cette forme."
)
NOT_A_NUMBER_MESSAGE = N_(
    "Le corps JSON contient un nombre invalide (NaN, Infinity ou hors limites), "
    "que JSON n'admet pas."
)
SURROGATE_MESSAGE = N_(
    "Ce texte contient un caractère invalide (une moitié de paire UTF-16, U+D800 à U+DFFF) : "
    "retirez-le ou saisissez le texte à nouveau."
)
_JSON_BODY = "consultation.json_body"
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# A string to its closing quote, or to the end of an unterminated one: never a failed match,
# so each character is read once (possessive loops), whatever the body.
_JSON_STRING = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+(?:"|\\?\Z)', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class DatabaseIntConverter(IntegerConverter):
    """`<int:…>` limited to what a database integer column holds (1 to 2³¹ − 1)."""

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = DATABASE_INT_MAX,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_app(app: Flask) -> None:
    """Install the converter (before any route is added) and the checks of every request."""
    app.url_map.converters["int"] = DatabaseIntConverter

    @app.before_request
    def refuse_unusable_characters() -> None:
        if _has_nul(request.path) or _has_nul(request.args):
            raise BadRequest(_(NUL_MESSAGE))
        places = dict(_surrogates_in_parameters())
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            if _has_nul(request.form):
                raise BadRequest(_(NUL_MESSAGE))
            body = request_json()
            if _has_nul(body):
                raise BadRequest(_(NUL_MESSAGE))
            places.update(lone_surrogates(body))
        if places:
            raise ValidationFailed(_(SURROGATE_MESSAGE), fields=places)


# --- JSON bodies -------------------------------------------------------------------------------


def request_json() -> Any:
    """The request's JSON body, parsed once: None when the request does not announce JSON
    (Content-Type) or has an empty body. Raises InvalidJson (400 `invalid_json`) for a body
    nested deeper than MAX_JSON_DEPTH or holding NaN, Infinity or an out-of-range number,
    BadRequest (400) for one that is not JSON."""
    if _JSON_BODY not in request.environ:
        try:
            request.environ[_JSON_BODY] = (_read_json(), None)
        except BadRequest as error:
            request.environ[_JSON_BODY] = (None, error)
    body, failure = request.environ[_JSON_BODY]
    if failure is not None:
        raise failure
    return body


def _read_json() -> Any:
    if not request.is_json:
        return None
    raw = request.get_data(cache=True)
    if not raw.strip():
        return None
    try:
        text = raw.decode(json.detect_encoding(raw), "surrogatepass")
    except (UnicodeDecodeError, LookupError):
        raise BadRequest(_(NOT_JSON_MESSAGE)) from None
    return parse_json(text)


def parse_json(text: str) -> Any:
    """`text` parsed as strict JSON: InvalidJson when it nests deeper than MAX_JSON_DEPTH
    (checked first, without recursion) or holds NaN, Infinity or an out-of-range number,
    BadRequest when it is not JSON."""
    if not nesting_within(text, MAX_JSON_DEPTH):
        raise InvalidJson(_(TOO_DEEP_MESSAGE, n=MAX_JSON_DEPTH))
    try:
        return json.loads(
            text, parse_constant=_refuse_constant, parse_float=_finite, parse_int=_integer
        )
    except (ValueError, RecursionError):
        raise BadRequest(_(NOT_JSON_MESSAGE)) from None


def nesting_within(text: str, limit: int) -> bool:
    """Whether the brackets of `text`, outside its strings, nest at most `limit` deep.

    Found without parsing and without recursion, at C speed (a 4 MiB body in a fraction of a
    second): strings and everything but brackets are dropped, a run of more than `limit`
    openers answers at once, otherwise the depth is the running sum of +1 per opener and −1
    per closer. After a closer that matches nothing the sum undercounts, but the parser stops
    there with an error and never reads what follows."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    if re.search(rf"[\[{{]{{{limit + 1}}}", brackets):
        return False
    return max(accumulate(map(_DEPTH_STEP.__getitem__, brackets)), default=0) <= limit


def _refuse_constant(name: str) -> NoReturn:
    raise InvalidJson(_(NOT_A_NUMBER_MESSAGE))


def _finite(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise InvalidJson(_(NOT_A_NUMBER_MESSAGE))
    return value


def _integer(literal: str) -> int:
    try:
        return int(literal)
    except ValueError:  # beyond Python's limit on digits (4,300)
        raise InvalidJson(_(NOT_A_NUMBER_MESSAGE)) from None


# --- Characters no route can use ---------------------------------------------------------------


def has_lone_surrogate(text: str) -> bool:
    return _LONE_SURROGATE.search(text) is not None


def without_lone_surrogates(text: str) -> str:
    """`text` with each lone surrogate replaced by U+FFFD, so that it can be shown again."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def lone_surrogates(value: Any) -> dict[str, str]:
    """Each place of a JSON value holding a lone surrogate (in a string or a key), named as
    the API names fields (`notice.organiser`, `follow_ups[0].title`; `$` for the body itself),
    with the message."""
    return {
        without_lone_surrogates(path) or "$": _(SURROGATE_MESSAGE)
        for path, text in _strings(value, "")
        if has_lone_surrogate(text)
    }


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """(path, text) of every string and key of a JSON value, walked without recursion."""
    pending = [(path, value)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, str):
            yield path, value
        elif isinstance(value, dict):
            for key, item in value.items():
                child = f"{path}.{key}" if path else str(key)
                yield child, str(key)
                pending.append((child, item))
        elif isinstance(value, list):
            pending.extend((f"{path}[{index}]", item) for index, item in enumerate(value))


def _surrogates_in_parameters() -> Iterator[tuple[str, str]]:
    """The query and route parameters holding a lone surrogate. Werkzeug decodes invalid
    UTF-8 with U+FFFD, so none arrives from a client today; a server that passed them through
    would meet this check rather than the database."""
    for name, values in request.args.lists():
        if has_lone_surrogate(name) or any(has_lone_surrogate(v) for v in values):
            yield without_lone_surrogates(name), _(SURROGATE_MESSAGE)
    for name, value in (request.view_args or {}).items():
        if isinstance(value, str) and has_lone_surrogate(value):
            yield name, _(SURROGATE_MESSAGE)


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if hasattr(value, "lists"):  # a MultiDict (query string, form): every value of every key
        return any(_has_nul(k) or _has_nul(v) for k, v in value.lists())
    if isinstance(value, dict | list):
        return any("\x00" in text for _path, text in _strings(value, ""))
    return False
