"""The public page of the adopted text: the act, and article by article what changed against
the consulted text, with the contributions that motivated each change."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, render_template
from flask_login import current_user

from consultation.consultations import queries as consultation_queries
from consultation.consultations import services as consultations
from consultation.core.errors import NotFound
from consultation.synthesis import adoption
from consultation.synthesis.models import AdoptedAct
from consultation.synthesis.views import public_bp


@public_bp.get("/consultations/<slug>/texte-adopte")
def adopted_text(slug: str):
    try:
        consultation = consultations.get_visible(slug, current_user)
    except NotFound:
        abort(404)
    act = adoption.adopted_act(consultation)
    comparison = adoption.compare(consultation)
    return render_template(
        "synthesis/adopted_text_public.html",
        consultation=consultation,
        act=act,
        changes=[c for c in comparison if c.is_changed],
        unchanged=[c for c in comparison if not c.is_changed],
        links=adoption.confirmed_links(consultation) if comparison else {},
    )


@public_bp.app_template_global()
def adopted_act(consultation):
    """The act recorded after the consultation, for the consultation page (or None)."""
    return adoption.adopted_act(consultation)


def _act_stamp_column(consultations_table: sa.Table):
    """When the act was last recorded (each correction records it again), as part of the
    consultation page's cache stamp: the page shows the act."""
    acts = AdoptedAct.__table__.c
    return (
        sa.select(sa.func.max(acts.recorded_at))
        .where(acts.consultation_id == consultations_table.c.id)
        .scalar_subquery()
        .label("adopted_act_recorded_at")
    )


@public_bp.record_once
def _add_act_to_page_stamp(_state) -> None:
    consultation_queries.add_to_page_stamp(_act_stamp_column)
