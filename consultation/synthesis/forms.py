"""Synthesis forms: shape only."""

from __future__ import annotations

# SelectChoice is WTForms 3.3's; types-wtforms (3.2) does not know it yet.
from wtforms import (  # type: ignore[attr-defined]
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired

from consultation.core.forms import Form, MaxChars
from consultation.synthesis.models import AnswerStatus, FollowUpStatus


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
            MaxChars(10_000),
        ],
    )


class SynthesisForm(Form):
    body = TextAreaField(
        "Texte de la synthèse (Markdown)",
        description="Titres avec ##, listes avec -, liens [texte](https://…). Le HTML est retiré. "
        "200 000 caractères au maximum.",
        validators=[MaxChars(200_000)],
    )
    observations_considered = TextAreaField(
        "Observations prises en compte",
        description="Obligatoire pour une base environnementale : les observations du public dont "
        "la décision tient compte.",
        validators=[MaxChars(100_000)],
    )
    reasons_url = StringField(
        "Adresse de la déclaration des motifs",
        description="Obligatoire pour une base environnementale : la déclaration des motifs, "
        "publiée à part (adresse commençant par https://).",
        validators=[MaxChars(2_000)],
    )


class PublishSynthesisForm(Form):
    change_note = TextAreaField(
        "Note de version",
        description="Ce qui a changé depuis la version précédente (obligatoire à partir de la "
        "deuxième version).",
        validators=[MaxChars(2_000)],
    )


class FollowUpForm(Form):
    title = StringField(
        "Titre",
        validators=[
            InputRequired("Donnez un titre à la suite envisagée."),
            MaxChars(200),
        ],
    )
    description = TextAreaField(
        "Description",
        validators=[MaxChars(10_000)],
    )
    due_date = StringField(
        "Échéance prévue", description="Au format JJ/MM/AAAA, par exemple 15/03/2027."
    )
    status = SelectField(
        "Statut",
        choices=[SelectChoice(s.value, s.label) for s in FollowUpStatus],
        default=FollowUpStatus.announced.value,
    )
    url = StringField(
        "Lien",
        description="Une page qui en dit plus (adresse commençant par https://).",
        validators=[MaxChars(2_000)],
    )
    article_ids = SelectMultipleField("Articles concernés", coerce=int, validate_choice=False)
    contribution_ids = SelectMultipleField("Contributions liées", coerce=int, validate_choice=False)
    note = TextAreaField(
        "Note sur ce changement",
        description="Facultative, publiée dans l'historique de la suite.",
        validators=[MaxChars(2_000)],
    )
