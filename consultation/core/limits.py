"""Rate limits, in one place: on participation (contributions, votes, reports), and on the
API's reads and bulk exports.

Each decorator applies two limits, both shared by the web pages and the API so that one
cannot be used to get round the other: one per account (the signed-in user, or the owner of
the API token) and one per client address. The address is the one `core.net` trusts:
X-Forwarded-For counts only through the proxies declared in `PROXY_COUNT`, so a forged header
buys no new allowance. The values are read from the configuration at each request
(`CONTRIBUTION_LIMITS_PER_ACCOUNT`, `VOTE_LIMITS_PER_ADDRESS`… in config.py); an empty value
switches that limit off, and `RATE_LIMITS_ENABLED` switches every limit of the application.

The API's reads (every GET under /api/v1) and its three bulk exports are limited per client
address only (`API_READ_LIMITS_PER_ADDRESS`, `EXPORT_LIMITS_PER_ADDRESS`): nobody needs an
account to read. An export answered 304 (the reuser's copy is current) is not counted.

Counters live in Redis when `REDIS_URL` is set, shared by every worker and machine; otherwise
in the memory of each process, so that under gunicorn every limit is multiplied by the number
of worker processes (`make run` is one process; config.py warns at start-up in production). A refused request gets a 429 with `Retry-After`: an HTML page that gives back what
was typed, or the JSON error `rate_limited` (see setup.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import Response, current_app, g
from flask_babel import gettext as _
from flask_login import current_user
from limits import parse_many

from consultation.core.i18n import number
from consultation.core.net import client_address
from consultation.extensions import limiter

# Only writes count: a form shown by GET on the same route (a report form) is not limited.
View = TypeVar("View", bound=Callable[..., Any])

WRITE_METHODS = ["POST", "PUT", "PATCH", "DELETE"]


@limiter.request_filter
def _limits_switched_off() -> bool:
    """Every limit of the application (sign-in included) follows RATE_LIMITS_ENABLED."""
    return not current_app.config.get("RATE_LIMITS_ENABLED", True)


def account_key() -> str:
    """The acting account: the API token's owner, else the signed-in user, else the address."""
    user = g.get("api_user")
    if user is None and current_user.is_authenticated:
        user = current_user
    if user is not None:
        return f"account:{user.id}"
    return f"address:{client_address()}"


def address_key() -> str:
    return f"address:{client_address()}"


def _setting(name: str) -> Callable[[], str]:
    return lambda: current_app.config.get(name) or "1000000 per second"


def _switched_off(name: str) -> Callable[[], bool]:
    return lambda: not current_app.config.get(name)


def _limits(action: str) -> Callable[[View], View]:
    """Per-account and per-address limits for `action`, shared by every route that uses them."""
    setting = action.upper()
    per_account = limiter.shared_limit(
        _setting(f"{setting}_LIMITS_PER_ACCOUNT"),
        scope=f"{action}:account",
        key_func=account_key,
        exempt_when=_switched_off(f"{setting}_LIMITS_PER_ACCOUNT"),
        methods=WRITE_METHODS,
    )
    per_address = limiter.shared_limit(
        _setting(f"{setting}_LIMITS_PER_ADDRESS"),
        scope=f"{action}:address",
        key_func=address_key,
        exempt_when=_switched_off(f"{setting}_LIMITS_PER_ADDRESS"),
        methods=WRITE_METHODS,
    )

    def decorator(view: View) -> View:
        # Flask-Limiter's decorators return a plain wrapper: the same view for the router.
        return cast(View, per_address(per_account(view)))

    return decorator


#: Submitting or editing a contribution, a comment or a reply.
contribution_limits = _limits("contribution")
#: Giving, changing or withdrawing an opinion on an article or a contribution.
vote_limits = _limits("vote")
#: Reporting a contribution to the moderation.
report_limits = _limits("report")


def _not_modified(response: Response) -> bool:
    return response.status_code == 304


#: Every read of the API, per client address (applied to the API blueprint).
api_read_limits = limiter.limit(
    _setting("API_READ_LIMITS_PER_ADDRESS"),
    key_func=address_key,
    exempt_when=_switched_off("API_READ_LIMITS_PER_ADDRESS"),
    methods=["GET"],
)
#: A bulk export (JSON, CSV, ZIP), per client address, on top of the reads' limit; a 304
#: costs nothing.
export_limits = limiter.shared_limit(
    _setting("EXPORT_LIMITS_PER_ADDRESS"),
    scope="export:address",
    key_func=address_key,
    exempt_when=_switched_off("EXPORT_LIMITS_PER_ADDRESS"),
    deduct_when=lambda response: not _not_modified(response),
    override_defaults=False,
)


_PER = {
    "second": lambda n: _("%(n)s par seconde", n=n),
    "minute": lambda n: _("%(n)s par minute", n=n),
    "hour": lambda n: _("%(n)s par heure", n=n),
    "day": lambda n: _("%(n)s par jour", n=n),
}


def described(setting: str) -> str:
    """A limit of the configuration as people read it: "10 per minute;120 per hour" →
    « 10 par minute, 120 par heure » (in the reader's language; "" when switched off)."""
    value = current_app.config.get(setting) or ""
    parts = []
    for item in parse_many(value) if value else []:
        granularity = item.GRANULARITY.name
        if item.multiples == 1 and granularity in _PER:
            parts.append(_PER[granularity](number(item.amount)))
        else:
            parts.append(str(item))
    return ", ".join(parts)
