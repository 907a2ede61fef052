"""The review workbench's forms: shape only (the services check the rules). Each theme's and
each contribution's form on a page carries its own prefix, so that a refused one comes back
with what was typed next to its field while the others stay as they were."""

from __future__ import annotations

from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import InputRequired

from consultation.core.forms import Form, MaxChars
from consultation.core.i18n import _l
from consultation.synthesis.limits import THEME_NAME_MAX


class ThemeNameForm(Form):
    """Create or rename a theme."""

    name = StringField(
        _l("Nom du thème"),
        validators=[InputRequired(_l("Donnez un nom au thème.")), MaxChars(THEME_NAME_MAX)],
    )


class MergeThemeForm(Form):
    into = SelectField(
        _l("Fusionner dans le thème"),
        description=_l("Ses contributions rejoignent ce thème ; le nom retenu est le sien."),
        validators=[InputRequired(_l("Choisissez un thème."))],
        validate_choice=False,  # the service names an unknown or removed theme
    )


class MoveContributionForm(Form):
    theme_id = SelectField(_l("Thème"), validate_choice=False)
    page = HiddenField()
    origin = HiddenField()  # the theme page the form was sent from ("" for « sans thème »)


class ReadForm(Form):
    read = HiddenField()  # "1": read, "0": unread
    page = HiddenField()
    origin = HiddenField()


class ConfirmForm(Form):
    """A button and its CSRF token (the deletion, once confirmed)."""
