"""Reading request bodies the same way in every handler."""

from flask import request

from consultation.core.errors import BadRequest


def json_object() -> dict:
    """The request's JSON body, which must be an object; BadRequest (400) otherwise."""
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise BadRequest("Corps JSON attendu : un objet.")
    return payload
