"""Reading request bodies and the page size of lists the same way in every handler."""

from flask import request
from flask_babel import gettext as _

from consultation.core.errors import BadRequest, UnsupportedMediaType, ValidationFailed
from consultation.core.i18n import N_
from consultation.core.inputs import request_json

PAGE_SIZE, MAX_PAGE_SIZE = 50, 200
NOT_AN_OBJECT = N_("Corps JSON attendu : un objet.")


def json_object() -> dict:
    """The request's JSON body, which must be an object; BadRequest (400) otherwise, InvalidJson
    (400 `invalid_json`) for one too deep or holding NaN (`core.inputs.request_json`).

    No body at all (empty or blank, with or without a Content-Type) is an empty object: an
    action with defaults takes them, one that needs fields answers 422 naming them. A body
    sent without a JSON Content-Type is a 400 `unsupported_media_type`, never silently ignored.
    """
    payload = request_json()
    if payload is None:
        if _sent_something():
            raise BadRequest(_(NOT_AN_OBJECT)) if request.is_json else UnsupportedMediaType()
        return {}
    if not isinstance(payload, dict):
        raise BadRequest(_(NOT_AN_OBJECT))
    return payload


def _sent_something() -> bool:
    """Whether the request carries a body with something in it (a form, once parsed, is no
    longer in the raw data)."""
    return bool(request.form or request.files or request.get_data(cache=True).strip())


def page_limit(default: int = PAGE_SIZE) -> int:
    """`?limit=` of a list: 1 to MAX_PAGE_SIZE, `default` when absent; a 422 on `limit`
    otherwise."""
    raw = request.args.get("limit", "")
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw[:6]) <= MAX_PAGE_SIZE:
        raise ValidationFailed(
            fields={"limit": _("Nombre entier de 1 à %(max)s attendu.", max=MAX_PAGE_SIZE)}
        )
    return int(raw)
