"""The drafted synthesis through the API: start a draft, follow its progress, read the document.

`POST …/synthesis/draft` answers 202 with the run (a second call while one is queued or
running answers 202 with that same run). `GET …/synthesis` is the synthesis document: for the
consultation's staff, the last run's status and progress, the draft (Markdown and data) and
the text being edited; for everyone else only what is public. `synthesis_document` builds it,
so that other parts of the synthesis add their fields in one place.
"""

from __future__ import annotations

import sqlalchemy as sa

from consultation.accounts.models import User
from consultation.api import bp, schemas, synthesis_publish
from consultation.api.auth import api_user, require_api_user
from consultation.consultations import services as consultations
from consultation.consultations.models import Consultation
from consultation.core.clock import isoformat
from consultation.extensions import db
from consultation.synthesis import jobs, quotes
from consultation.synthesis.models import Synthesis, SynthesisJob, SynthesisVersion


@bp.post("/consultations/<slug>/synthesis/draft")
def start_synthesis_draft(slug: str):
    user = require_api_user()
    consultation = consultations.get_visible(slug, user)
    job_id = jobs.start_draft(user, consultation).id
    db.session.commit()
    jobs.launch(job_id)
    job = db.session.get(SynthesisJob, job_id)
    return schemas.respond(schemas.DraftStarted, {"job": job_document(job)}, 202)


@bp.get("/consultations/<slug>/synthesis")
def get_synthesis(slug: str):
    viewer = api_user()
    document = synthesis_document(consultations.get_visible(slug, viewer), viewer)
    return schemas.respond(schemas.SynthesisDocument, document)


def job_document(job: SynthesisJob | None) -> dict | None:
    if job is None:
        return None
    return {
        "id": job.id,
        "status": job.status.value,
        "progress": job.progress,
        "step": job.step,
        "error": job.error or None,
        "created_at": isoformat(job.created_at),
        "started_at": isoformat(job.started_at),
        "finished_at": isoformat(job.finished_at),
    }


def synthesis_document(consultation: Consultation, viewer: User | None) -> dict:
    """The synthesis of `consultation` as `viewer` may see it: the published versions for
    everyone; the draft run, the draft and the text being edited for the institution's staff."""
    versions = db.session.scalars(
        sa.select(SynthesisVersion)
        .where(SynthesisVersion.consultation_id == consultation.id)
        .order_by(SynthesisVersion.number)
    ).all()
    document: dict = {
        "published": consultation.synthesis_published_at is not None,
        "published_at": isoformat(consultation.synthesis_published_at),
        "versions": [
            {
                "number": version.number,
                "published_at": isoformat(version.published_at),
                "change_note": version.change_note,
            }
            for version in versions
        ],
    }
    document.update(synthesis_publish.publication_fields(consultation, viewer))
    if viewer is None or not viewer.acts_for(consultation.institution_id):
        return document
    job = jobs.latest_job(consultation)
    synthesis = db.session.get(Synthesis, consultation.id)
    has_draft = synthesis is not None and synthesis.draft_generated_at is not None
    draft = synthesis if has_draft else None
    document.update(
        {
            "status": job.status.value if job else None,
            "progress": job.progress if job else None,
            "step": job.step if job else None,
            "error": (job.error or None) if job else None,
            "job": job_document(job),
            "draft": {
                "markdown": draft.draft_markdown,
                "data": quotes.withhold(draft.draft_data, consultation.id),
                "generated_at": isoformat(draft.draft_generated_at),
            }
            if draft is not None
            else None,
            "body": synthesis.body if synthesis else "",
        }
    )
    return document
