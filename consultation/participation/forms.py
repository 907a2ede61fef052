"""Participation forms: shape only."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateTimeLocalField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from consultation.core import clock
from consultation.core.forms import Form, PublicForm
from consultation.participation.models import ContributionKind, OfflineChannel, Opinion


class ArticleVoteForm(Form):
    value = RadioField(
        "Votre avis sur cet article",
        choices=[SelectChoice(o.value, o.label) for o in Opinion],
        validators=[InputRequired("Choisissez un avis.")],
    )


class WithdrawVoteForm(Form):
    """No field: the form carries the CSRF token."""


class ContributionForm(PublicForm):
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
            if (self.paragraph.data or "").isdecimal() and len(self.paragraph.data) < 6
            else None,
            "title": self.title.data or "",
            "body": self.body.data or "",
            "proposed_text": self.proposed_text.data or "",
            "url": self.url.data or "",
        }


class OfflineObservationForm(Form):
    channel = SelectField(
        "Reçue par",
        choices=[SelectChoice(c.value, c.label.capitalize()) for c in OfflineChannel],
        validators=[InputRequired("Indiquez comment l'observation a été reçue.")],
    )
    author_name = StringField(
        "Nom de l'auteur, tel qu'il sera publié",
        description="Laissez vide pour « Anonyme ».",
        validators=[Optional(), Length(max=200)],
    )
    received_at = DateTimeLocalField(
        "Reçue le (heure de Paris)",
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired("Indiquez la date de réception.")],
    )
    article = SelectField(
        "Article concerné", choices=[], validate_choice=False, validators=[Optional()]
    )
    body = TextAreaField(
        "Texte de l'observation",
        validators=[InputRequired("Saisissez le texte de l'observation."), Length(max=10_000)],
    )

    def for_articles(self, articles) -> OfflineObservationForm:
        self.article.choices = [SelectChoice("", "Le texte entier")] + [
            SelectChoice(str(a.id), a.label) for a in articles
        ]
        return self

    def values(self) -> dict:
        received = self.received_at.data
        return {
            "channel": self.channel.data,
            "author_name": self.author_name.data or "",
            "received_at": clock.paris_wall_clock(received.date(), received.time())
            if received
            else None,
            "article_id": int(self.article.data)
            if (self.article.data or "").isdecimal() and len(self.article.data) < 10
            else None,
            "body": self.body.data or "",
        }


class CommentForm(PublicForm):
    """A comment on the whole text, or a reply to a comment."""

    body = TextAreaField(
        "Votre commentaire",
        description="10 000 caractères au maximum.",
        validators=[
            InputRequired("Écrivez votre commentaire."),
            Length(max=10_000, message="10 000 caractères au maximum."),
        ],
    )


class EraseAccountForm(Form):
    password = PasswordField(
        "Votre mot de passe", validators=[InputRequired("Saisissez votre mot de passe.")]
    )
    confirm = BooleanField(
        "Je comprends que la suppression est définitive",
        validators=[InputRequired("Cochez la case pour confirmer la suppression.")],
    )
