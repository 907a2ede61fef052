"""Forms of the consultation's documents: add one, publish an erratum, hide a version.

Shape only: the file's type, size and content are checked by the service
(`consultations.documents`), which puts its message next to the field."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import (  # type: ignore[attr-defined]  # WTForms 3.3's SelectChoice
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Optional

from consultation.consultations.document_models import DOCUMENT_KIND_LABELS
from consultation.consultations.limits import DOCUMENT_NOTE_MAX, DOCUMENT_TITLE_MAX
from consultation.core.forms import Form, MaxChars
from consultation.core.i18n import _l, lazy

REQUIRED = _l("Ce champ est obligatoire.")


class DocumentForm(Form):
    file = FileField(
        _l("Fichier"),
        description=_l(
            "PDF, Word (.docx) ou OpenDocument (.odt). Le type est lu dans le contenu du "
            "fichier, pas dans son nom."
        ),
    )
    title = StringField(
        _l("Titre du document"), validators=[DataRequired(REQUIRED), MaxChars(DOCUMENT_TITLE_MAX)]
    )
    kind = SelectField(
        _l("Nature"),
        choices=[
            SelectChoice(kind.value, lazy(label)) for kind, label in DOCUMENT_KIND_LABELS.items()
        ],
        validators=[DataRequired(REQUIRED)],
    )
    articles = StringField(
        _l("Articles concernés (facultatif)"),
        description=_l("Numéros séparés par des virgules, tels que le texte les écrit : 1er, 3"),
        validators=[Optional()],
    )


class ErratumForm(Form):
    file = FileField(
        _l("Fichier corrigé"), description=_l("PDF, Word (.docx) ou OpenDocument (.odt).")
    )
    note = TextAreaField(
        _l("Note de l'erratum (publiée)"),
        description=_l("Ce que corrige cette version ; la version précédente reste disponible."),
        validators=[DataRequired(REQUIRED), MaxChars(DOCUMENT_NOTE_MAX)],
    )
    title = StringField(
        _l("Nouveau titre (facultatif)"), validators=[Optional(), MaxChars(DOCUMENT_TITLE_MAX)]
    )


class HideForm(Form):
    reason = TextAreaField(
        _l("Motif du masquage (publié)"),
        validators=[DataRequired(REQUIRED), MaxChars(DOCUMENT_NOTE_MAX)],
    )


class RemoveForm(Form):
    """Removal has no fields; the form carries the CSRF token."""
