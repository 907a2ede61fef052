"""Moderation forms: shape only; the rules are in `services`."""

from __future__ import annotations

# SelectChoice is WTForms 3.3's; types-wtforms (3.2) does not know it yet.
from wtforms import (  # type: ignore[attr-defined]
    BooleanField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Optional

from consultation.core.charter import ModerationReason
from consultation.core.forms import Form, MaxChars, PublicForm

REASON_CHOICES = [SelectChoice(r.value, r.label) for r in ModerationReason]
NOTE_LENGTH = MaxChars(2000)


class ReportForm(PublicForm):
    reason = RadioField(
        "Pourquoi signalez-vous cette contribution ?",
        choices=REASON_CHOICES,
        validators=[InputRequired("Choisissez un motif de signalement.")],
    )
    details = TextAreaField(
        "Précisions (facultatif)",
        description="1 000 caractères au maximum. Visible des seuls modérateurs.",
        validators=[Optional(), MaxChars(1000)],
    )


class DecisionForm(Form):
    """One decision on one contribution; which fields matter depends on the action."""

    action = SelectField(
        "Décision",
        choices=[
            SelectChoice("hide", "Masquer"),
            SelectChoice("restore", "Rétablir"),
            SelectChoice("dismiss", "Rejeter les signalements ou le recours"),
            SelectChoice("duplicate", "Marquer comme doublon"),
            SelectChoice("block", "Bloquer l'auteur"),
        ],
        validators=[InputRequired("Choisissez une décision.")],
    )
    reason = SelectField(
        "Motif (pour masquer ou bloquer)",
        choices=[SelectChoice("", "— Choisir un motif —"), *REASON_CHOICES],
        validators=[Optional()],
        validate_choice=False,
    )
    duplicate_of = StringField(
        "Numéro de la contribution d'origine (pour un doublon)",
        description="Par exemple C-7KQ2-M9XD-4HTR.",
        validators=[Optional(), MaxChars(40)],
    )
    note = TextAreaField(
        "Note interne (facultatif)",
        description="Visible des modérateurs, dans le journal de modération.",
        validators=[Optional(), NOTE_LENGTH],
    )


class BulkForm(Form):
    """A decision applied to the contributions ticked in the queue (`ids`)."""

    ids = SelectMultipleField(
        "Contributions sélectionnées", coerce=int, validate_choice=False, validators=[Optional()]
    )
    action = SelectField(
        "Action sur la sélection",
        choices=[
            SelectChoice("hide", "Masquer"),
            SelectChoice("dismiss", "Rejeter les signalements ou le recours"),
            SelectChoice("restore", "Rétablir"),
            SelectChoice("block", "Bloquer les auteurs"),
        ],
        validators=[InputRequired("Choisissez une action.")],
    )
    reason = SelectField(
        "Motif (pour masquer ou bloquer)",
        choices=[SelectChoice("", "— Choisir un motif —"), *REASON_CHOICES],
        validators=[Optional()],
        validate_choice=False,
    )
    notify = BooleanField(
        "Prévenir les auteurs par e-mail",
        description="Pour masquer ou bloquer : chaque auteur reçoit un seul message, avec le "
        "motif et un lien de recours par contribution. Décochée d'office pour le motif spam.",
        default=True,
    )
    note = TextAreaField("Note interne (facultatif)", validators=[Optional(), NOTE_LENGTH])


class LiftBlockForm(Form):
    note = TextAreaField("Note interne (facultatif)", validators=[Optional(), NOTE_LENGTH])


class AppealForm(Form):
    body = TextAreaField(
        "En quoi votre contribution respecte-t-elle la charte ?",
        description="2 000 caractères au maximum. Lu par les seuls modérateurs.",
        validators=[
            InputRequired("Expliquez en quoi votre contribution respecte la charte."),
            MaxChars(2000),
        ],
    )
