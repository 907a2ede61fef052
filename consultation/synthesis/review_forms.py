"""The review workbench's forms: shape only (the services check the rules). Each theme's and
each contribution's form on a page carries its own prefix, so that a refused one comes back
with what was typed next to its field while the others stay as they were."""

from __future__ import annotations

from wtforms import HiddenField, SelectField, SelectMultipleField, StringField
from wtforms.validators import InputRequired

from consultation.core.forms import Form, MaxChars
from consultation.core.i18n import _l
from consultation.synthesis.limits import PROPOSAL_LABEL_MAX, THEME_NAME_MAX


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


class SplitThemeForm(Form):
    """Split a theme: the ticked contributions (checkboxes beside each contribution of the
    page, tied to this form) go to a new theme."""

    contributions = SelectMultipleField(
        _l("Contributions du nouveau thème"), choices=[], validate_choice=False
    )
    # The service names an empty name with the contributions' problem, both at once.
    name = StringField(_l("Nom du nouveau thème"), validators=[MaxChars(THEME_NAME_MAX)])
    page = HiddenField()


class ExcerptForm(Form):
    """Pin, drop or restore a contribution's excerpt for a theme."""

    contribution_id = HiddenField()
    state = HiddenField()  # "pinned", "dropped" or "" (undo)
    page = HiddenField()


class MergeGroupsForm(Form):
    """Merge the ticked proposal groups; an optional new label for the group that receives."""

    groups = SelectMultipleField(_l("Groupes à fusionner"), choices=[], validate_choice=False)
    label = StringField(
        _l("Libellé du groupe fusionné (facultatif)"),
        description=_l("Laissé vide, le libellé du plus grand des groupes cochés est gardé."),
        validators=[MaxChars(PROPOSAL_LABEL_MAX)],
    )
    page = HiddenField()


class GroupLabelForm(Form):
    """Rename a proposal group."""

    label = StringField(
        _l("Libellé de la proposition"),
        validators=[
            InputRequired(_l("Donnez un libellé à la proposition.")),
            MaxChars(PROPOSAL_LABEL_MAX),
        ],
    )
    page = HiddenField()
