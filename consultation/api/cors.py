"""Cross-origin access to the API: any web page may call it from a browser.

The API authenticates by bearer token only and never reads the session cookie, so answering
`Access-Control-Allow-Origin: *` (without credentials) lets a reuser's page read the public
data and, with a token its user pasted, write — and gives no other site anything a visitor's
cookies could unlock. Preflight requests (OPTIONS) are answered by Flask's automatic OPTIONS
handling, with the methods and headers a client may use added here.
"""

from __future__ import annotations

from flask import Response

ALLOWED_HEADERS = "Authorization, Content-Type, If-None-Match, If-Modified-Since"
EXPOSED_HEADERS = "ETag, Last-Modified, Retry-After, Link"
PREFLIGHT_MAX_AGE = "86400"


def add_cors_headers(response: Response, method: str) -> Response:
    headers = response.headers
    headers["Access-Control-Allow-Origin"] = "*"
    headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    if method == "OPTIONS":
        headers["Access-Control-Allow-Methods"] = response.headers.get(
            "Allow", "GET, HEAD, OPTIONS"
        )
        headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    return response
