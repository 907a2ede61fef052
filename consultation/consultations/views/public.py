"""Public pages: the list of consultations, a consultation with its notice and text, an article."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from consultation.consultations import queries, services
from consultation.consultations.constants import Status
from consultation.core import clock, pagecache
from consultation.core.lookup import or_404
from consultation.core.sanitize import render_markdown
from consultation.texts.outline import outline

bp = Blueprint("consultations", __name__)


@bp.get("/")
def index():
    now = clock.now()
    return render_template(
        "consultations/index.html",
        listing=queries.public_listing(now),
        sections=queries.PUBLIC_SECTIONS,
        timing=lambda c: queries.timing_phrase(c, now),
        Status=Status,
    )


@bp.get("/consultations")
@bp.get("/consultations/")
def listing():
    """The breadcrumb's "Consultations" as an address people type: the list is the home page."""
    return redirect(url_for("consultations.index"), 301)


@bp.get("/consultations/<slug>")
def show(slug: str):
    now = clock.now()
    stamp = queries.public_page_stamp(slug, now) if pagecache.shareable() else None
    if stamp is None:  # a signed-in visitor, or no published consultation at this address
        return _render_show(load_visible(slug), now)
    return pagecache.cached_page(
        "consultation", stamp, lambda: _render_show(load_visible(slug), now)
    )


def _render_show(consultation, now):
    version = queries.load_text(consultation)
    return render_template(
        "consultations/show.html",
        consultation=consultation,
        version=version,
        outline=outline(version),
        status=consultation.status_at(now),
        timing=queries.timing_phrase(consultation, now),
        explanatory_note=render_markdown(consultation.notice.explanatory_note),
        public_events=[e for e in consultation.events if e.is_public],
    )


def load_visible(slug: str):
    return or_404(services.get_visible, slug, current_user)
