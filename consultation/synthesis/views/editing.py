"""Back-office of the synthesis: edit the text — one section at a time or whole — with its
preview beside it, read the draft's data, announce and update the follow-ups, and publish a
version once nothing required is missing."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from consultation.consultations import queries as consultation_queries
from consultation.consultations import services as consultations
from consultation.consultations.models import Consultation
from consultation.core import clock
from consultation.core.auth import staff_only
from consultation.core.db import transaction
from consultation.core.forms import apply_errors, checks_csrf_in_form
from consultation.core.lookup import or_abort
from consultation.synthesis import follow_ups, links, publishing, queries, sections
from consultation.synthesis.forms import (
    FollowUpForm,
    PublishSynthesisForm,
    SectionForm,
    SynthesisForm,
)
from consultation.synthesis.limits import SYNTHESIS_MAX
from consultation.synthesis.models import FollowUp
from consultation.synthesis.views import bp


@bp.route("/consultations/<slug>/synthese", methods=["GET", "POST"])
@checks_csrf_in_form
@staff_only
def edit(slug: str):
    consultation = consultations.get_for_staff(slug, current_user)
    synthesis = publishing.get_synthesis(consultation)
    form = SynthesisForm(
        data={
            "body": publishing.working_text(consultation),
            "observations_considered": synthesis.observations_considered if synthesis else "",
            "reasons_url": synthesis.reasons_url if synthesis else "",
        }
    )
    preview = None
    if form.validate_on_submit():
        if request.form.get("action") == "preview":
            preview = links.render(form.body.data or "", consultation)
        else:
            environmental = bool(consultation.basis and consultation.basis.environmental)
            with transaction() as done:
                publishing.save_synthesis(
                    current_user,
                    consultation,
                    body=form.body.data or "",
                    observations_considered=(
                        form.observations_considered.data or "" if environmental else None
                    ),
                    reasons_url=form.reasons_url.data or "" if environmental else None,
                )
            if done.error:
                apply_errors(form, done.error)
            else:
                flash(_("Synthèse enregistrée. Elle n'est pas publiée."), "success")
                return redirect(url_for("synthesis.edit", slug=slug))
    return _editor(consultation, form=form, preview=preview)


@bp.route("/consultations/<slug>/synthese/parties/<key>", methods=["GET", "POST"])
@checks_csrf_in_form
@staff_only
def edit_section(slug: str, key: str):
    consultation = consultations.get_for_staff(slug, current_user)
    section = sections.find_section(publishing.working_text(consultation), key)
    if section is None and request.method == "GET":
        abort(404)
    form = SectionForm(
        data={"text": section.text, "fingerprint": section.fingerprint} if section else {}
    )
    preview, status, problem = None, None, None
    if form.validate_on_submit():
        if request.form.get("action") == "preview":
            preview = links.render(form.text.data or "", consultation)
        else:
            with transaction() as done:
                saved = sections.save_section(
                    current_user, consultation, key, form.text.data or "", form.fingerprint.data
                )
            if done.error:
                problem = apply_errors(form, done.error, flash_rest=False)
                status = done.error.status
            else:
                flash(_("Partie enregistrée. Elle n'est pas publiée."), "success")
                if saved is None:
                    return redirect(url_for("synthesis.edit", slug=slug, _anchor="parties"))
                return redirect(url_for("synthesis.edit_section", slug=slug, key=saved))
    return _section_page(consultation, key, section, form, preview, status, problem)


@bp.post("/consultations/<slug>/synthese/apercu")
@staff_only
def preview(slug: str):
    """The preview beside the text, for the page script: the sanitised HTML of the Markdown
    sent (`text`), its tokens made links, and the tokens that name no contribution."""
    consultation = consultations.get_for_staff(slug, current_user)
    text = request.form.get("text", "")
    rendered = links.render(text[:SYNTHESIS_MAX], consultation)
    return jsonify(
        html=str(rendered.html),
        unknown=rendered.unknown,
        warning=_unknown_message(rendered.unknown),
    )


@bp.post("/consultations/<slug>/synthese/publier")
@checks_csrf_in_form
@staff_only
def publish(slug: str):
    consultation = consultations.get_for_staff(slug, current_user)
    form = PublishSynthesisForm()
    if form.validate_on_submit():
        with transaction() as done:
            version = publishing.publish_synthesis(
                current_user, consultation, form.change_note.data or ""
            )
        if done.error:
            apply_errors(form, done.error)
            return _editor(consultation, publish_form=form, status=done.error.status)
        flash(_("Version %(number)s de la synthèse publiée.", number=version.number), "success")
        return redirect(url_for("synthesis_public.synthesis", slug=slug))
    return _editor(consultation, publish_form=form)


@bp.route("/consultations/<slug>/synthese/suites/nouvelle", methods=["GET", "POST"])
@checks_csrf_in_form
@staff_only
def new_follow_up(slug: str):
    consultation = consultations.get_for_staff(slug, current_user)
    form = FollowUpForm()
    _follow_up_choices(form, consultation)
    if form.validate_on_submit():
        with transaction() as done:
            follow_ups.create_follow_up(current_user, consultation, **_follow_up_values(form))
        if done.error:
            apply_errors(form, done.error)
        else:
            flash(_("Suite envisagée ajoutée."), "success")
            return redirect(url_for("synthesis.edit", slug=slug, _anchor="suites"))
    return _follow_up_page(consultation, form, None)


@bp.route("/suites/<int:follow_up_id>", methods=["GET", "POST"])
@checks_csrf_in_form
@staff_only
def follow_up(follow_up_id: int):
    item, consultation = _managed_follow_up(follow_up_id)
    form = FollowUpForm(
        data={
            "title": item.title,
            "description": item.description,
            "due_date": item.due_date.strftime("%d/%m/%Y") if item.due_date else "",
            "status": item.status.value,
            "url": item.url,
            "article_ids": [a.id for a in item.articles],
            "contribution_ids": [c.id for c in item.contributions],
        }
    )
    _follow_up_choices(form, consultation, item)
    if form.validate_on_submit():
        values = _follow_up_values(form)
        note = values.pop("note")
        with transaction() as done:
            event = follow_ups.update_follow_up(current_user, item, values, note=note)
        if done.error:
            apply_errors(form, done.error)
        else:
            flash(
                _("Suite mise à jour ; le changement figure dans son historique public.")
                if event
                else _("Rien n'a changé : aucun historique ajouté."),
                "success" if event else "info",
            )
            return redirect(url_for("synthesis.edit", slug=consultation.slug, _anchor="suites"))
    return _follow_up_page(consultation, form, item)


@bp.post("/suites/<int:follow_up_id>/supprimer")
@staff_only
def delete_follow_up(follow_up_id: int):
    item, consultation = _managed_follow_up(follow_up_id)
    with transaction() as done:
        follow_ups.delete_follow_up(current_user, item)
    if done.error:
        flash(done.error.message, "error")
        return redirect(url_for("synthesis.follow_up", follow_up_id=follow_up_id))
    flash(_("Suite supprimée."), "success")
    return redirect(url_for("synthesis.edit", slug=consultation.slug, _anchor="suites"))


def _editor(consultation, *, form=None, publish_form=None, preview=None, status=None):
    synthesis = publishing.get_synthesis(consultation)
    if form is None:
        form = SynthesisForm(
            data={
                "body": publishing.working_text(consultation),
                "observations_considered": synthesis.observations_considered if synthesis else "",
                "reasons_url": synthesis.reasons_url if synthesis else "",
            }
        )
    publish_form = publish_form or PublishSynthesisForm()
    errors = form.errors or publish_form.errors
    now = clock.now()
    text = publishing.working_text(consultation)
    block = queries.data_block(synthesis.draft_data if synthesis else None, consultation.id)
    page = render_template(
        "synthesis/edit.html",
        consultation=consultation,
        synthesis=synthesis,
        sections=sections.visible_sections(text),
        unknown_warning=_unknown_message(links.unknown_tokens(text, consultation)),
        preview_warning=_unknown_message(preview.unknown) if preview is not None else "",
        data=block.data,
        charts=block.charts,
        labels=block.labels,
        notes=block.notes,
        form=form,
        publish_form=publish_form,
        preview=preview,
        problems=publishing.synthesis_problems(consultation),
        review_changed_at=publishing.review_after_draft(consultation),
        can_publish=consultation.status_at(now) in publishing.CLOSED_STATUSES,
        environmental=bool(consultation.basis and consultation.basis.environmental),
        versions=publishing.versions(consultation),
        follow_ups=follow_ups.list_follow_ups(consultation),
        describe_changes=follow_ups.describe_changes,
        status_value=consultation.status_at(now),
        timing=consultation_queries.timing_phrase(consultation, now),
    )
    return page, status or (422 if errors else 200)


def _section_page(consultation, key, section, form, preview, status, problem=None):
    return render_template(
        "synthesis/section.html",
        consultation=consultation,
        key=key,
        section=section,
        form=form,
        preview=preview,
        problem=problem,
        unknown_warning=_unknown_message(
            preview.unknown
            if preview is not None
            else links.unknown_tokens(form.text.data or "", consultation)
        ),
        preview_url=url_for("synthesis.preview", slug=consultation.slug),
    ), status or (422 if form.errors else 200)


def _unknown_message(unknown: list[str]) -> str:
    """The warning for the tokens that name no contribution of the consultation ("" if none)."""
    if not unknown:
        return ""
    return ngettext(
        "Ce numéro ne désigne aucune contribution de cette consultation ; il est affiché tel "
        "quel, sans lien : %(numbers)s.",
        "Ces numéros ne désignent aucune contribution de cette consultation ; ils sont "
        "affichés tels quels, sans lien : %(numbers)s.",
        len(unknown),
        numbers=", ".join(unknown),
    )


def _follow_up_page(consultation, form, item: FollowUp | None):
    return render_template(
        "synthesis/follow_up.html",
        consultation=consultation,
        form=form,
        item=item,
        can_delete=item is not None and not follow_ups.has_published_version(consultation),
        describe_changes=follow_ups.describe_changes,
    ), (422 if form.errors else 200)


def _follow_up_choices(form: FollowUpForm, consultation, item: FollowUp | None = None) -> None:
    version = consultation_queries.load_text(consultation)
    form.article_ids.choices = [(a.id, a.heading) for a in (version.articles if version else [])]
    suggested = follow_ups.suggested_contributions(consultation)
    linked = list(item.contributions) if item else []
    shown = {c.id: c for c in [*linked, *suggested]}
    form.contribution_ids.choices = [
        (c.id, f"{c.tracking_number} — {(c.title or c.body)[:120]}") for c in shown.values()
    ]


def _follow_up_values(form: FollowUpForm) -> dict:
    return {
        "title": form.title.data,
        "description": form.description.data or "",
        "due_date": form.due_date.data or "",
        "status": form.status.data,
        "url": form.url.data or "",
        "article_ids": form.article_ids.data or [],
        "contribution_ids": form.contribution_ids.data or [],
        "note": form.note.data or "",
    }


def _managed_follow_up(follow_up_id: int) -> tuple[FollowUp, Consultation]:
    return or_abort(follow_ups.get_managed_follow_up, follow_up_id, current_user)
