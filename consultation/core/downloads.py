"""Serving a stored file to the browser, so that it can do no harm: its type as the platform
established it (never sniffed), opened only in a sandbox that may run and load nothing, and
named by a Content-Disposition header that keeps any name inert.
"""

from __future__ import annotations

from typing import IO
from urllib.parse import quote

from flask import Response, request
from werkzeug.wsgi import wrap_file

SANDBOX_POLICY = "sandbox; default-src 'none'"
"""The only policy a served file gets: the browser runs nothing and loads nothing for it."""


def content_disposition(disposition: str, filename: str) -> str:
    """`inline` or `attachment` with the name twice: an ASCII fallback without quote,
    backslash or other character that could end the header's value, and the exact name
    percent-encoded (RFC 6266)."""
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_")
    ascii_name = ascii_name.replace('"', "_").replace("\\", "_")
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def send_stored(
    file: IO[bytes],
    *,
    media_type: str,
    filename: str,
    size: int,
    cache_control: str,
    disposition: str = "inline",
) -> Response:
    """An answer streaming the open `file` (closed once sent) of `size` bytes as `media_type`,
    with nosniff, the sandboxing policy, its name and the given Cache-Control."""
    response = Response(
        wrap_file(request.environ, file), mimetype=media_type, direct_passthrough=True
    )
    response.content_length = size
    response.headers["Content-Disposition"] = content_disposition(disposition, filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = SANDBOX_POLICY
    response.headers["Cache-Control"] = cache_control
    return response
