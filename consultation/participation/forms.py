"""Participation forms: shape only."""

from wtforms import RadioField, SelectChoice
from wtforms.validators import InputRequired

from consultation.core.forms import Form
from consultation.participation.models import Opinion


class ArticleVoteForm(Form):
    value = RadioField(
        "Votre avis sur cet article",
        choices=[SelectChoice(o.value, o.label) for o in Opinion],
        validators=[InputRequired("Choisissez un avis.")],
    )


class WithdrawVoteForm(Form):
    """No field: the form carries the CSRF token."""
