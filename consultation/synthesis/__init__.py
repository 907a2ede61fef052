"""Synthesis and follow-ups: official answers, the drafted synthesis, publication, follow-ups."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Add the adopted act and the follow flag to the consultation page (their values and the
    act's share of the page's cache stamp)."""
    from consultation.consultations.queries import CONSULTATION_PAGE
    from consultation.core import pagecache
    from consultation.synthesis import page_parts

    for part in (
        pagecache.PagePart("adopted_act", page_parts.adopted_act, page_parts.act_stamp_column),
        pagecache.PagePart("following", page_parts.following),
    ):
        pagecache.register_part(app, CONSULTATION_PAGE, part)
