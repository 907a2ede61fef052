"""Position papers: the one PDF a participant (an organisation first of all) attaches to a
contribution.

Rules:

- Whoever may contribute may attach one PDF to their contribution, when submitting it (at most
  `POSITION_PAPER_MAX_BYTES`, default 10 MB); its author, editing it (`edit_refusal`), may
  attach one, replace it or remove it (`paper_change`). It is checked as the consultation's
  documents are: its type comes from its content (`core.uploads.sniff`: a PDF, whatever its
  name says), it carries no script, launch action or embedded file and is neither encrypted
  nor unreadable (`core.pdfcheck`); an empty or over-size file is refused. Each refusal is a
  French message on the field `paper`; a refused file leaves no file and no row.
- Its text (first `TEXT_PAGES` pages, at most `TEXT_MAX` characters) is kept for the search
  and for the synthesis, which reads it with a short body.
- It shares its contribution's fate: shown and served while the contribution's texts are
  public (`Contribution.is_public`), no longer served once it is hidden or withdrawn (its
  SHA-256 stays in the export).
- The record certifies it with the contribution (`contributions._recorded`): its SHA-256 as a
  public fact of the entry, its name, size and SHA-256 inside the content's commitment; an edit's
  entry states the paper the contribution has after it (none once removed), the same way.
- A paper replaced or removed by an edit stays in the storage: the version of the contribution
  it belonged to keeps it (`ContributionRevision.paper_*`), and the history shows it with that
  version's wording, as long as the contribution's texts are public.
- The moderators who may moderate the contribution (`moderation.services.
  get_contribution_to_moderate`, the rule of its moderation page) read its paper and those of
  its earlier versions whatever its state, hidden or withdrawn included, at the moderation's
  own addresses (`moderation.paper`, `moderation.earlier_paper`), kept by no cache.
- The author finds the paper of each version of their contributions in « Mes données »
  (`participants.personal_data`, `participants.papers_data`).

The file is stored before the row that names it is flushed and deleted if the transaction
rolls back (`storage.discard_on_rollback`). Services add and flush; the caller commits.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from consultation.core import pdfcheck, storage, uploads
from consultation.core.errors import ValidationFailed
from consultation.core.urls import external_url
from consultation.extensions import db
from consultation.participation.models import (
    Contribution,
    ContributionPaper,
    ContributionRevision,
)

logger = logging.getLogger(__name__)

FIELD = "paper"
TEXT_PAGES = 200
"""Pages read for the search and the synthesis."""
TEXT_MAX = 200_000
"""Characters of text kept at most."""
MEDIA_TYPE = "application/pdf"


def max_bytes() -> int:
    """The largest position paper accepted (setting POSITION_PAPER_MAX_BYTES)."""
    return int(current_app.config.get("POSITION_PAPER_MAX_BYTES", 10 * 1024 * 1024))


def max_size_label() -> str:
    """« 10 Mo »."""
    return uploads.size_label(max_bytes())


def is_given(stream: Any) -> bool:
    """Whether a file was sent at all: a form's empty file field sends a part with no name."""
    if stream is None:
        return False
    filename = getattr(stream, "filename", None)
    return not (filename is not None and filename == "" and hasattr(stream, "stream"))


@dataclass
class StoredPaper:
    key: str
    name: str
    size: int
    sha256: str
    text: str


def store_paper(stream: IO[bytes] | Any, filename: str | None) -> StoredPaper:
    """Read, check and store an uploaded position paper; what the row will keep.

    Raises `uploads.UploadRefused` (empty, too large, not a PDF) or `pdfcheck.PdfRefused`
    (script, launch action, embedded file, encrypted, unreadable), each on the field `paper`
    with its code. Nothing is stored unless every check passed; the stored file is deleted if
    the transaction rolls back."""
    upload = uploads.read_upload(stream, filename, max_bytes=max_bytes(), field=FIELD)
    with upload:
        if upload.kind is not uploads.Kind.PDF:
            raise uploads.UploadRefused(
                "unsupported_file_type",
                FIELD,
                _(
                    "Joignez un PDF : le contenu de ce fichier n'est pas un PDF, quel que soit "
                    "son nom."
                ),
            )
        pdfcheck.check_pdf(upload.file, field=FIELD)
        upload.file.seek(0)
        text = pdfcheck.pdf_text(upload.file, TEXT_PAGES, field=FIELD)[:TEXT_MAX]
        upload.file.seek(0)
        key = storage.storage().put(upload.file)
    storage.discard_on_rollback(db.session(), key)
    return StoredPaper(key, _pdf_name(upload.name), upload.size, upload.sha256, text)


def _pdf_name(cleaned: str) -> str:
    """The cleaned name ending in .pdf (a PDF named .docx is served as .pdf)."""
    stem = cleaned.rsplit(".", 1)[0] if "." in cleaned else cleaned
    stem = stem.strip(". ") or "contribution"
    return f"{stem}.pdf"


def attach_paper(
    contribution: Contribution, stored: StoredPaper, now: datetime
) -> ContributionPaper:
    """Attach a stored paper to a contribution that has none (the database allows one)."""
    paper = ContributionPaper(
        contribution=contribution,
        file_key=stored.key,
        filename=stored.name,
        size=stored.size,
        sha256=stored.sha256,
        text=stored.text,
        uploaded_at=now,
    )
    db.session.add(paper)
    db.session.flush()
    logger.info("position paper attached: contribution=%s", contribution.id)
    return paper


@dataclass(frozen=True)
class PaperChange:
    """What an edit does to a contribution's paper: attach or replace it with `stored`, or
    remove it (`stored` None); `same_file`: the file sent is the one already attached, and
    nothing changes."""

    stored: StoredPaper | None = None
    same_file: bool = False


def paper_change(
    current: ContributionPaper | None,
    stream: IO[bytes] | Any,
    filename: str | None,
    *,
    remove: bool = False,
) -> PaperChange | None:
    """What an edit asks of the paper, the new file read, checked and stored as at submission
    (`store_paper`); None when it asks nothing (no file sent, no removal, or the removal of a
    paper the contribution does not have).

    Raises ValidationFailed on the field `paper` when a file is sent and its removal asked
    together (before the file is read), and what `store_paper` raises. A file identical to the
    one attached (same name and SHA-256) is not kept a second time."""
    given = is_given(stream)
    if given and remove:
        raise ValidationFailed(
            fields={
                FIELD: _(
                    "Joignez un nouveau fichier ou retirez la contribution écrite jointe, "
                    "pas les deux."
                )
            }
        )
    if given:
        stored = store_paper(stream, filename)
        if current is not None and (stored.name, stored.sha256) == (
            current.filename,
            current.sha256,
        ):
            storage.storage().delete(stored.key)  # no row names it
            return PaperChange(same_file=True)
        return PaperChange(stored)
    if remove and current is not None:
        return PaperChange(None)
    return None


def apply_change(contribution: Contribution, change: PaperChange, now: datetime) -> None:
    """Attach, replace or remove the contribution's paper as `change` says. A replaced or
    removed file stays in the storage (the version it belonged to keeps it: `kept_in`)."""
    if change.same_file:
        return
    current = contribution.paper
    stored = change.stored
    if stored is None:
        if current is not None:
            # Deleted as a row of its own (its contribution id kept: the search re-indexes
            # that contribution), then no longer the contribution's.
            db.session.delete(current)
            db.session.flush()
            db.session.expire(contribution, ["paper"])
            logger.info("position paper removed: contribution=%s", contribution.id)
        return
    if current is None:
        attach_paper(contribution, stored, now)
        return
    current.file_key = stored.key
    current.filename = stored.name
    current.size = stored.size
    current.sha256 = stored.sha256
    current.text = stored.text
    current.uploaded_at = now
    db.session.flush()
    logger.info("position paper replaced: contribution=%s", contribution.id)


def kept_in(paper: ContributionPaper | None) -> dict[str, Any]:
    """The columns of a `ContributionRevision` that keep the paper a version had."""
    if paper is None:
        return {}
    return {
        "paper_file_key": paper.file_key,
        "paper_filename": paper.filename,
        "paper_size": paper.size,
        "paper_sha256": paper.sha256,
    }


@dataclass(frozen=True)
class PaperFacts:
    """What a card or an API answer shows of a paper: its name, size and SHA-256."""

    contribution_id: int
    filename: str
    size: int
    sha256: str

    @property
    def size_label(self) -> str:
        """« 1,2 Mo »."""
        return uploads.size_label(self.size)


def papers_of(contribution_ids: Iterable[int]) -> dict[int, PaperFacts]:
    """The papers of these contributions, by contribution id, in one query (their text, which
    may be long, is not read)."""
    ids = sorted(set(contribution_ids))
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(
            ContributionPaper.contribution_id,
            ContributionPaper.filename,
            ContributionPaper.size,
            ContributionPaper.sha256,
        ).where(ContributionPaper.contribution_id.in_(ids))
    )
    return {row.contribution_id: PaperFacts(*row) for row in rows}


def shown_papers(contributions: Iterable[Contribution]) -> dict[int, PaperFacts]:
    """The papers the cards of these contributions link to, by contribution id: none for a
    hidden or withdrawn contribution (`is_withheld`)."""
    return papers_of(c.id for c in contributions if not is_withheld(c))


def published(
    contribution_id: int,
    consultation_slug: str,
    facts: PaperFacts | None,
    *,
    withheld: bool,
) -> dict[str, Any] | None:
    """A paper as the open data and the API publish it: `{name, size, sha256, url}`, a link
    with its name, size in bytes and SHA-256; of a hidden or withdrawn contribution
    (`withheld`), its SHA-256 only (the record certifies it); None without a paper."""
    if facts is None:
        return None
    if withheld:
        return {"name": None, "size": None, "sha256": facts.sha256, "url": None}
    return {
        "name": facts.filename,
        "size": facts.size,
        "sha256": facts.sha256,
        "url": external_url(
            "participation.paper",
            slug=consultation_slug,
            contribution_id=contribution_id,
            filename=facts.filename,
        ),
    }


@dataclass(frozen=True)
class EarlierPaper:
    """The paper an earlier version of a contribution had: where its file is, its name and
    size."""

    revision_id: int
    file_key: str
    filename: str
    size: int


def earlier_paper(contribution: Contribution, revision_id: int) -> EarlierPaper | None:
    """The paper of the earlier version `revision_id` of the contribution (None when that
    version is not one of the contribution's, or had none)."""
    revision = db.session.get(ContributionRevision, revision_id)
    if revision is None or revision.contribution_id != contribution.id:
        return None
    key, name, size = revision.paper_file_key, revision.paper_filename, revision.paper_size
    if key is None or name is None or size is None:
        return None
    return EarlierPaper(revision.id, key, name, size)


def earlier_papers(contribution: Contribution) -> list[ContributionRevision]:
    """The earlier versions of the contribution that had a paper, in the history's order (the
    moderation page lists them, whatever the contribution's state)."""
    return [r for r in contribution.revisions if r.paper_file_key is not None]


def kept(revision: ContributionRevision) -> dict[str, Any] | None:
    """The paper an earlier version had, as `recorded` gives the current one: `{name, size,
    sha256}` (None when that version had none)."""
    if revision.paper_filename is None or revision.paper_size is None:
        return None
    return {
        "name": revision.paper_filename,
        "size": revision.paper_size,
        "sha256": revision.paper_sha256,
    }


def recorded(paper: ContributionPaper | None) -> dict[str, Any] | None:
    """What the record's content commitment keeps of a paper (None: the key is left out, so
    that a contribution without one commits to its texts as before)."""
    if paper is None:
        return None
    return {"name": paper.filename, "size": paper.size, "sha256": paper.sha256}


def shown_paper(contribution: Contribution) -> ContributionPaper | None:
    """The paper the contribution's page shows: none once it is hidden or withdrawn."""
    return contribution.paper if contribution.is_public else None


def is_withheld(contribution: Contribution) -> bool:
    """Whether a contribution's paper is no longer served: its contribution is hidden or
    withdrawn (`Contribution.is_public`), as its texts are."""
    return not contribution.is_public


def open_paper(file_key: str) -> IO[bytes]:
    """The stored file, to be streamed (the caller closes it)."""
    return storage.storage().open(file_key)
