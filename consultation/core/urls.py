"""Links: absolute links for e-mails and feeds, built from BASE_URL outside any request, and
the one rule for an address people give (a source, a follow-up, an act, a statement of
reasons): absolute http or https, nothing else (no javascript:, no mailto:, no relative path).
"""

from urllib.parse import urlsplit

from flask import current_app, url_for

WEB_ADDRESS_MESSAGE = "Adresse web attendue, commençant par http:// ou https://."


def is_web_address(value: str) -> bool:
    """An absolute http or https address."""
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def external_url(endpoint: str, **values) -> str:
    """The absolute URL of `endpoint` under the configured BASE_URL."""
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"] + "/"):
        return url_for(endpoint, _external=True, **values)
