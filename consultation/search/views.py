"""The results page, /recherche?q=… (filters `consultation`, `status`, `kind`; `cursor`)."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from consultation.core import clock
from consultation.search import queries

bp = Blueprint("search", __name__)


@bp.get("/recherche")
def results():
    """Search the public consultations and contributions; without a query, the form alone.
    Another page links here with `consultation=<slug>` to search within one consultation."""
    page, status = queries.results_page(request.args, clock.now())
    return render_template("search/results.html", **page), status
