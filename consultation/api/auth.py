"""Bearer-token authentication for the API (personal access tokens)."""

from __future__ import annotations

import logging

from flask import g, request
from flask_babel import gettext as _

from consultation.accounts.models import User
from consultation.accounts.services import user_for_api_token
from consultation.api import bp
from consultation.core.errors import AuthenticationRequired
from consultation.core.security import log_event


@bp.before_request
def load_token_user() -> None:
    """Read `Authorization: Bearer TOKEN`; a present but invalid token is refused at once."""
    g.api_user = None
    header = request.headers.get("Authorization", "")
    if not header:
        return
    scheme, _space, secret = header.partition(" ")
    user = user_for_api_token(secret.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        log_event("api_token_refused", level=logging.WARNING, scheme=scheme[:20] or None)
        raise AuthenticationRequired(_("Jeton d'accès invalide ou révoqué."))
    g.api_user = user


def api_user() -> User | None:
    return g.get("api_user")


def require_api_user() -> User:
    """The token's owner; AuthenticationRequired (401) when the request carries no token."""
    user = api_user()
    if user is None:
        raise AuthenticationRequired()
    return user
