"""The JSON REST API, /api/v1 (SPEC §7). One module per resource; errors as in api/errors."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from consultation.api import (  # noqa: E402,F401  (routes on bp)
    adoption,
    auth,
    consultations,
    ledger,
    moderation,
    openapi,
    participation,
    synthesis,
    synthesis_draft,
    synthesis_publish,
)
