"""Public pages rendered once and served again while what they show is unchanged.

A view hands `cached_page` a key, a *stamp* — a cheap read of everything on the page that can
change (counters, dates, status, the time-remaining phrase) — and a function that renders the
page. For an anonymous visitor with no message waiting, the page rendered under an equal
stamp is served from this worker's memory; any change to what the page shows changes the
stamp, so nothing stale is ever served: the cache saves the rendering, not the reading.
The stamp also makes the ETag, so a browser or proxy that kept the page gets a 304.
Signed-in visitors always get a fresh rendering (their pages hold forms and their name).

A page's read model is built by its domain's queries; what a domain above it adds to the page
(the ledger's latest checkpoint, the adopted act on the consultation page) is a `PagePart`,
registered on the application by that domain's `init_app` (`register_part`): the part brings
both its value for the read model and its share of the stamp, so nothing is shown that the
stamp does not cover. The registry lives in `app.extensions["page_stamps"]`, one per app.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, make_response, request, session
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse


class PageCache:
    """A small least-recently-used store of rendered pages, safe across threads."""

    def __init__(self, size: int):
        self.size = size
        self._pages: OrderedDict[Hashable, tuple[Hashable, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, stamp: Hashable) -> bytes | None:
        with self._lock:
            entry = self._pages.get(key)
            if entry is None or entry[0] != stamp:
                return None
            self._pages.move_to_end(key)
            return entry[1]

    def put(self, key: Hashable, stamp: Hashable, body: bytes) -> None:
        with self._lock:
            self._pages[key] = (stamp, body)
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


def cached_page(key: Hashable, stamp: Hashable, render: Callable[[], str]) -> str | BaseResponse:
    """The response for a public page: from the cache when the stamp is unchanged."""
    if not shareable():
        return render()
    cache: PageCache | None = current_app.extensions.get("page_cache")
    full_key = (key, request.full_path, str(get_locale()))
    body = cache.get(full_key, stamp) if cache is not None else None
    if body is None:
        body = render().encode()
        if cache is not None:
            cache.put(full_key, stamp, body)
    response = make_response(body)
    response.content_type = "text/html; charset=utf-8"
    response.set_etag(hashlib.sha256(repr((full_key, stamp)).encode()).hexdigest()[:32])
    response.headers["Cache-Control"] = "no-cache"  # may be kept, but revalidated each time
    return response.make_conditional(request)


def shareable() -> bool:
    """The same page may be shown to every visitor in this situation."""
    return not current_user.is_authenticated and "_flashes" not in session


def init_app(app: Flask) -> None:
    size = app.config.get("PAGE_CACHE_SIZE", 256)
    if size:
        app.extensions["page_cache"] = PageCache(size)


@dataclass(frozen=True)
class PagePart:
    """What a domain adds to another domain's page.

    `load(target, viewer, now)` gives the part's plain value for the page's read model (no
    template reads the database). `stamp(table)` gives a scalar subquery correlated to the
    page's main table (for the consultation page, `consultations`) that changes whenever that
    value can change for an anonymous visitor; a part without one must show every anonymous
    visitor the same thing at all times (a signed-in visitor's flag, such as following)."""

    name: str
    load: Callable[[Any, Any, Any], Any]
    stamp: Callable[[sa.Table], sa.ColumnElement[Any]] | None = None


def register_part(app: Flask, page: str, part: PagePart) -> None:
    """Add `part` to `page` (a page's key, such as "consultation") for this application; called
    by a domain's `init_app`. Registering a part of the same name again replaces it."""
    registry: dict[str, dict[str, PagePart]] = app.extensions.setdefault("page_stamps", {})
    registry.setdefault(page, {})[part.name] = part


def parts(page: str, app: Flask | None = None) -> tuple[PagePart, ...]:
    """The parts registered for `page` on `app` (the current application by default), in the
    order they were registered."""
    app = app or current_app
    return tuple(app.extensions.get("page_stamps", {}).get(page, {}).values())
