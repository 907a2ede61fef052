"""The length limits of what participants write, in characters: one definition each, read by
the services (which refuse a longer text), the forms (`core.forms.MaxChars`, and the counters
the templates show through `data-max-length`) and the API document (`api.schemas`)."""

from __future__ import annotations

BODY_MAX = 10_000
"""A contribution's or reply's text, and a proposed wording."""
TITLE_MAX = 200
"""A contribution's title."""
URL_MAX = 2_000
"""A contribution's web address (the column is a String(2000))."""
OFFLINE_AUTHOR_MAX = 200
"""The name published for an observation received offline (longer names are cut)."""
