"""Public pages rendered once and served again while what they show is unchanged.

A view hands `cached_page` a key, a *stamp* — a cheap read of everything on the page that can
change (counters, dates, status, the time-remaining phrase) — and a function that renders the
page. For an anonymous visitor with no message waiting, the page rendered under an equal
stamp is served from this worker's memory; any change to what the page shows changes the
stamp, so nothing stale is ever served: the cache saves the rendering, not the reading.
The stamp also makes the ETag, so a browser or proxy that kept the page gets a 304.
Signed-in visitors always get a fresh rendering (their pages hold forms and their name).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

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
