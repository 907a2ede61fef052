"""Moderation pages: reporting a contribution, the charter and public figures of a
consultation, and the moderators' queue, decisions, blocks and journal."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from consultation.accounts.models import ParticipationBlock
from consultation.consultations.models import Consultation
from consultation.consultations.services import get_visible
from consultation.core import downloads
from consultation.core.auth import moderators_only
from consultation.core.charter import ModerationReason
from consultation.core.db import get_existing, transaction
from consultation.core.errors import DomainError
from consultation.core.forms import apply_errors, checks_csrf_in_form
from consultation.core.inplace import prefix_ids, wants_fragment
from consultation.core.limits import report_limits
from consultation.core.lookup import or_404, or_abort
from consultation.extensions import db
from consultation.moderation import appeals, queries, services
from consultation.moderation.forms import (
    AppealForm,
    BulkForm,
    DecisionForm,
    LiftBlockForm,
    ReportForm,
)
from consultation.participation import papers
from consultation.participation import services as participation
from consultation.participation.models import Contribution, ContributionKind

bp = Blueprint("moderation", __name__)


# --- Public side ---------------------------------------------------------------------------------


@bp.get("/consultations/<slug>/charte")
def charter(slug: str):
    consultation = or_404(get_visible, slug, current_user)
    return render_template(
        "moderation/charter.html", consultation=consultation, reasons=list(ModerationReason)
    )


@bp.get("/consultations/<slug>/moderation")
def figures(slug: str):
    consultation = or_404(get_visible, slug, current_user)
    return render_template(
        "moderation/figures.html",
        consultation=consultation,
        figures=services.public_figures(consultation),
    )


@bp.route("/contributions/<int:contribution_id>/signaler", methods=["GET", "POST"])
@checks_csrf_in_form
@login_required
@report_limits
def report(contribution_id: int):
    """Report a contribution once. Asked in place (static/js/participation.js), the form is a
    fragment for the card, and the answer to a report gives way to « Vous avez signalé cette
    contribution », with the status the API would give to a refusal."""
    contribution, consultation = _public_contribution(contribution_id)
    form = ReportForm()
    status, rest, thanks = (422 if request.method == "POST" else 200), None, None
    if form.validate_on_submit():
        with transaction() as done:
            services.report_contribution(
                current_user, contribution, form.reason.data, form.details.data or ""
            )
        if done.error:
            rest = apply_errors(form, done.error, flash_rest=not wants_fragment())
            status = done.error.status if wants_fragment() else 422
        else:
            thanks = _(
                "Merci : votre signalement de la contribution %(number)s est transmis aux "
                "modérateurs.",
                number=contribution.tracking_number,
            )
            if not wants_fragment():
                flash(thanks, "success")
                return redirect(
                    url_for(
                        "participation.contribution",
                        slug=consultation.slug,
                        contribution_id=contribution.id,
                    )
                )
            status = 200
    if wants_fragment():
        prefix_ids(form, f"signaler-{contribution.id}")
    return render_template(
        "moderation/_report_form.html" if wants_fragment() else "moderation/report.html",
        form=form,
        contribution=contribution,
        consultation=consultation,
        has_reported=services.has_reported(current_user, contribution),
        refusal=rest,
        thanks=thanks,
        inplace=wants_fragment(),
    ), status


@bp.route(
    "/consultations/<slug>/contributions/<int:contribution_id>/recours", methods=["GET", "POST"]
)
@checks_csrf_in_form
@login_required
def appeal(slug: str, contribution_id: int):
    """The author of a hidden contribution appeals against its hiding (anyone else: 404)."""
    contribution = db.session.get(Contribution, contribution_id)
    if contribution is None:
        abort(404)
    consultation = get_existing(Consultation, contribution.consultation_id)
    if consultation.slug != slug:
        abort(404)
    refusal = appeals.appeal_refusal(current_user, contribution)
    if refusal is not None and refusal.status == 404:
        abort(404)
    form = AppealForm()
    if refusal is None and form.validate_on_submit():
        with transaction() as done:
            appeals.appeal_hiding(current_user, contribution, form.body.data)
        if done.error:
            apply_errors(form, done.error)
        else:
            flash(
                _("Votre recours est transmis à la modération : elle l'examinera et vous écrira."),
                "success",
            )
            return redirect(
                url_for("participation.contribution", slug=slug, contribution_id=contribution.id)
            )
    status = 200 if request.method == "GET" else (refusal.status if refusal else 422)
    return render_template(
        "moderation/appeal.html",
        form=form,
        contribution=contribution,
        consultation=consultation,
        refusal=refusal.message if refusal else None,
    ), status


def _public_contribution(contribution_id: int) -> tuple[Contribution, Consultation]:
    contribution = db.session.get(Contribution, contribution_id)
    if contribution is None:
        abort(404)
    return contribution, or_404(
        get_visible, get_existing(Consultation, contribution.consultation_id).slug, current_user
    )


# --- Moderators ---------------------------------------------------------------------------------


@bp.get("/moderation/")
@moderators_only
def queue():
    status = 200
    size = request.args.get("taille", type=int)
    size = size if size in queries.PAGE_SIZES else queries.PAGE_SIZES[0]
    try:
        filters = queries.parse_filters(current_user, request.args)
        items, next_cursor, total = queries.queue(
            filters, cursor=request.args.get("suite"), limit=size
        )
    except DomainError as error:
        # A filter or cursor that does not hold: say so and show the default queue.
        flash(" ".join(error.fields.values()) or error.message, "error")
        filters = queries.parse_filters(current_user, {})
        items, next_cursor, total = queries.queue(filters, limit=size)
        status = 422
    return _queue_page(filters, items, next_cursor, total, size, BulkForm(), status)


def _queue_page(filters, items, next_cursor, total, size, form, status=200):
    return render_template(
        "moderation/queue.html",
        filters=filters,
        items=items,
        next_cursor=next_cursor,
        total=total,
        size=size,
        page_sizes=queries.PAGE_SIZES,
        states=queries.QUEUE_STATES,
        reasons=list(ModerationReason),
        kinds=list(ContributionKind),
        consultations=queries.consultations_for(filters.institution_id),
        appeals_waiting=queries.open_appeals_count(filters.institution_id),
        form=form,
    ), status


@bp.post("/moderation/selection")
@moderators_only
def bulk():
    form = BulkForm()
    back = request.form.get("retour") or url_for("moderation.queue")
    if not back.startswith("/moderation/"):
        back = url_for("moderation.queue")
    if form.validate_on_submit():
        with transaction() as done:
            result = services.bulk_moderate(
                current_user,
                form.ids.data,
                form.action.data,
                reason=form.reason.data or None,
                note=form.note.data or "",
                notify=form.notify.data,
            )
        if done.error:
            flash(" ".join(done.error.fields.values()) or done.error.message, "error")
        else:
            if result.done:
                flash(
                    ngettext(
                        "%(num)s contribution traitée.",
                        "%(num)s contributions traitées.",
                        len(result.done),
                    ),
                    "success",
                )
            for item, message in result.skipped[:20]:
                number = getattr(item, "tracking_number", item)
                flash(_("%(number)s : %(message)s", number=number, message=message), "warning")
            if len(result.skipped) > 20:
                rest = len(result.skipped) - 20
                flash(
                    ngettext(
                        "… et %(num)s autre non traitée.", "… et %(num)s autres non traitées.", rest
                    ),
                    "warning",
                )
        return redirect(back)
    flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
    return redirect(back)


@bp.route("/moderation/contributions/<int:contribution_id>", methods=["GET", "POST"])
@checks_csrf_in_form
@moderators_only
def contribution(contribution_id: int):
    item, consultation = or_abort(
        services.get_contribution_to_moderate, contribution_id, current_user
    )
    form = DecisionForm()
    if form.validate_on_submit():
        with transaction() as done:
            services.moderate(
                current_user,
                item,
                form.action.data,
                reason=form.reason.data or None,
                note=form.note.data or "",
                duplicate_of=form.duplicate_of.data,
            )
        if done.error:
            apply_errors(form, done.error)
        else:
            flash(
                _("Décision enregistrée pour %(number)s.", number=item.tracking_number), "success"
            )
            return redirect(url_for("moderation.contribution", contribution_id=item.id))
    return render_template(
        "moderation/contribution.html",
        item=item,
        consultation=consultation,
        paper=item.paper,
        earlier_papers=papers.earlier_papers(item),
        reports=queries.reports_of(item),
        appeals=appeals.appeals_of(item),
        decisions=queries.decisions(institution_id=None, contribution_id=item.id),
        block=participation.active_block(item.author, consultation.institution_id)
        if not item.is_offline
        else None,
        form=form,
    ), (422 if form.errors else 200)


@bp.get("/moderation/contributions/<int:contribution_id>/contribution-ecrite/<filename>")
@moderators_only
def paper(contribution_id: int, filename: str):
    """The contribution's position paper, for those who may moderate it (the rule of the
    decision page), whatever its state, hidden or withdrawn included: served as the public
    address serves it, kept by no cache; 404 without a paper."""
    item, _consultation = or_abort(
        services.get_contribution_to_moderate, contribution_id, current_user
    )
    found = item.paper
    if found is None:
        abort(404)
    if filename != found.filename:
        return redirect(url_for(".paper", contribution_id=item.id, filename=found.filename), 301)
    return _send_paper(found.file_key, found.filename, found.size)


@bp.get(
    "/moderation/contributions/<int:contribution_id>/versions/<int:revision_id>"
    "/contribution-ecrite/<filename>"
)
@moderators_only
def earlier_paper(contribution_id: int, revision_id: int, filename: str):
    """The position paper an earlier version of the contribution had, for those who may
    moderate it, whatever its state; 404 when that version had none."""
    item, _consultation = or_abort(
        services.get_contribution_to_moderate, contribution_id, current_user
    )
    found = papers.earlier_paper(item, revision_id)
    if found is None:
        abort(404)
    if filename != found.filename:
        return redirect(
            url_for(
                ".earlier_paper",
                contribution_id=item.id,
                revision_id=found.revision_id,
                filename=found.filename,
            ),
            301,
        )
    return _send_paper(found.file_key, found.filename, found.size)


def _send_paper(file_key: str, filename: str, size: int) -> Response:
    return downloads.send_stored(
        papers.open_paper(file_key),
        media_type=papers.MEDIA_TYPE,
        filename=filename,
        size=size,
        cache_control="private, no-store",
    )


@bp.get("/moderation/blocages")
@moderators_only
def blocks():
    return render_template(
        "moderation/blocks.html",
        blocks=queries.blocks(None if current_user.is_admin else current_user.institution_id),
        form=LiftBlockForm(),
    )


@bp.post("/moderation/blocages/<int:block_id>/lever")
@moderators_only
def lift(block_id: int):
    block = db.session.get(ParticipationBlock, block_id)
    if block is None:
        abort(404)
    form = LiftBlockForm()
    if form.validate_on_submit():
        with transaction() as done:
            services.lift_block(current_user, block, form.note.data or "")
        if done.error:
            if done.error.status == 403:
                abort(403)
            flash(done.error.message, "error")
        else:
            flash(_("Le blocage de %(name)s est levé.", name=block.user.display_name), "success")
    else:
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
    return redirect(url_for("moderation.blocks"))


@bp.get("/moderation/journal")
@moderators_only
def journal():
    before = request.args.get("avant", type=int)
    if before is not None and not 0 < before < 2**31:
        abort(400)
    entries = queries.decisions(
        institution_id=None if current_user.is_admin else current_user.institution_id,
        before=before,
    )
    return render_template(
        "moderation/journal.html",
        entries=entries,
        next_before=entries[-1].id if len(entries) == 100 else None,
    )
