"""Back-office of the adopted act: record the act, load the adopted text, confirm which
contributions motivated each change."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.file import FileField
from wtforms import StringField, TextAreaField

from consultation.consultations import services as consultations
from consultation.consultations.models import Consultation
from consultation.core.auth import organisers_only
from consultation.core.db import transaction
from consultation.core.errors import SynthesisNotPublished
from consultation.core.forms import Form, apply_errors, checks_csrf_in_form
from consultation.core.i18n import _l
from consultation.core.upload_limits import accepts_upload
from consultation.synthesis import adoption
from consultation.synthesis.views import bp
from consultation.texts import services as texts
from consultation.texts.office import text_from_file
from consultation.texts.outline import summarize_parsed


class ActForm(Form):
    """What identifies the act; the service checks the values."""

    signed_on = StringField(
        _l("Date de signature ou de publication"),
        description=_l("Format : JJ/MM/AAAA, par exemple 14/03/2026."),
    )
    reference = StringField(
        _l("Référence de l'acte"),
        description=_l("Par exemple « Décret n° 2026-123 du 3 mars 2026 »."),
    )
    url = StringField(
        _l("Lien vers l'acte (facultatif)"),
        description=_l("Par exemple sa page sur Légifrance : https://www.legifrance.gouv.fr/…"),
    )


class AdoptedTextForm(Form):
    text = TextAreaField(
        _l("Texte adopté"),
        description=(
            _l(
                "Collez le texte comme le texte consulté : divisions (TITRE Ier, Chapitre II…), "
                "articles (« Article 1er », « Art. 2 »…), un alinéa par ligne. Les articles sont "
                "comparés par leur numéro."
            )
        ),
    )
    # Read as the draft's import form reads it (texts.office.text_from_file): the format told
    # from the content, a PDF or a hostile file refused in French.
    text_file = FileField(
        _l("… ou déposez le texte en fichier : Word (.docx), LibreOffice (.odt), .md ou .txt"),
        description=_l(
            "Titres, numérotation automatique, tableaux et notes de bas de page sont lus. "
            "Un PDF n'est pas accepté : il ne garde pas la structure du texte."
        ),
    )
    # Shown with the preview when the import reports doubtful lines (see ConsultationForm).
    acknowledge_warnings = StringField(
        _l("J'ai vérifié les lignes signalées : le texte peut être importé tel quel")
    )

    def read_text(self) -> str:
        """The uploaded file's text (texts.office.text_from_file: .docx, .odt, .md, .txt), else
        the pasted text. A file read is put in the text field, so that the page shows it and
        saving keeps it. Raises UploadRefused on `text_file`."""
        upload = self.text_file.data
        if upload and getattr(upload, "filename", ""):
            source = text_from_file(upload, upload.filename, field="text_file").source
            self.text.data = source
            return source
        return self.text.data or ""


@bp.route("/consultations/<slug>/acte", methods=["GET", "POST"])
@checks_csrf_in_form
@organisers_only
def act(slug: str):
    consultation = consultations.get_for_organiser(slug, current_user)
    current = adoption.adopted_act(consultation)
    form = ActForm(
        data={
            "signed_on": f"{current.signed_on:%d/%m/%Y}",
            "reference": current.reference,
            "url": current.url,
        }
        if current
        else None
    )
    status = 200
    if form.validate_on_submit():
        with transaction() as done:
            adoption.record_act(
                current_user,
                consultation,
                signed_on=form.signed_on.data,
                reference=form.reference.data,
                url=form.url.data,
            )
        if isinstance(done.error, SynthesisNotPublished):
            flash(done.error.message, "error")
            status = done.error.status
        elif done.error:
            apply_errors(form, done.error)
        else:
            flash(_("L'acte est enregistré. Vous pouvez charger son texte."), "success")
            return redirect(url_for("synthesis.adopted_text", slug=consultation.slug))
    return render_template(
        "synthesis/act.html",
        consultation=consultation,
        act=current,
        form=form,
        synthesis_published=consultation.synthesis_published_at is not None,
    ), (422 if form.errors else status)


@bp.route("/consultations/<slug>/texte-adopte", methods=["GET", "POST"])
@accepts_upload("DRAFT_UPLOAD_MAX_BYTES")
@checks_csrf_in_form
@organisers_only
def adopted_text(slug: str):
    consultation = consultations.get_for_organiser(slug, current_user)
    form = AdoptedTextForm()
    preview, status = None, 200
    if form.validate_on_submit():
        previewing = request.form.get("action") == "preview"
        with transaction() as done:
            source = form.read_text()  # reads an uploaded file: refused in French, not a 500
            if previewing:
                preview = texts.preview_text(source)
            else:
                adoption.load_adopted_text(
                    current_user,
                    consultation,
                    source,
                    acknowledge_warnings=form.acknowledge_warnings.data or False,
                )
        if done.error:
            apply_errors(form, done.error)
            status = done.error.status
            preview = getattr(done.error, "preview", None)  # the lines to acknowledge, shown
        elif not previewing:
            flash(_("Le texte adopté est enregistré et comparé au texte consulté."), "success")
            return redirect(url_for("synthesis.adopted_text", slug=consultation.slug))
    elif form.errors:
        status = 422
    return _adopted_text_page(consultation, form, preview=preview), status


@bp.post("/consultations/<slug>/texte-adopte/articles/<number>/contributions")
@organisers_only
def confirm_links(slug: str, number: str):
    consultation = consultations.get_for_organiser(slug, current_user)
    with transaction() as done:
        adoption.confirm_links(
            current_user, consultation, number, request.form.getlist("contribution")
        )
    if done.error:
        flash(" ".join(done.error.fields.values()) or done.error.message, "error")
        form = AdoptedTextForm(formdata=None)
        return _adopted_text_page(consultation, form), done.error.status
    flash(_("Les contributions liées à cet article sont enregistrées."), "success")
    return redirect(
        url_for("synthesis.adopted_text", slug=consultation.slug, _anchor=f"article-{number}")
    )


def _adopted_text_page(consultation: Consultation, form: AdoptedTextForm, preview=None) -> str:
    """The adopted text's form, its preview, and per changed article the diff with the
    suggested and confirmed contributions."""
    act = adoption.adopted_act(consultation)
    if form.text.data is None and act is not None:
        form.text.data = act.text_source
    changes = [c for c in adoption.compare(consultation) if c.is_changed]
    return render_template(
        "synthesis/adopted_text.html",
        consultation=consultation,
        act=act,
        form=form,
        preview=preview,
        preview_summary=summarize_parsed(preview) if preview is not None else None,
        changes=changes,
        suggestions={c.key: adoption.suggest_links(consultation, c) for c in changes},
        links=adoption.confirmed_links(consultation),
    )
