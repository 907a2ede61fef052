"""Public pages of the synthesis: the latest version with its follow-ups and their history,
each earlier version at its own address, the PDF; and following a consultation."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consultation.consultations import services as consultations
from consultation.consultations.constants import Status
from consultation.consultations.models import Consultation
from consultation.core import clock
from consultation.core.lookup import or_404
from consultation.core.sanitize import render_markdown
from consultation.core.urls import external_url
from consultation.extensions import db
from consultation.synthesis import follow_ups, links, pdf, publishing, queries
from consultation.synthesis.models import SynthesisVersion
from consultation.synthesis.views import public_bp


@public_bp.get("/consultations/<slug>/synthese")
def synthesis(slug: str):
    consultation = _visible(slug)
    return _page(consultation, publishing.latest_version(consultation))


@public_bp.get("/consultations/<slug>/synthese/versions/<int:number>")
def version(slug: str, number: int):
    consultation = _visible(slug)
    found = publishing.get_version(consultation, number)
    if found is None:
        abort(404)
    return _page(consultation, found)


@public_bp.get("/consultations/<slug>/synthese.pdf")
def synthesis_pdf(slug: str):
    consultation = _visible(slug)
    if "version" in request.args:
        number = request.args.get("version", type=int)
        valid = number is not None and 0 < number < 2**31
        found = publishing.get_version(consultation, number) if number and valid else None
    else:
        found = publishing.latest_version(consultation)
    if found is None:
        abort(404)
    document = pdf.build_pdf(
        consultation_title=consultation.title,
        institution=consultation.institution.name,
        version_number=found.number,
        published_at=found.published_at,
        days_after_closing=publishing.days_after_closing(consultation, found.published_at),
        change_note=found.change_note,
        body=found.body,
        observations_considered=found.observations_considered,
        reasons_url=found.reasons_url,
        follow_ups=[
            pdf.FollowUpLine(
                title=item.title,
                status=str(item.status.label),
                due_date=item.due_date.strftime("%d/%m/%Y") if item.due_date else "",
                description=item.description,
                url=item.url,
            )
            for item in follow_ups.list_follow_ups(consultation)
        ],
        address=external_url("synthesis_public.synthesis", slug=consultation.slug),
        base_url=current_app.config["BASE_URL"],
        state_branding=bool(current_app.config.get("STATE_BRANDING")),
        text_links=links.TokenLinks.for_text(consultation, found.body),
    )
    response = make_response(document)
    response.content_type = "application/pdf"
    filename = f"synthese-{consultation.slug}-v{found.number}.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@public_bp.post("/consultations/<slug>/suivre")
@login_required
def follow(slug: str):
    consultation = _visible(slug)
    or_404(follow_ups.follow, current_user, consultation)
    db.session.commit()
    flash(
        _(
            "Vous suivez cette consultation : vous serez prévenu par e-mail quand ses suites changent."
        ),
        "success",
    )
    return redirect(url_for("consultations.show", slug=slug))


@public_bp.post("/consultations/<slug>/ne-plus-suivre")
@login_required
def unfollow(slug: str):
    consultation = _visible(slug)
    follow_ups.unfollow(current_user, consultation)
    db.session.commit()
    flash(_("Vous ne suivez plus cette consultation."), "success")
    return redirect(url_for("consultations.show", slug=slug))


def _page(consultation, shown: SynthesisVersion | None):
    now = clock.now()
    status = consultation.status_at(now)
    all_versions = publishing.versions(consultation)
    first = all_versions[0] if all_versions else None
    block = queries.data_block(shown.data if shown else None, consultation.id)
    return render_template(
        "synthesis/public.html",
        consultation=consultation,
        status=status,
        Status=Status,
        version=shown,
        latest=all_versions[-1] if all_versions else None,
        versions=all_versions,
        text=queries.public_text(shown.body, consultation) if shown else None,
        observations=render_markdown(shown.observations_considered) if shown else None,
        data=block.data,
        figures=(block.data or {}).get("figures"),
        charts=block.charts,
        labels=block.labels,
        theme_lists=queries.theme_lists(block.data, consultation.id),
        # Links to the pages of this version's themes and proposal groups (`public_parts`).
        published_number=shown.number if shown else None,
        review=(shown.data or {}).get("review") if shown else None,
        published_days=(
            publishing.days_after_closing(consultation, first.published_at) if first else None
        ),
        days_since_closing=(
            publishing.days_after_closing(consultation, now)
            if status in publishing.CLOSED_STATUSES
            else None
        ),
        follow_ups=follow_ups.list_follow_ups(consultation) if shown else [],
        describe_changes=follow_ups.describe_changes,
    )


def _visible(slug: str) -> Consultation:
    """The published consultation (or a draft its staff may see): 404 for anyone else."""
    return or_404(consultations.get_visible, slug, current_user)
