"""Public pages: the list of consultations, a consultation with its notice and text, an article."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from consultation.consultations import queries, services
from consultation.consultations.constants import Status
from consultation.core import clock, pagecache
from consultation.core.lookup import or_404

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
        return _render_show(slug, now)
    return pagecache.cached_page("consultation", stamp, lambda: _render_show(slug, now))


def _render_show(slug: str, now: datetime) -> str:
    consultation = or_404(services.get_visible, slug, current_user)
    page = queries.consultation_page(consultation, current_user, now)
    return render_template("consultations/show.html", **page.context())
