"""The drafted synthesis in the back-office: start a draft, follow it, read what it produced;
and the public page explaining how a draft is computed.

The draft page needs no JavaScript: while a run is queued or running it reloads itself every
few seconds (`<meta http-equiv="refresh">`) and announces its progress in a live region.
"""

from __future__ import annotations

from datetime import datetime

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consultation.consultations import services as consultations
from consultation.consultations.models import Consultation
from consultation.core.auth import staff_only
from consultation.core.db import transaction
from consultation.core.forms import Form
from consultation.extensions import db
from consultation.synthesis import draft, draft_markdown, jobs, links, queries
from consultation.synthesis.models import Synthesis
from consultation.synthesis.views import bp, public_bp

REFRESH_SECONDS = 3


@bp.app_template_filter("from_isoformat")
def from_isoformat(value: str | None) -> datetime | None:
    """An ISO 8601 instant stored in the draft's data, back to a datetime."""
    return datetime.fromisoformat(value) if value else None


@bp.route("/consultations/<slug>/synthese/brouillon", methods=["GET", "POST"], endpoint="draft")
@staff_only
def draft_page(slug: str):
    consultation = consultations.get_for_staff(slug, current_user)
    form = Form()
    status = 200
    if form.validate_on_submit():
        with transaction() as done:
            job_id = jobs.start_draft(current_user, consultation).id
        if done.error:
            flash(done.error.message, "error")
            status = done.error.status
        else:
            jobs.launch(job_id)
            flash(_("La rédaction du brouillon est lancée."), "success")
            return redirect(url_for("synthesis.draft", slug=slug))
    return _page(consultation, form), status


def _page(consultation: Consultation, form: Form) -> str:
    job = jobs.latest_job(consultation)
    synthesis = db.session.get(Synthesis, consultation.id)
    has_draft = synthesis is not None and synthesis.draft_generated_at is not None
    draft = synthesis if has_draft else None
    block = queries.data_block(draft.draft_data if draft is not None else None, consultation.id)
    return render_template(
        "synthesis/draft.html",
        consultation=consultation,
        form=form,
        job=job,
        refresh=REFRESH_SECONDS if job is not None and job.is_active else None,
        can_draft=consultation.status in jobs.DRAFTABLE,
        synthesis=synthesis,
        draft_html=links.render(draft.draft_markdown, consultation).html if draft else None,
        data=block.data,
        charts=block.charts,
        labels=block.labels,
        notes=block.notes,
        method_path=draft_markdown.METHOD_PATH,
    )


@public_bp.get("/synthese/methode")
def method():
    # The analyses' own thresholds, so that the page says what the code does.
    from consultation.synthesis.analysis import campaigns, opinions, themes
    from consultation.synthesis.analysis.statements import KIND_LABELS

    return render_template(
        "synthesis/method.html",
        method=draft.method_settings(),
        campaign_similarity=round(100 * draft.CAMPAIGN_THRESHOLD),
        shingle_words=campaigns.SHINGLE_WORDS,
        campaign_common_words=campaigns.MIN_COMMON_WORDS,
        themes=themes,
        opinions=opinions,
        statement_figures=[
            (KIND_LABELS[kind], precision, recall)
            for kind, precision, recall in draft.STATEMENT_FIGURES
        ],
    )
