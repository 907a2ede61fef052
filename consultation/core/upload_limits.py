"""The request size a route that takes a file accepts.

The application's `MAX_CONTENT_LENGTH` (4 MB) bounds every request, so that a form or an API
body cannot fill the server's memory. A route that takes a file (a draft in .docx, an adopted
text, a consultation's document) is marked with `@accepts_upload("SETTING")`, the setting
naming its file limit in bytes (`DRAFT_UPLOAD_MAX_BYTES`, `DOCUMENT_MAX_BYTES`). For such a
route the request may hold that file plus what any other request may (the global limit, for
the form's other fields and the multipart framing):

- a body over that is still a 413, before anything is read;
- a file over its own limit but within the request's reaches the view, and `read_upload`
  refuses it in French next to the field (`file_too_large`).

The limit is set by a `before_request` hook (`init_app`), registered before Flask-WTF's CSRF
check, which reads the form, so that the form is parsed under the route's limit. Marking a
view works as `csrf.exempt` does: by its module and name, whatever the decorators' order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, request

__all__ = ["accepts_upload", "file_limit", "init_app", "request_limit"]

View = TypeVar("View", bound=Callable[..., Any])

_SETTINGS: dict[str, str] = {}
"""`module.name` of each marked view → the setting naming its file limit."""


def accepts_upload(setting: str) -> Callable[[View], View]:
    """Mark a view that takes a file of at most `setting` bytes (a config key): its request
    may be that much larger than the global `MAX_CONTENT_LENGTH`."""

    def mark(view: View) -> View:
        _SETTINGS[f"{view.__module__}.{view.__name__}"] = setting
        return view

    return mark


def _setting(app: Flask, endpoint: str | None) -> str | None:
    view = app.view_functions.get(endpoint or "")
    if view is None:
        return None
    return _SETTINGS.get(f"{view.__module__}.{view.__name__}")


def file_limit() -> int | None:
    """The largest file the current request's route takes (None: the route takes none)."""
    setting = _setting(current_app, request.endpoint)
    if setting is None:
        return None
    return int(current_app.config[setting])


def request_limit(app: Flask, endpoint: str | None) -> int | None:
    """The most a request to `endpoint` may carry: the global limit, plus the file's when the
    route takes one."""
    base = app.config.get("MAX_CONTENT_LENGTH")
    setting = _setting(app, endpoint)
    if setting is None or base is None:
        return base
    return int(app.config[setting]) + int(base)


def init_app(app: Flask) -> None:
    """Install the hook; call it before `csrf.init_app`, whose check reads the form."""

    @app.before_request
    def raise_upload_limit() -> None:
        if _setting(app, request.endpoint) is not None:
            request.max_content_length = request_limit(app, request.endpoint)
