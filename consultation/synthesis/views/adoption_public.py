"""The public page of the adopted text: the act, and article by article what changed against
the consulted text, with the contributions that motivated each change."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from consultation.consultations import services as consultations
from consultation.core.lookup import or_404
from consultation.synthesis import adoption
from consultation.synthesis.views import public_bp


@public_bp.get("/consultations/<slug>/texte-adopte")
def adopted_text(slug: str):
    consultation = or_404(consultations.get_visible, slug, current_user)
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
