"""Reading request bodies and the page size of lists the same way in every handler."""

from flask import request

from consultation.core.errors import BadRequest, ValidationFailed

PAGE_SIZE, MAX_PAGE_SIZE = 50, 200


def json_object() -> dict:
    """The request's JSON body, which must be an object; BadRequest (400) otherwise."""
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise BadRequest("Corps JSON attendu : un objet.")
    return payload


def page_limit(default: int = PAGE_SIZE) -> int:
    """`?limit=` of a list: 1 to MAX_PAGE_SIZE, `default` when absent; a 422 on `limit`
    otherwise."""
    raw = request.args.get("limit", "")
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw[:6]) <= MAX_PAGE_SIZE:
        raise ValidationFailed(fields={"limit": f"Nombre entier de 1 à {MAX_PAGE_SIZE} attendu."})
    return int(raw)
