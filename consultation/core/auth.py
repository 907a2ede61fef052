"""Roles and the role checks shared by views, API handlers and services.

Rights are checked on the server for every action. Organisers and moderators act only within
their institution; administrators act everywhere. A role is compared in one place, `has_role`:
the view decorators below use it, and templates get its answers as flags (`role_flags`), never
a role to compare.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort
from flask_login import current_user

from consultation.core.errors import NotAllowed
from consultation.core.i18n import N_, LazyString, lazy

View = TypeVar("View", bound=Callable[..., Any])


class Role(enum.Enum):
    participant = "participant"
    organiser = "organiser"
    moderator = "moderator"
    admin = "admin"

    @property
    def label(self) -> LazyString:
        """In the reader's language."""
        return lazy(ROLE_LABELS[self])

    @property
    def label_fr(self) -> str:
        """The French source, for certified and machine-read outputs."""
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.participant: N_("Participant"),
    Role.organiser: N_("Organisateur"),
    Role.moderator: N_("Modérateur"),
    Role.admin: N_("Administrateur"),
}

STAFF = (Role.organiser, Role.moderator)


def has_role(user: Any, *roles: Role) -> bool:
    """Whether `user` (an accounts User, or the anonymous visitor) is signed in and holds one of
    `roles`; an administrator holds them all. The one place a role is compared."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.role is Role.admin or user.role in roles)


def role_flags(user: Any) -> dict[str, bool]:
    """What the navigation shows, as flags for the templates: the back-office (staff) and the
    moderation queue (moderators)."""
    return {
        "user_is_staff": has_role(user, *STAFF),
        "user_moderates": has_role(user, Role.moderator),
    }


def require(condition: bool, message: str | None = None) -> None:
    """Raise NotAllowed unless `condition` holds."""
    if not condition:
        raise NotAllowed(message)


def login_required_role(*roles: Role) -> Callable[[View], View]:
    """View decorator: the signed-in user must hold one of `roles` (admins always pass); an
    anonymous visitor is sent to the login page, anyone else gets a 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                from consultation.extensions import login_manager

                return login_manager.unauthorized()
            if not has_role(current_user, *roles):
                abort(403)
            return view(*args, **kwargs)

        return cast(View, wrapped)

    return decorator


staff_only = login_required_role(*STAFF)
"""Organisers and moderators of an institution, and administrators."""
organisers_only = login_required_role(Role.organiser)
"""Organisers and administrators."""
moderators_only = login_required_role(Role.moderator)
"""Moderators and administrators."""
