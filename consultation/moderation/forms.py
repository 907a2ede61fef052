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
from consultation.core.i18n import NumberWhenShown, _l
from consultation.moderation import limits
from consultation.moderation.limits import APPEAL_MAX, DETAILS_MAX, NOTE_MAX, TRACKING_NUMBER_MAX

REASON_CHOICES = [SelectChoice(r.value, r.label) for r in ModerationReason]
NOTE_LENGTH = MaxChars(NOTE_MAX)


class ReportForm(PublicForm):
    reason = RadioField(
        _l("Pourquoi signalez-vous cette contribution ?"),
        choices=REASON_CHOICES,
        validators=[InputRequired(_l("Choisissez un motif de signalement."))],
    )
    details = TextAreaField(
        _l("Précisions (facultatif)"),
        description=_l(
            "%(n)s caractères au maximum. Visible des seuls modérateurs.",
            n=NumberWhenShown(lambda: limits.DETAILS_MAX),
        ),
        validators=[Optional(), MaxChars(DETAILS_MAX)],
    )


class DecisionForm(Form):
    """One decision on one contribution; which fields matter depends on the action."""

    action = SelectField(
        _l("Décision"),
        choices=[
            SelectChoice("hide", _l("Masquer")),
            SelectChoice("restore", _l("Rétablir")),
            SelectChoice("dismiss", _l("Rejeter les signalements ou le recours")),
            SelectChoice("duplicate", _l("Marquer comme doublon")),
            SelectChoice("block", _l("Bloquer l'auteur")),
        ],
        validators=[InputRequired(_l("Choisissez une décision."))],
    )
    reason = SelectField(
        _l("Motif (pour masquer ou bloquer)"),
        choices=[SelectChoice("", _l("— Choisir un motif —")), *REASON_CHOICES],
        validators=[Optional()],
        validate_choice=False,
    )
    duplicate_of = StringField(
        _l("Numéro de la contribution d'origine (pour un doublon)"),
        description=_l("Par exemple C-7KQ2-M9XD-4HTR."),
        validators=[Optional(), MaxChars(TRACKING_NUMBER_MAX)],
    )
    note = TextAreaField(
        _l("Note interne (facultatif)"),
        description=_l("Visible des modérateurs, dans le journal de modération."),
        validators=[Optional(), NOTE_LENGTH],
    )


class BulkForm(Form):
    """A decision applied to the contributions ticked in the queue (`ids`)."""

    ids = SelectMultipleField(
        _l("Contributions sélectionnées"),
        coerce=int,
        validate_choice=False,
        validators=[Optional()],
    )
    action = SelectField(
        _l("Action sur la sélection"),
        choices=[
            SelectChoice("hide", _l("Masquer")),
            SelectChoice("dismiss", _l("Rejeter les signalements ou le recours")),
            SelectChoice("restore", _l("Rétablir")),
            SelectChoice("block", _l("Bloquer les auteurs")),
        ],
        validators=[InputRequired(_l("Choisissez une action."))],
    )
    reason = SelectField(
        _l("Motif (pour masquer ou bloquer)"),
        choices=[SelectChoice("", _l("— Choisir un motif —")), *REASON_CHOICES],
        validators=[Optional()],
        validate_choice=False,
    )
    notify = BooleanField(
        _l("Prévenir les auteurs par e-mail"),
        description=_l(
            "Pour masquer ou bloquer : chaque auteur reçoit un seul message, avec le "
            "motif et un lien de recours par contribution. Décochée d'office pour le motif spam."
        ),
        default=True,
    )
    note = TextAreaField(_l("Note interne (facultatif)"), validators=[Optional(), NOTE_LENGTH])


class LiftBlockForm(Form):
    note = TextAreaField(_l("Note interne (facultatif)"), validators=[Optional(), NOTE_LENGTH])


class AppealForm(Form):
    body = TextAreaField(
        _l("En quoi votre contribution respecte-t-elle la charte ?"),
        description=_l(
            "%(n)s caractères au maximum. Lu par les seuls modérateurs.",
            n=NumberWhenShown(lambda: limits.APPEAL_MAX),
        ),
        validators=[
            InputRequired(_l("Expliquez en quoi votre contribution respecte la charte.")),
            MaxChars(APPEAL_MAX),
        ],
        render_kw={"data-max-length": APPEAL_MAX},  # the counter (static/js/consultation.js)
    )
