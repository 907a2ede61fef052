"""Public pages of a published version's themes and proposal groups: every contribution of
each, 50 to a page (`synthesis.published_parts`)."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user

from consultation.consultations import services as consultations
from consultation.core.lookup import or_404
from consultation.synthesis import publishing
from consultation.synthesis.published_parts import PartKind, member_page, published_part
from consultation.synthesis.views import public_bp

DATABASE_INT = 2**31  # a number beyond what a row can hold names no version and no part


@public_bp.get("/consultations/<slug>/synthese/versions/<int:number>/themes/<int:part>")
def theme(slug: str, number: int, part: int):
    return _part_page(slug, number, PartKind.theme, part)


@public_bp.get("/consultations/<slug>/synthese/versions/<int:number>/propositions/<int:part>")
def proposal_group(slug: str, number: int, part: int):
    return _part_page(slug, number, PartKind.proposal, part)


def _part_page(slug: str, number: int, kind: PartKind, part_number: int):
    # The published consultation (or a draft its staff may see): 404 for anyone else.
    consultation = or_404(consultations.get_visible, slug, current_user)
    if not 0 < number < DATABASE_INT:
        abort(404)
    version = publishing.get_version(consultation, number)
    found = published_part(version, kind, part_number) if version else None
    if found is None:
        abort(404)
    page = request.args.get("page", 1, type=int) or 1
    latest = publishing.latest_version(consultation)
    return render_template(
        "synthesis/public_part.html",
        consultation=consultation,
        version=version,
        latest=latest,
        listing=member_page(consultation.id, found, min(max(page, 1), DATABASE_INT)),
        is_theme=kind is PartKind.theme,
    )
