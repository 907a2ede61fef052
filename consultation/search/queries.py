"""The results page's read model: the form as sent, the page of results or the error, the
choices of the filters and their labels."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from consultation.consultations.constants import Status
from consultation.consultations.models import Consultation
from consultation.core.errors import DomainError
from consultation.extensions import db
from consultation.participation.models import ContributionKind
from consultation.search import services
from consultation.search.models import CONSULTATION

FILTERS = ("consultation", "status", "kind")


def kind_labels() -> dict[str, str]:
    return {CONSULTATION: _("Consultation")} | {kind.value: kind.label for kind in ContributionKind}


def status_labels() -> dict[str, str]:
    return {value: Status(value).label for value in services.STATUSES}


def consultation_choices() -> list[tuple[str, str]]:
    """(slug, title) of every published consultation, newest first."""
    rows = db.session.execute(
        sa.select(Consultation.slug, Consultation.title)
        .where(Consultation.published_at.is_not(None))
        .order_by(Consultation.opens_at.desc(), Consultation.id.desc())
    )
    return [(row.slug, row.title) for row in rows]


def results_page(args: Mapping[str, str], now: datetime) -> tuple[dict[str, Any], int]:
    """What /recherche shows for the query string `args`, and its HTTP status (422 or 400 for
    a refused parameter, with the message beside its field)."""
    query = args.get("q", "")
    chosen = {name: args.get(name, "") for name in FILTERS}
    page = None
    errors: dict[str, str] = {}
    status = 200
    if query.strip():
        try:
            page = services.search(
                query,
                consultation=chosen["consultation"] or None,
                status=chosen["status"] or None,
                kind=chosen["kind"] or None,
                cursor=args.get("cursor") or None,
                limit=services.PAGE_SIZE,
                now=now,
            )
        except DomainError as error:
            errors = dict(error.fields or {"q": error.message})
            status = error.status
    return {
        "query": query,
        "chosen": chosen,
        "page": page,
        "errors": errors,
        "kinds": kind_labels(),
        "statuses": status_labels(),
        "consultations": consultation_choices(),
        "cursor": args.get("cursor") or "",
    }, status
