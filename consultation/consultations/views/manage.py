"""The organisers' back-office: prepare a draft, preview its text, publish, extend."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3's, unknown to types-wtforms 3.2

from consultation.accounts.models import Institution
from consultation.consultations import queries, services
from consultation.consultations.forms import ConsultationForm, ExtensionForm, PublishForm
from consultation.consultations.models import Consultation
from consultation.core.auth import Role, has_role, organisers_only, staff_only
from consultation.core.db import transaction
from consultation.core.forms import apply_errors, checks_csrf_in_form
from consultation.core.upload_limits import accepts_upload
from consultation.extensions import db
from consultation.texts import services as texts
from consultation.texts.outline import summarize_parsed

bp = Blueprint("manage", __name__, url_prefix="/gestion")

FIELD_ALIASES = {"text": "text"}


@bp.get("/")
@staff_only
def index():
    return render_template(
        "manage/index.html",
        consultations=queries.managed_consultations(current_user),
        timing=queries.timing_phrase,
        can_prepare=has_role(current_user, Role.organiser),
    )


@bp.route("/consultations/nouvelle", methods=["GET", "POST"])
@accepts_upload("DRAFT_UPLOAD_MAX_BYTES")
@checks_csrf_in_form
@organisers_only
def new_consultation():
    form = ConsultationForm()
    _institution_choices(form)
    preview = None
    if form.validate_on_submit():
        with transaction() as done:
            changes = form.changes()  # reads an uploaded file: refused in French, not a 500
            if _previewing():
                preview = texts.preview_text(changes["text"] or "")
            else:
                consultation = services.create_consultation(
                    current_user,
                    _chosen_institution(form),
                    **{
                        k: changes[k]
                        for k in (
                            "title",
                            "summary",
                            "legal_basis",
                            "opens_at",
                            "closes_at",
                            "text",
                            "notice",
                            "acknowledge_warnings",
                        )
                    },
                )
        if done.error:
            apply_errors(form, done.error, FIELD_ALIASES)
            preview = getattr(done.error, "preview", None)  # the lines to acknowledge, shown
        elif not _previewing():
            flash(_("Brouillon enregistré."), "success")
            return redirect(url_for("manage.edit", slug=consultation.slug))
    elif request.method == "GET":
        form.fill_notice(services.default_notice(current_user.institution or _first_institution()))
    status = 422 if form.errors else 200
    return render_template(
        "manage/edit.html",
        form=form,
        consultation=None,
        preview=preview,
        preview_summary=_summary(preview),
    ), status


@bp.route("/consultations/<slug>", methods=["GET", "POST"])
@accepts_upload("DRAFT_UPLOAD_MAX_BYTES")
@checks_csrf_in_form
@staff_only
def edit(slug: str):
    # Moderators read drafts; only organisers change them (the API's PATCH loads the same way).
    if request.method == "POST":
        consultation = services.get_for_organiser(slug, current_user)
    else:
        consultation = _load(slug)
    if consultation.is_published:
        return _published_page(consultation)
    form = ConsultationForm()
    _institution_choices(form)
    preview = None
    if request.method == "GET":
        form.fill_from(consultation)
    elif form.validate_on_submit():
        with transaction() as done:
            changes = form.changes()  # reads an uploaded file: refused in French, not a 500
            if _previewing():
                preview = texts.preview_text(changes["text"] or "")
            else:
                services.update_consultation(current_user, consultation, changes)
        if done.error:
            apply_errors(form, done.error, FIELD_ALIASES)
            preview = getattr(done.error, "preview", None)  # the lines to acknowledge, shown
        elif not _previewing():
            flash(_("Brouillon enregistré."), "success")
            return redirect(url_for("manage.edit", slug=consultation.slug))
    status = 422 if form.errors else 200
    return render_template(
        "manage/edit.html",
        form=form,
        consultation=consultation,
        preview=preview,
        preview_summary=_summary(preview),
        saved_warnings=_saved_warnings(consultation),
        problems=services.publication_problems(consultation),
        publish_form=PublishForm(),
        can_organise=current_user.can_organise(consultation.institution_id),
    ), status


@bp.post("/consultations/<slug>/publier")
@organisers_only
def publish(slug: str):
    consultation = _load(slug)
    form = PublishForm()
    if form.validate_on_submit():
        with transaction() as done:
            services.publish_consultation(current_user, consultation)
        if done.error:
            flash(done.error.message, "error")
        else:
            flash(_("La consultation est publiée."), "success")
    return redirect(url_for("manage.edit", slug=slug))


@bp.post("/consultations/<slug>/prolonger")
@checks_csrf_in_form
@organisers_only
def extend(slug: str):
    consultation = _load(slug)
    if not consultation.is_published:
        return redirect(url_for("manage.edit", slug=slug))
    form = ExtensionForm()
    if form.validate_on_submit():
        with transaction() as done:
            services.extend_consultation(
                current_user, consultation, form.new_closes_at(), form.reason.data
            )
        if done.error:
            apply_errors(form, done.error)
        else:
            flash(
                _("La clôture est prolongée ; la prolongation est affichée publiquement."),
                "success",
            )
            return redirect(url_for("manage.edit", slug=slug))
    return _published_page(consultation, form), 422


def _published_page(consultation: Consultation, extension_form: ExtensionForm | None = None):
    return render_template(
        "manage/published.html",
        consultation=consultation,
        extension_form=extension_form or ExtensionForm(),
        status=consultation.status,
        timing=queries.timing_phrase(consultation),
        can_organise=current_user.can_organise(consultation.institution_id),
    )


def _previewing() -> bool:
    """The draft's form was sent to preview its text, not to save it."""
    return request.form.get("action") == "preview"


def _summary(preview):
    return summarize_parsed(preview) if preview is not None else None


def _saved_warnings(consultation: Consultation) -> list:
    """The doubtful lines acknowledged when the draft's text was saved."""
    version = consultation.current_version
    return texts.saved_text_warnings(version.source if version else None)


def _load(slug: str) -> Consultation:
    """The consultation for its institution's staff: 404 when missing or a draft the user may
    not see, 403 for a published one of another institution (services.get_for_staff)."""
    return services.get_for_staff(slug, current_user)


def _institution_choices(form: ConsultationForm) -> None:
    if current_user.is_admin:
        institutions = db.session.scalars(db.select(Institution).order_by(Institution.name)).all()
        form.institution.choices = [SelectChoice(i.slug, i.name) for i in institutions]
    else:
        form.institution.choices = [
            SelectChoice(current_user.institution.slug, current_user.institution.name)
        ]


def _first_institution() -> Institution:
    return db.session.scalar(db.select(Institution).order_by(Institution.name)) or Institution(
        name=""
    )


def _chosen_institution(form: ConsultationForm) -> Institution:
    if not current_user.is_admin:
        return current_user.institution
    institution = db.session.scalar(
        db.select(Institution).where(Institution.slug == form.institution.data)
    )
    if institution is None:
        abort(400)
    return institution
