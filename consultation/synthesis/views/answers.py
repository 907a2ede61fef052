"""Back-office of official answers: the contributions to answer, and answering one."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consultation.consultations import queries as consultation_queries
from consultation.consultations import services as consultations
from consultation.core.auth import organisers_only
from consultation.core.db import transaction
from consultation.core.errors import DomainError
from consultation.core.forms import apply_errors, checks_csrf_in_form
from consultation.core.lookup import or_abort
from consultation.participation import papers
from consultation.participation import services as participation
from consultation.participation.models import ContributionKind
from consultation.synthesis import queries, services
from consultation.synthesis.forms import AnswerForm
from consultation.synthesis.views import bp


@bp.get("/consultations/<slug>/reponses")
@organisers_only
def answers(slug: str):
    consultation = consultations.get_for_organiser(slug, current_user)
    status = 200
    try:
        filters = queries.parse_filters(request.args)
    except DomainError as error:
        # A filter typed wrong: say so and show the unfiltered list.
        flash(" ".join(error.fields.values()) or error.message, "error")
        filters, status = queries.AnswerFilters(), 422
    page = request.args.get("page", 1, type=int)
    page = page if 0 < page <= 100_000 else 1
    items, total = queries.contributions_to_answer(consultation, filters, page=page)
    version = consultation_queries.load_text(consultation)
    return render_template(
        "synthesis/answers.html",
        consultation=consultation,
        items=items,
        total=total,
        page=page,
        pages=(total + queries.PAGE_SIZE - 1) // queries.PAGE_SIZE,
        filters=filters,
        answer_filters=queries.ANSWER_FILTERS,
        kinds=list(ContributionKind),
        articles=version.articles if version else [],
        commitment=services.commitment_progress(consultation),
    ), status


@bp.route("/contributions/<int:contribution_id>/reponse", methods=["GET", "POST"])
@checks_csrf_in_form
@organisers_only
def answer(contribution_id: int):
    contribution, consultation = or_abort(
        services.get_contribution_to_answer, contribution_id, current_user
    )
    # A backref that synthesis.models adds to Contribution (participation cannot name it).
    current = contribution.answer  # type: ignore[attr-defined]
    form = AnswerForm(
        data={"status": current.status.value, "body": current.body} if current else None
    )
    if form.validate_on_submit():
        with transaction() as done:
            services.answer_contribution(
                current_user, contribution, form.status.data, form.body.data
            )
        if done.error:
            apply_errors(form, done.error)
        else:
            flash(
                _("Réponse publiée pour %(number)s.", number=contribution.tracking_number),
                "success",
            )
            return redirect(url_for("synthesis.answers", slug=consultation.slug, reponse="none"))
    replies = participation.replies_to(contribution)
    return render_template(
        "synthesis/answer.html",
        consultation=consultation,
        contribution=contribution,
        votes=participation.vote_split(contribution.vote_counts),
        replies=replies,
        card_papers=papers.shown_papers([contribution]),
        form=form,
    ), (422 if form.errors else 200)
