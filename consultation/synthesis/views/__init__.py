"""Synthesis pages. `bp` is the back-office under /gestion (answers, the draft, editing and
publishing, follow-ups, the adopted act); `public_bp` holds the public pages. One module per
part; each adds its routes to these blueprints."""

from flask import Blueprint

bp = Blueprint("synthesis", __name__, url_prefix="/gestion")
public_bp = Blueprint("synthesis_public", __name__)

from consultation.synthesis.views import (  # noqa: E402,F401  (routes on bp, public_bp)
    adoption,
    adoption_public,
    answers,
    drafting,
    editing,
    public,
    public_parts,
    review,
)
