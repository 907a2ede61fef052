"""Drafting the synthesis in the background: starting a run, running it, reporting progress.

A run is a `SynthesisJob` row. `start_draft` checks the rules and creates it (queued); the
caller commits, then hands its id to `launch`, which runs it:

- with `JOBS_INLINE` (the tests), at once, in the caller's thread;
- with `REDIS_URL`, on the RQ queue "synthesis", taken by `flask jobs worker` (or a plain
  `rq worker synthesis`: the job builds its own application when it finds none);
- otherwise in this process, on a background thread, so that a development server needs
  nothing more.

(`core.jobs` does the handing out, for these drafts and for the messages to many people.)

`run_draft` does the work. Progress and step are written in their own short transactions so
that the page polling the job sees them; the draft itself (`draft_markdown`, `draft_data`,
`draft_generated_at`, and `body` while nobody has written one) is written in one transaction
at the very end, with the job marked done. A failure marks the job failed with a French reason
and leaves the previous draft as it was; a new run can be started at once.

One run at a time per consultation: starting while one is queued or running returns that run
instead of a second one. A run that has not finished `STALE_AFTER` after it was queued or
started (a killed worker, a stopped queue) no longer blocks: the next start marks it failed.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import Future
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from consultation.accounts.models import User
from consultation.consultations.constants import Status
from consultation.consultations.models import Consultation
from consultation.core import clock
from consultation.core.db import get_existing, rowcount
from consultation.core.errors import InvalidState, NotAllowed
from consultation.core.jobs import run_later
from consultation.extensions import db
from consultation.synthesis import draft, draft_markdown, review, review_draft, review_proposals
from consultation.synthesis.models import JobStatus, Synthesis, SynthesisJob

logger = logging.getLogger(__name__)

QUEUE_NAME = "synthesis"
STALE_AFTER = timedelta(minutes=10)
# What RQ allows a run before killing it: a run this long is stale anyway.
JOB_TIMEOUT_SECONDS = int(STALE_AFTER.total_seconds())
DRAFTABLE = (Status.closed, Status.synthesis_published)
# Progress is written at most this often (seconds), and whenever the step changes.
PROGRESS_INTERVAL = 0.5


def latest_job(consultation: Consultation) -> SynthesisJob | None:
    """The consultation's most recent run, whatever its status."""
    return db.session.scalar(
        sa.select(SynthesisJob)
        .where(SynthesisJob.consultation_id == consultation.id)
        .order_by(SynthesisJob.id.desc())
        .limit(1)
    )


def start_draft(
    actor: User, consultation: Consultation, *, now: datetime | None = None
) -> SynthesisJob:
    """Queue a run drafting the synthesis of `consultation`; the caller commits, then calls
    `launch(job_id)`.

    Staff of the consultation's institution (organisers and moderators) and administrators
    only (NotAllowed), once the consultation is closed (InvalidState). While a run is queued or
    running it is returned as it is (`job.id` tells the caller it is not new); a run older than
    `STALE_AFTER` is marked failed first and a new one is queued.
    """
    now = now or clock.now()
    if not actor.acts_for(consultation.institution_id):
        raise NotAllowed(
            _("Seule l'équipe de l'institution rédige la synthèse de la consultation.")
        )
    if consultation.status_at(now) not in DRAFTABLE:
        raise InvalidState(
            _("Le brouillon de la synthèse se rédige une fois la consultation close.")
        )
    active = latest_job(consultation)
    if active is not None and active.is_active:
        if not _is_stale(active, now):
            return active
        _fail(
            active,
            "Interrompue : la rédaction ne s'est pas terminée (serveur ou file de travail "
            "arrêtés ?). Une nouvelle rédaction a été lancée.",
            now,
        )
        logger.warning("synthesis job %s was stale and is marked failed", active.id)
    job = SynthesisJob(
        consultation_id=consultation.id,
        requested_by_id=actor.id,
        status=JobStatus.queued,
        progress=0,
        step="En attente de traitement",
        created_at=now,
    )
    db.session.add(job)
    db.session.flush()
    logger.info(
        "synthesis draft queued: job=%s consultation=%s by user=%s",
        job.id,
        consultation.id,
        actor.id,
    )
    return job


def _is_stale(job: SynthesisJob, now: datetime) -> bool:
    since = job.started_at or job.created_at
    return since is not None and clock.as_utc(since) < now - STALE_AFTER


def launch(job_id: int) -> Future | None:
    """Run a committed job through `core.jobs.run_later`: inline, on the RQ queue
    "synthesis", or on the local background thread (whose future is returned). Takes the id,
    read before the commit, so that the caller's session opens no transaction here (on SQLite
    it would hold the lock the job needs). A job that is no longer queued is left alone by
    `run_draft`, so launching one twice is harmless."""
    return run_later(
        "consultation.synthesis.jobs:run_draft",
        job_id,
        queue=QUEUE_NAME,
        timeout=JOB_TIMEOUT_SECONDS,
    )


def run_draft(job_id: int) -> None:
    """Run a queued job to its end: done with the new draft written, or failed with why."""
    # Claimed in one statement: a job handed out twice runs once.
    claimed = rowcount(
        db.session.execute(
            sa.update(SynthesisJob)
            .where(SynthesisJob.id == job_id, SynthesisJob.status == JobStatus.queued)
            .values(status=JobStatus.running, started_at=clock.now(), progress=0, step="Démarrage")
        )
    )
    db.session.commit()
    if not claimed:
        logger.info("synthesis job %s is not queued any more: nothing to run", job_id)
        return
    job = get_existing(SynthesisJob, job_id)
    consultation = get_existing(Consultation, job.consultation_id)
    report = ProgressReport(job_id)
    started = time.monotonic()
    try:
        markdown, data = draft.build_draft(consultation, progress=report)
        _save_draft(job_id, consultation.id, markdown, data)
    except Exception as error:
        db.session.rollback()
        logger.exception("synthesis job %s failed at step %r", job_id, report.step)
        job = get_existing(SynthesisJob, job_id)
        _fail(job, failure_message(report.step, error), clock.now())
        db.session.commit()
        return
    logger.info("synthesis job %s done in %.1f s", job_id, time.monotonic() - started)


def failure_message(step: str, error: Exception) -> str:
    """The French reason shown to the staff: where it stopped, and what to do."""
    where = f" pendant l'étape « {step} »" if step else ""
    return (
        f"La rédaction du brouillon a échoué{where} (erreur interne : {type(error).__name__}). "
        "Le brouillon précédent est conservé. Relancez la rédaction ; si l'échec se répète, "
        "signalez-le à l'équipe technique."
    )


def _save_draft(job_id: int, consultation_id: int, markdown: str, data: dict) -> None:
    """The draft and the job's end, in one transaction. The run's themes and proposal groups go
    to the review's workbench first, where people's decisions are kept; the decisions already
    made (merged proposal groups, pinned or dropped excerpts) then shape the draft, whose text
    is written again from its data when they change it (`review_draft`)."""
    now = clock.now()
    consultation = get_existing(Consultation, consultation_id)
    members = data.pop(draft.PROPOSAL_MEMBERS, None)
    themes = review.import_draft_themes(consultation, data, now, job_id=job_id)
    groups = review_proposals.import_draft_proposals(
        consultation, data, members, now, job_id=job_id
    )
    if review_draft.apply_to_draft(consultation, data, themes, groups):
        markdown = draft_markdown.write(draft.subject_of(consultation), data)
    synthesis = db.session.get(Synthesis, consultation_id)
    if synthesis is None:
        synthesis = Synthesis(consultation_id=consultation_id, body="")
        db.session.add(synthesis)
    previous_draft = synthesis.draft_markdown or ""
    synthesis.draft_markdown = markdown
    synthesis.draft_data = data
    synthesis.draft_generated_at = now
    if not (synthesis.body or "").strip():
        synthesis.body = markdown
    elif synthesis.body == previous_draft:
        # Nobody has edited the text since an earlier draft wrote it: the working notes that
        # such a draft put in the text go (they now live apart). An edited text is left as is.
        synthesis.body = draft_markdown.without_limits_section(synthesis.body)
    job = get_existing(SynthesisJob, job_id)
    job.status, job.progress, job.step, job.finished_at = JobStatus.done, 100, "Terminé", now
    job.error = ""
    db.session.commit()


def _fail(job: SynthesisJob, message: str, now: datetime) -> None:
    job.status, job.error, job.finished_at = JobStatus.failed, message, now
    db.session.flush()


class ProgressReport:
    """The `progress(percent, step)` callback given to the draft builder: writes the job's
    progress in a short transaction of its own, when the step changes or at most every
    `PROGRESS_INTERVAL` seconds."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.step = ""
        self.percent = 0
        self._written_at = 0.0

    def __call__(self, percent: float, step: str) -> None:
        percent = max(0, min(99, int(percent)))
        changed_step = step != self.step
        self.step = step
        if not changed_step and (
            percent == self.percent or time.monotonic() - self._written_at < PROGRESS_INTERVAL
        ):
            return
        self.percent, self._written_at = percent, time.monotonic()
        db.session.execute(
            sa.update(SynthesisJob)
            .where(SynthesisJob.id == self.job_id)
            .values(progress=percent, step=step[:200])
        )
        db.session.commit()
