"""Synthesis forms: shape only."""

from __future__ import annotations

# SelectChoice is WTForms 3.3's; types-wtforms (3.2) does not know it yet.
from wtforms import (  # type: ignore[attr-defined]
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired

from consultation.core.forms import Form, MaxChars
from consultation.core.i18n import NumberWhenShown, _l
from consultation.synthesis import limits
from consultation.synthesis.limits import (
    ANSWER_MAX,
    CHANGE_NOTE_MAX,
    FOLLOW_UP_DESCRIPTION_MAX,
    FOLLOW_UP_NOTE_MAX,
    FOLLOW_UP_TITLE_MAX,
    OBSERVATIONS_MAX,
    SYNTHESIS_MAX,
    URL_MAX,
)
from consultation.synthesis.models import AnswerStatus, FollowUpStatus


class AnswerForm(Form):
    status = RadioField(
        _l("Suite donnée"),
        choices=[SelectChoice(s.value, s.label) for s in AnswerStatus],
        validators=[InputRequired(_l("Choisissez la suite donnée."))],
    )
    body = TextAreaField(
        _l("Réponse publiée"),
        description=_l(
            "Publiée avec la contribution et envoyée à son auteur. %(n)s caractères au maximum.",
            n=NumberWhenShown(lambda: limits.ANSWER_MAX),
        ),
        validators=[
            InputRequired(_l("Rédigez la réponse.")),
            MaxChars(ANSWER_MAX),
        ],
        render_kw={"data-max-length": ANSWER_MAX},  # the counter (static/js/consultation.js)
    )


class SynthesisForm(Form):
    body = TextAreaField(
        _l("Texte de la synthèse (Markdown)"),
        description=_l(
            "Titres avec ##, listes avec -, liens [texte](https://…). Le HTML est retiré. "
            "%(n)s caractères au maximum.",
            n=NumberWhenShown(lambda: limits.SYNTHESIS_MAX),
        ),
        validators=[MaxChars(SYNTHESIS_MAX)],
    )
    observations_considered = TextAreaField(
        _l("Observations prises en compte"),
        description=_l(
            "Obligatoire pour une base environnementale : les observations du public dont "
            "la décision tient compte."
        ),
        validators=[MaxChars(OBSERVATIONS_MAX)],
    )
    reasons_url = StringField(
        _l("Adresse de la déclaration des motifs"),
        description=_l(
            "Obligatoire pour une base environnementale : la déclaration des motifs, "
            "publiée à part (adresse commençant par https://)."
        ),
        validators=[MaxChars(URL_MAX)],
    )


class SectionForm(Form):
    text = TextAreaField(
        _l("Texte de la partie (Markdown)"),
        description=_l(
            "Titre de la partie avec ##, sous-titres avec ###, listes avec -. Une contribution "
            "se cite par son numéro entre doubles crochets, par exemple [[C-7KQ2-M9XD-4HTR]] : "
            "il devient un lien qui dit ce qu'elle est. Le HTML est retiré."
        ),
        validators=[MaxChars(SYNTHESIS_MAX)],
    )
    # The section's fingerprint as it was loaded (`sections.fingerprint`): a stale one is refused.
    fingerprint = HiddenField()


class PublishSynthesisForm(Form):
    change_note = TextAreaField(
        _l("Note de version"),
        description=_l(
            "Ce qui a changé depuis la version précédente (obligatoire à partir de la "
            "deuxième version)."
        ),
        validators=[MaxChars(CHANGE_NOTE_MAX)],
    )


class FollowUpForm(Form):
    title = StringField(
        _l("Titre"),
        validators=[
            InputRequired(_l("Donnez un titre à la suite envisagée.")),
            MaxChars(FOLLOW_UP_TITLE_MAX),
        ],
    )
    description = TextAreaField(
        _l("Description"),
        validators=[MaxChars(FOLLOW_UP_DESCRIPTION_MAX)],
    )
    due_date = StringField(
        _l("Échéance prévue"), description=_l("Au format JJ/MM/AAAA, par exemple 15/03/2027.")
    )
    status = SelectField(
        _l("Statut"),
        choices=[SelectChoice(s.value, s.label) for s in FollowUpStatus],
        default=FollowUpStatus.announced.value,
    )
    url = StringField(
        _l("Lien"),
        description=_l("Une page qui en dit plus (adresse commençant par https://)."),
        validators=[MaxChars(URL_MAX)],
    )
    article_ids = SelectMultipleField(_l("Articles concernés"), coerce=int, validate_choice=False)
    contribution_ids = SelectMultipleField(
        _l("Contributions liées"), coerce=int, validate_choice=False
    )
    note = TextAreaField(
        _l("Note sur ce changement"),
        description=_l("Facultative, publiée dans l'historique de la suite."),
        validators=[MaxChars(FOLLOW_UP_NOTE_MAX)],
    )
