"""Open data: the Atom feed of consultations, the datasets catalogue and the API guide."""

from __future__ import annotations

from flask import Blueprint, make_response, render_template

from consultation.consultations import queries
from consultation.core import clock

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


@bp.get("/donnees-ouvertes")
def catalogue():
    return render_template(
        "opendata/catalogue.html", consultations=queries.public_consultations(None, clock.now())
    )


@bp.get("/api")
def api_docs():
    return render_template("opendata/api_docs.html")
