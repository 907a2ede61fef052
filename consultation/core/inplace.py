"""Requests sent by the pages' scripts to act in place, without leaving the page.

static/js/participation.js marks them with the header `X-Requested-With: fetch`; a view that
acts in place answers them with an HTML fragment (the updated card, or the form sent back with
its errors) rendered from the same partials as its full page, and with the status the API
would give. Without the header, the same view answers as it always has (redirect or page).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from flask import request

FormT = TypeVar("FormT", bound=Iterable[Any])

HEADER = "X-Requested-With"
VALUE = "fetch"


def wants_fragment() -> bool:
    """Whether the current request was sent by a page's script and expects a fragment."""
    return request.headers.get(HEADER, "").lower() == VALUE


def prefix_ids(form: FormT, prefix: str) -> FormT:
    """Give every field of `form` an id starting with `prefix` (names stay as they are), so
    that several forms of the same kind can sit in one page, one per contribution card."""
    for field in form:
        field.id = f"{prefix}-{field.name}"
    return form
