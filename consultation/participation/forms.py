"""Participation forms: shape only."""

from __future__ import annotations

from wtforms import RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from consultation.core.forms import Form
from consultation.participation.models import ContributionKind, Opinion


class ArticleVoteForm(Form):
    value = RadioField(
        "Votre avis sur cet article",
        choices=[SelectChoice(o.value, o.label) for o in Opinion],
        validators=[InputRequired("Choisissez un avis.")],
    )


class WithdrawVoteForm(Form):
    """No field: the form carries the CSRF token."""


class ContributionForm(Form):
    """A contribution on an article. The kinds' own requirements are checked by the service."""

    kind = SelectField(
        "Type de contribution",
        choices=[SelectChoice(k.value, k.label) for k in ContributionKind],
        validators=[InputRequired("Choisissez un type de contribution.")],
    )
    position = RadioField(
        "Pour un argument : pour ou contre l'article ?",
        choices=[SelectChoice("for", "Pour"), SelectChoice("against", "Contre")],
        validators=[Optional()],
        validate_choice=False,
    )
    paragraph = SelectField(
        "Alinéa concerné", choices=[], validate_choice=False, validators=[Optional()]
    )
    title = StringField(
        "Titre", validators=[Optional(), Length(max=200, message="200 caractères au maximum.")]
    )
    body = TextAreaField(
        "Votre contribution",
        description="10 000 caractères au maximum.",
        validators=[
            InputRequired("Écrivez votre contribution."),
            Length(max=10_000, message="10 000 caractères au maximum."),
        ],
    )
    proposed_text = TextAreaField(
        "Rédaction proposée (proposition de rédaction ou d'article nouveau)",
        validators=[Optional(), Length(max=10_000, message="10 000 caractères au maximum.")],
    )
    url = StringField(
        "Adresse de la source (http:// ou https://)", validators=[Optional(), Length(max=2000)]
    )

    def for_article(self, article) -> ContributionForm:
        self.paragraph.choices = [SelectChoice("", "L'article entier")] + [
            SelectChoice(str(p.number), f"Alinéa {p.number}") for p in article.paragraphs
        ]
        return self

    def values(self) -> dict:
        return {
            "kind": self.kind.data,
            "position": self.position.data or None,
            "paragraph": int(self.paragraph.data)
            if (self.paragraph.data or "").isdigit()
            else None,
            "title": self.title.data or "",
            "body": self.body.data or "",
            "proposed_text": self.proposed_text.data or "",
            "url": self.url.data or "",
        }
