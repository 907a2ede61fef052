"""Synthesis and follow-ups: official answers, the drafted synthesis, publication, follow-ups."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Add the adopted act and the follow flag to the consultation page (their values and the
    act's share of the page's cache stamp); the contributions' statuses to their cards and the
    commitment to answer to the contributions page."""
    from consultation.consultations.queries import CONSULTATION_PAGE
    from consultation.core import pagecache
    from consultation.participation.queries import CARDS, CONTRIBUTIONS_PAGE
    from consultation.synthesis import page_parts

    for part in (
        pagecache.PagePart("adopted_act", page_parts.adopted_act, page_parts.act_stamp_column),
        pagecache.PagePart("following", page_parts.following),
    ):
        pagecache.register_part(app, CONSULTATION_PAGE, part)
    pagecache.register_part(app, CARDS, pagecache.PagePart("statuses", page_parts.statuses))
    pagecache.register_part(
        app, CONTRIBUTIONS_PAGE, pagecache.PagePart("commitment", page_parts.commitment)
    )
