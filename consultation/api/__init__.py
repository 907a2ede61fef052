"""The JSON REST API, /api/v1 (SPEC §7). One module per resource; errors as in api/errors.
Every read is rate-limited per client address (`core.limits.api_read_limits`)."""

from flask import Blueprint

from consultation.core.limits import api_read_limits

bp = Blueprint("api", __name__, url_prefix="/api/v1")
api_read_limits(bp)

from consultation.api import (  # noqa: E402,F401  (routes on bp)
    adoption,
    auth,
    consultations,
    documents,
    ledger,
    moderation,
    openapi,
    participation,
    search,
    synthesis,
    synthesis_draft,
    synthesis_publish,
    synthesis_review,
)
