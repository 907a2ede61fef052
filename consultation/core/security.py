"""Security events, on one logger: `consultation.security`.

Sign-ins (failed and successful), sign-outs, password changes and resets, e-mail
verifications, API tokens created, revoked or refused, access denied, CSRF failures, rate
limits reached and public forms refused as automated. Each record says what happened, to which
account (its id) and, during a request, from which address and on which route.

Never logged: a password, a token or link secret, a session identifier, a full e-mail address
(`mask_email` keeps the first letter and the domain). Operators route this logger where they
keep such logs (syslog, a SIEM); by default it goes wherever the root logger goes.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import g, has_request_context, request

from consultation.core.net import client_address

security_log = logging.getLogger("consultation.security")


def mask_email(email: str | None) -> str:
    """An e-mail address fit for logs: 'a***@example.org'."""
    local, _, domain = (email or "").strip().lower().partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def log_event(event: str, *, level: int = logging.INFO, **details: Any) -> None:
    """Log the security event `event` with `details` (ids, masked addresses: no secret).

    During a request the client address, the method and the path are added, and the acting
    account when it is known and not given.
    """
    if has_request_context():
        if "user" not in details:
            details["user"] = _acting_user_id()
        details["address"] = client_address()
        # The route, not the path: some paths carry a secret (/reinitialisation/<token>).
        rule = request.url_rule.rule if request.url_rule is not None else "?"
        details["request"] = f"{request.method} {rule}"
    text = " ".join(f"{key}={value}" for key, value in details.items() if value is not None)
    security_log.log(
        level, "%s %s", event, text, extra={"security_event": event, "security_details": details}
    )


def _acting_user_id() -> int | None:
    user = g.get("api_user")
    if user is None:
        # Only a user Flask-Login has already loaded: logging must not query the database.
        user = g.get("_login_user")
    if user is not None and getattr(user, "is_authenticated", False):
        user_id: int = user.id
        return user_id
    return None
