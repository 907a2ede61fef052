"""Absolute links for e-mails and feeds, built from BASE_URL outside any request."""

from flask import current_app, url_for


def external_url(endpoint: str, **values) -> str:
    """The absolute URL of `endpoint` under the configured BASE_URL."""
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"] + "/"):
        return url_for(endpoint, _external=True, **values)
