"""Position papers: the one PDF a participant (an organisation first of all) attaches to a
contribution.

Rules:

- Whoever may contribute may attach one PDF to their contribution, when submitting it (at most
  `POSITION_PAPER_MAX_BYTES`, default 10 MB). It is checked as the consultation's documents
  are: its type comes from its content (`core.uploads.sniff`: a PDF, whatever its name says),
  it carries no script, launch action or embedded file and is neither encrypted nor
  unreadable (`core.pdfcheck`); an empty or over-size file is refused. Each refusal is a
  French message on the field `paper`; a refused file leaves no file and no row.
- Its text (first `TEXT_PAGES` pages, at most `TEXT_MAX` characters) is kept for the search
  and for the synthesis, which reads it with a short body.
- It shares its contribution's fate: shown and served while the contribution's texts are
  public (`Contribution.is_public`), no longer served once it is hidden or withdrawn (its
  SHA-256 stays in the export).
- The record certifies it with the contribution (`contributions._recorded`): its SHA-256 as a
  public fact of the entry, its name, size and SHA-256 inside the content's commitment.

The file is stored before the row that names it is flushed and deleted if the transaction
rolls back (`storage.discard_on_rollback`). Services add and flush; the caller commits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from flask import current_app
from flask_babel import gettext as _

from consultation.core import pdfcheck, storage, uploads
from consultation.extensions import db
from consultation.participation.models import Contribution, ContributionPaper

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


def open_paper(paper: ContributionPaper) -> IO[bytes]:
    """The stored file, to be streamed (the caller closes it)."""
    return storage.storage().open(paper.file_key)
