"""Links: absolute links for e-mails, feeds, exports and API documents, built from BASE_URL
and never from the request (its `Host` header is whatever the client sent), and the one rule
for an address people give (a source, a follow-up, an act, a statement of reasons): absolute
http or https, nothing else (no javascript:, no mailto:, no relative path).

Every absolute address the platform writes goes through `external_url` (also a template
global); `url_for(..., _external=True)` is not used (tests/core/test_urls.py checks).
"""

from typing import Any
from urllib.parse import quote, urlsplit

from flask import Flask, current_app

from consultation.core.i18n import N_

# A French source (N_): whoever shows it puts it through gettext.
WEB_ADDRESS_MESSAGE = N_("Adresse web attendue, commençant par http:// ou https://.")


def is_web_address(value: str) -> bool:
    """An absolute http or https address."""
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def external_url(endpoint: str, **values: Any) -> str:
    """The absolute URL of `endpoint` under the configured BASE_URL, in or out of a request.

    `_anchor` adds a fragment; None values are left out, as `url_for` does.
    """
    base = urlsplit(current_app.config["BASE_URL"])
    anchor = values.pop("_anchor", None)
    values = {key: value for key, value in values.items() if value is not None}
    current_app.inject_url_defaults(endpoint, values)
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    url = adapter.build(endpoint, values, force_external=True)
    if anchor is not None:
        url += "#" + quote(str(anchor), safe="%!#$&'()*+,/:;=?@")
    return url


def init_app(app: Flask) -> None:
    """Templates call `external_url(...)` for every absolute link (feeds, the API guide)."""
    app.add_template_global(external_url)
