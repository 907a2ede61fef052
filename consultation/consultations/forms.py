"""The back-office form of a consultation: fields, notice and text. Shape checks only."""

from __future__ import annotations

from datetime import datetime

from flask_wtf.file import FileField

# SelectChoice is WTForms 3.3's; types-wtforms (3.2) does not know it yet.
from wtforms import (  # type: ignore[attr-defined]
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, NumberRange, Optional

from consultation.consultations import limits
from consultation.consultations.constants import LEGAL_BASES
from consultation.consultations.limits import (
    ACKNOWLEDGEMENT_MAX,
    ANSWERS_COMMITTED_MAX,
    EXTENSION_REASON_MAX,
    NOTICE_NAME_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
)
from consultation.consultations.services import NOTICE_FIELDS
from consultation.core import clock
from consultation.core.forms import Form, MaxChars
from consultation.core.i18n import NumberWhenShown, _l, lazy
from consultation.texts.office import text_from_file

REQUIRED = _l("Ce champ est obligatoire.")
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def legal_basis_choices() -> list[SelectChoice]:
    """The legal bases, each named in the language of whoever reads the form (the form class
    is made once, outside any request: its labels are translated when shown)."""
    return [
        SelectChoice(
            basis.key,
            _l(
                "%(label)s — %(reference)s (%(days)s jours minimum)",
                label=lazy(basis.label),
                reference=lazy(basis.reference),
                days=basis.minimum_days,
            ),
        )
        for basis in LEGAL_BASES.values()
    ]


class ConsultationForm(Form):
    institution = SelectField(_l("Institution"), choices=[], validate_choice=False)
    title = StringField(
        _l("Titre"),
        validators=[DataRequired(REQUIRED), MaxChars(TITLE_MAX)],
    )
    summary = TextAreaField(
        _l("Résumé"),
        description=_l("Deux ou trois phrases affichées dans la liste des consultations."),
        validators=[MaxChars(SUMMARY_MAX)],
    )
    legal_basis = SelectField(
        _l("Base légale"),
        choices=legal_basis_choices(),
        validators=[DataRequired(REQUIRED)],
        description=_l("Elle fixe la durée minimale de la consultation, en jours calendaires."),
    )
    opens_at = DateTimeLocalField(
        _l("Ouverture (heure de Paris)"),
        format=DATETIME_FORMAT,
        validators=[Optional()],
        description=_l("Format : AAAA-MM-JJ HH:MM."),
    )
    closes_at = DateTimeLocalField(
        _l("Clôture (heure de Paris)"),
        format=DATETIME_FORMAT,
        validators=[Optional()],
        description=_l("La durée minimale dépend de la base légale."),
    )
    notice_object = TextAreaField(lazy(NOTICE_FIELDS["object"]), validators=[Optional()])
    notice_organiser = StringField(
        lazy(NOTICE_FIELDS["organiser"]), validators=[Optional(), MaxChars(NOTICE_NAME_MAX)]
    )
    notice_legal_reference = TextAreaField(
        lazy(NOTICE_FIELDS["legal_reference"]),
        validators=[Optional()],
        description=_l("Facultatif : texte précis qui prévoit la consultation."),
    )
    notice_observations_published = BooleanField(_l("Les observations reçues seront publiées"))
    notice_who_may_participate = TextAreaField(
        lazy(NOTICE_FIELDS["who_may_participate"]), validators=[Optional()]
    )
    notice_how_to_participate = TextAreaField(
        lazy(NOTICE_FIELDS["how_to_participate"]), validators=[Optional()]
    )
    notice_explanatory_note = TextAreaField(
        lazy(NOTICE_FIELDS["explanatory_note"]),
        validators=[Optional()],
        description=_l("Objet, contenu et motifs du projet. Markdown simple accepté."),
    )
    notice_entry_into_force = TextAreaField(
        lazy(NOTICE_FIELDS["entry_into_force"]), validators=[Optional()]
    )
    notice_replaces_commission = BooleanField(
        _l("Cette consultation remplace la consultation d'une commission")
    )
    notice_commission_name = StringField(
        lazy(NOTICE_FIELDS["commission_name"]), validators=[Optional(), MaxChars(NOTICE_NAME_MAX)]
    )
    notice_moderation_charter = TextAreaField(
        lazy(NOTICE_FIELDS["moderation_charter"]), validators=[Optional()]
    )
    notice_personal_data_notice = TextAreaField(
        lazy(NOTICE_FIELDS["personal_data_notice"]), validators=[Optional()]
    )
    notice_answers_committed = IntegerField(
        lazy(NOTICE_FIELDS["answers_committed"]),
        validators=[
            Optional(),
            NumberRange(
                min=1,
                max=ANSWERS_COMMITTED_MAX,
                message=_l(
                    "Nombre entier de 1 à %(n)s, ou rien.",
                    n=NumberWhenShown(lambda: limits.ANSWERS_COMMITTED_MAX),
                ),
            ),
        ],
        description=_l(
            "Facultatif. Par exemple 50 : les 50 contributions les plus soutenues "
            "recevront une réponse officielle ; la progression est publiée."
        ),
    )
    notice_synthesis_expected_on = DateField(
        lazy(NOTICE_FIELDS["synthesis_expected_on"]),
        validators=[Optional()],
        description=_l("Format : AAAA-MM-JJ. Au plus tard à la signature de l'acte."),
    )
    text = TextAreaField(
        _l("Texte soumis à la consultation"),
        description=(
            _l(
                "Collez le texte : divisions (TITRE Ier, Chapitre II, Section 1…), articles "
                "(« Article 1er », « Art. 2 », « Article unique »…), un alinéa par ligne."
            )
        ),
        validators=[Optional()],
    )
    # Any file is handed to texts.office.text_from_file, which tells the format from the
    # content (a PDF renamed .docx is refused as a PDF) and refuses in French.
    text_file = FileField(
        _l("… ou déposez le texte en fichier : Word (.docx), LibreOffice (.odt), .md ou .txt"),
        description=_l(
            "Titres, numérotation automatique, tableaux et notes de bas de page sont lus. "
            "Un PDF n'est pas accepté : il ne garde pas la structure du texte."
        ),
    )
    # Shown with the preview when the import reports doubtful lines; its value is the
    # fingerprint of the warnings shown (texts.services.require_acknowledged).
    acknowledge_warnings = StringField(
        _l("J'ai vérifié les lignes signalées : le texte peut être importé tel quel"),
        validators=[Optional(), MaxChars(ACKNOWLEDGEMENT_MAX)],
    )

    def read_text(self) -> str | None:
        """The uploaded file's text (texts.office.text_from_file: .docx, .odt, .md, .txt), else
        the pasted text (None when neither). A file read is put in the text field, so that
        the page shows it and saving keeps it. Raises UploadRefused on `text_file`."""
        upload = self.text_file.data
        if upload and getattr(upload, "filename", ""):
            source = text_from_file(upload, upload.filename, field="text_file").source
            self.text.data = source
            return source
        return self.text.data if self.text.data and self.text.data.strip() else None

    def fill_notice(self, notice: dict) -> None:
        """Prefill the notice fields from a mapping (the defaults of a new draft)."""
        for name, value in notice.items():
            getattr(self, f"notice_{name}").data = value

    def fill_from(self, consultation) -> None:
        """Prefill from a saved consultation (dates shown in Paris time)."""
        self.title.data = consultation.title
        self.summary.data = consultation.summary
        self.legal_basis.data = consultation.legal_basis
        self.opens_at.data = _paris_naive(consultation.opens_at)
        self.closes_at.data = _paris_naive(consultation.closes_at)
        for name in NOTICE_FIELDS:
            getattr(self, f"notice_{name}").data = getattr(consultation.notice, name)
        if consultation.current_version:
            self.text.data = consultation.current_version.source

    def changes(self) -> dict:
        """The form's content as service arguments (instants in UTC)."""
        notice = {name: getattr(self, f"notice_{name}").data for name in NOTICE_FIELDS}
        return {
            "title": self.title.data,
            "summary": self.summary.data or "",
            "legal_basis": self.legal_basis.data,
            "opens_at": _from_paris(self.opens_at.data),
            "closes_at": _from_paris(self.closes_at.data),
            "notice": notice,
            "text": self.read_text(),
            "acknowledge_warnings": self.acknowledge_warnings.data or False,
        }


class ExtensionForm(Form):
    closes_at = DateTimeLocalField(
        _l("Nouvelle clôture (heure de Paris)"),
        format=DATETIME_FORMAT,
        validators=[DataRequired(REQUIRED)],
    )
    reason = TextAreaField(
        _l("Motif de la prolongation (publié)"),
        validators=[
            DataRequired(REQUIRED),
            MaxChars(EXTENSION_REASON_MAX),
        ],
    )

    def new_closes_at(self) -> datetime | None:
        return _from_paris(self.closes_at.data)


class PublishForm(Form):
    """Publication has no fields; the form carries the CSRF token."""


def _paris_naive(moment: datetime | None) -> datetime | None:
    return clock.to_paris(moment).replace(tzinfo=None) if moment else None


def _from_paris(value: datetime | None) -> datetime | None:
    return clock.paris_wall_clock(value.date(), value.time()) if value else None
