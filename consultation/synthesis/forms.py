"""Synthesis forms: shape only."""

from __future__ import annotations

from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length

from consultation.core.forms import Form
from consultation.synthesis.models import AnswerStatus


class AnswerForm(Form):
    status = RadioField(
        "Suite donnée",
        choices=[SelectChoice(s.value, s.label) for s in AnswerStatus],
        validators=[InputRequired("Choisissez la suite donnée.")],
    )
    body = TextAreaField(
        "Réponse publiée",
        description="Publiée avec la contribution et envoyée à son auteur. 10 000 caractères au maximum.",
        validators=[
            InputRequired("Rédigez la réponse."),
            Length(max=10_000, message="10 000 caractères au maximum."),
        ],
    )
