"""Open data: the Atom feed of consultations, the datasets catalogue and the API guide."""

from __future__ import annotations

from flask import Blueprint, current_app, make_response, render_template
from flask_login import current_user

from consultation.consultations import queries
from consultation.consultations.services import get_visible
from consultation.core import clock, limits
from consultation.core.i18n import number
from consultation.core.uploads import size_label
from consultation.ledger import services as ledger
from consultation.participation import services as participation

bp = Blueprint("opendata", __name__)


@bp.get("/consultations.atom")
def consultations_feed():
    """Every published consultation, most recently published first (SPEC §1 row 1)."""
    consultations = queries.public_consultations(None, clock.now())[:100]
    updated = max((c.updated_at for c in consultations), default=clock.now())
    response = make_response(
        render_template(
            "opendata/consultations.atom.xml", consultations=consultations, updated=updated
        )
    )
    response.headers["Content-Type"] = "application/atom+xml; charset=utf-8"
    return response


FEED_ENTRIES = 100


@bp.get("/consultations/<slug>/contributions.atom")
def contributions_feed(slug: str):
    """A consultation's newest contributions, for a feed reader: withdrawn ones left out,
    hidden ones with the moderation notice in place of their text."""
    consultation = get_visible(slug, current_user)
    items, _cursor = participation.list_contributions(
        consultation, sort="recent", limit=FEED_ENTRIES
    )
    items = [item for item in items if not item.is_withdrawn]
    updated = max(
        (item.edited_at or item.created_at for item in items), default=consultation.updated_at
    )
    response = make_response(
        render_template(
            "opendata/contributions.atom.xml",
            consultation=consultation,
            items=items,
            updated=updated,
        )
    )
    response.headers["Content-Type"] = "application/atom+xml; charset=utf-8"
    return response


@bp.get("/donnees-ouvertes")
def catalogue():
    return render_template(
        "opendata/catalogue.html", consultations=queries.public_consultations(None, clock.now())
    )


@bp.get("/api")
def api_docs():
    return render_template(
        "opendata/api_docs.html",
        read_limits=limits.described("API_READ_LIMITS_PER_ADDRESS"),
        export_limits=limits.described("EXPORT_LIMITS_PER_ADDRESS"),
        entries_page=number(ledger.ENTRIES_PAGE),
        entries_max=number(ledger.ENTRIES_PAGE_MAX),
        request_max=size_label(current_app.config["MAX_CONTENT_LENGTH"]),
    )
