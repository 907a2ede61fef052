"""Loading a view's target through a domain's getter: a `NotFound` becomes the 404 page.

A domain's getter (`consultations.services.get_visible`) raises `NotFound`, which the global
handler would show as a domain error page; a page that loads its target by address answers a
plain 404 instead, as `db.get_or_404` does. Every domain's views load other domains' targets
this way, through those domains' services, never through their views. A getter that also
checks the viewer's rights raises `NotAllowed`, which `or_abort` turns into the 403 page: the
view loads and checks through the service, and does not check again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from flask import abort

from consultation.core.errors import NotAllowed, NotFound

Params = ParamSpec("Params")
Target = TypeVar("Target")


def or_404(load: Callable[Params, Target], *args: Params.args, **kwargs: Params.kwargs) -> Target:
    """What `load(*args, **kwargs)` returns; the 404 page when it raises NotFound."""
    try:
        return load(*args, **kwargs)
    except NotFound:
        abort(404)


def or_abort(load: Callable[Params, Target], *args: Params.args, **kwargs: Params.kwargs) -> Target:
    """What `load(*args, **kwargs)` returns; the 404 page when it raises NotFound, the 403 page
    when it raises NotAllowed."""
    try:
        return load(*args, **kwargs)
    except NotFound:
        abort(404)
    except NotAllowed:
        abort(403)
