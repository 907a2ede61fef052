"""The consultation's documents: downloading one (public once published), and the organisers'
page to add, remove, correct (erratum) or hide them."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from consultation.consultations import documents, services
from consultation.consultations.document_forms import (
    DocumentForm,
    ErratumForm,
    HideForm,
    RemoveForm,
)
from consultation.consultations.models import Consultation
from consultation.core import downloads
from consultation.core.auth import organisers_only, staff_only
from consultation.core.db import transaction
from consultation.core.forms import apply_errors, checks_csrf_in_form
from consultation.core.lookup import or_404
from consultation.core.upload_limits import accepts_upload

bp = Blueprint("documents", __name__)


@bp.get("/consultations/<slug>/documents/<int:document_id>/<filename>")
def download(slug: str, document_id: int, filename: str):
    consultation = or_404(services.get_visible, slug, current_user)
    document = or_404(documents.get_document, consultation, document_id)
    if document.is_hidden:
        abort(410)
    if not documents.can_download(document, current_user):
        abort(404)
    if filename != document.filename:
        return redirect(
            url_for(".download", slug=slug, document_id=document.id, filename=document.filename),
            301,
        )
    disposition = "inline" if document.media_type == "application/pdf" else "attachment"
    return downloads.send_stored(
        documents.open_file(document),
        media_type=document.media_type,
        filename=document.filename,
        size=document.size,
        cache_control="public, max-age=86400" if consultation.is_published else "private, no-store",
        disposition=disposition,
    )


@bp.route("/gestion/consultations/<slug>/documents", methods=["GET", "POST"])
@accepts_upload("DOCUMENT_MAX_BYTES")
@checks_csrf_in_form
@staff_only
def manage(slug: str):
    if request.method == "POST":
        consultation = services.get_for_organiser(slug, current_user)
    else:
        consultation = services.get_for_staff(slug, current_user)
    form = DocumentForm()
    if form.validate_on_submit():
        upload = form.file.data
        with transaction() as done:
            documents.add_document(
                current_user,
                consultation,
                file=upload if upload else None,
                filename=getattr(upload, "filename", None),
                title=form.title.data,
                kind=form.kind.data,
                articles=form.articles.data,
            )
        if done.error:
            apply_errors(form, done.error)
        else:
            flash(_("Document ajouté."), "success")
            return redirect(url_for(".manage", slug=slug))
    return _page(consultation, form=form)


@bp.post("/gestion/consultations/<slug>/documents/<int:document_id>/retirer")
@organisers_only
def remove(slug: str, document_id: int):
    consultation = services.get_for_organiser(slug, current_user)
    document = or_404(documents.get_document, consultation, document_id)
    if RemoveForm().validate_on_submit():
        with transaction() as done:
            documents.remove_document(current_user, document)
        if done.error:
            flash(done.error.message, "error")
        else:
            flash(_("Document retiré."), "success")
    return redirect(url_for(".manage", slug=slug))


@bp.post("/gestion/consultations/<slug>/documents/<int:document_id>/erratum")
@accepts_upload("DOCUMENT_MAX_BYTES")
@checks_csrf_in_form
@organisers_only
def erratum(slug: str, document_id: int):
    consultation = services.get_for_organiser(slug, current_user)
    document = or_404(documents.get_document, consultation, document_id)
    form = ErratumForm(prefix=f"erratum-{document.id}")
    if form.validate_on_submit():
        upload = form.file.data
        with transaction() as done:
            documents.publish_erratum(
                current_user,
                document,
                file=upload if upload else None,
                filename=getattr(upload, "filename", None),
                note=form.note.data,
                title=form.title.data,
            )
        if done.error:
            apply_errors(form, done.error)
        else:
            flash(
                _("Erratum publié : la nouvelle version est annoncée sur la page publique."),
                "success",
            )
            return redirect(url_for(".manage", slug=slug))
    return _page(consultation, errata={document.id: form})


@bp.post("/gestion/consultations/<slug>/documents/<int:document_id>/masquer")
@checks_csrf_in_form
@organisers_only
def hide(slug: str, document_id: int):
    consultation = services.get_for_organiser(slug, current_user)
    document = or_404(documents.get_document, consultation, document_id)
    form = HideForm(prefix=f"hide-{document.id}")
    if form.validate_on_submit():
        with transaction() as done:
            documents.hide_document(current_user, document, form.reason.data)
        if done.error:
            apply_errors(form, done.error)
        else:
            flash(_("Document masqué : son empreinte et le motif restent publics."), "success")
            return redirect(url_for(".manage", slug=slug))
    return _page(consultation, hides={document.id: form})


def _page(
    consultation: Consultation,
    *,
    form: DocumentForm | None = None,
    errata: dict[int, ErratumForm] | None = None,
    hides: dict[int, HideForm] | None = None,
):
    page = documents.documents_page(consultation, current_user)
    errata = errata or {}
    hides = hides or {}
    failed = any(f.errors for f in [*([form] if form else []), *errata.values(), *hides.values()])
    return render_template(
        "documents/manage.html",
        consultation=consultation,
        page=page,
        form=form or DocumentForm(formdata=None),
        erratum_form=lambda item: (
            errata.get(item.id) or ErratumForm(formdata=None, prefix=f"erratum-{item.id}")
        ),
        hide_form=lambda item: (
            hides.get(item.id) or HideForm(formdata=None, prefix=f"hide-{item.id}")
        ),
        remove_form=RemoveForm(formdata=None),
        max_size=documents.size_label(documents.max_bytes()),
    ), (422 if failed else 200)
