"""Role checks shared by views, API handlers and services.

Rights are checked on the server for every action. Organisers and moderators act only within
their institution; administrators act everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort
from flask_login import current_user

from consultation.core.errors import NotAllowed

View = TypeVar("View", bound=Callable[..., Any])


def require(condition: bool, message: str | None = None) -> None:
    """Raise NotAllowed unless `condition` holds."""
    if not condition:
        raise NotAllowed(message)


def login_required_role(*roles: str) -> Callable[[View], View]:
    """View decorator: the signed-in user must hold one of `roles` (admins always pass)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = current_user  # an accounts.models.User, a type core does not import
            if not user.is_authenticated:
                from consultation.extensions import login_manager

                return login_manager.unauthorized()
            if not (user.is_admin or user.role.value in roles):
                abort(403)
            return view(*args, **kwargs)

        return cast(View, wrapped)

    return decorator
