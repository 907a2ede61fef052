"""The consultation's documents: attached before publication, frozen with the text, corrected
only by errata (SPEC §1, obligation 3: the consulted text and its attachments are public,
frozen and fingerprinted).

Rules:

- Before publication, an organiser of the consultation's institution adds documents (PDF,
  .docx, .odt, at most `DOCUMENT_MAX_BYTES`, default 20 MB) with a title, a kind and optionally
  the articles they concern, and removes them.
- Publication freezes them: each one's size and SHA-256 are part of the `publication` entry
  of the record (`ledger.facts`). No removal, no replacement after.
- An erratum is a new version of a published document, beside the old one (which stays
  served), with a required note; it is announced on the public pages and written to the
  record as a `document` entry.
- A published version may be hidden (personal data published by mistake, a court order):
  the file is no longer served, its fingerprint and the reason stay public and recorded.

The file's type comes from its content (`core.uploads.sniff`), never from its name: a PDF must
carry no script, launch action or embedded file (`core.pdfcheck`), a .docx or .odt must be a
sound archive without macros (`core.uploads.check_archive`). A refused file leaves nothing
behind. An accepted one is stored (`core.storage`) before the row that names it is flushed;
it is deleted if the transaction rolls back (`storage.discard_on_rollback`), and a removed
document's file only once the removal has committed (`storage.delete_after_commit`).

Services add and flush; the caller commits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from consultation.accounts.models import User
from consultation.consultations.document_models import (
    DOCUMENT_KIND_LABELS,
    ConsultationDocument,
    DocumentKind,
)
from consultation.consultations.limits import DOCUMENT_NOTE_MAX, DOCUMENT_TITLE_MAX, DOCUMENTS_MAX
from consultation.consultations.models import Consultation
from consultation.core import clock, journal, pdfcheck, storage, uploads
from consultation.core.auth import require
from consultation.core.errors import InvalidState, NotFound, ValidationFailed
from consultation.core.text import squash
from consultation.extensions import db

logger = logging.getLogger(__name__)

MEDIA_TYPES = {
    uploads.Kind.PDF: "application/pdf",
    uploads.Kind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    uploads.Kind.ODT: "application/vnd.oasis.opendocument.text",
}
EXTENSIONS = {
    "application/pdf": "pdf",
    MEDIA_TYPES[uploads.Kind.DOCX]: "docx",
    MEDIA_TYPES[uploads.Kind.ODT]: "odt",
}
FORMAT_LABELS = {"pdf": "PDF", "docx": "Word (.docx)", "odt": "OpenDocument (.odt)"}


def max_bytes() -> int:
    """The largest document accepted (setting DOCUMENT_MAX_BYTES)."""
    return int(current_app.config.get("DOCUMENT_MAX_BYTES", 20 * 1024 * 1024))


def size_label(size: int) -> str:
    return uploads.size_label(size)


# --- Loading -------------------------------------------------------------------------------


def documents_of(consultation: Consultation) -> list[ConsultationDocument]:
    """Every version of every document of the consultation, by number then version."""
    return list(
        db.session.scalars(
            sa.select(ConsultationDocument)
            .where(ConsultationDocument.consultation_id == consultation.id)
            .order_by(ConsultationDocument.number, ConsultationDocument.version)
        )
    )


def get_document(consultation: Consultation, document_id: int) -> ConsultationDocument:
    """The document `document_id` of this consultation; NotFound otherwise."""
    document = db.session.get(ConsultationDocument, document_id)
    if document is None or document.consultation_id != consultation.id:
        raise NotFound(_("Aucun document à cette adresse."))
    return document


def latest_version(document: ConsultationDocument) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.max(ConsultationDocument.version)).where(
                ConsultationDocument.consultation_id == document.consultation_id,
                ConsultationDocument.number == document.number,
            )
        )
        or document.version
    )


def can_download(document: ConsultationDocument, viewer: Any) -> bool:
    """A published consultation's documents are public (a hidden one to nobody); a draft's
    only to its institution's staff."""
    if document.is_hidden:
        return False
    consultation = document.consultation
    if consultation.is_published:
        return True
    return bool(
        viewer is not None
        and getattr(viewer, "is_authenticated", False)
        and viewer.acts_for(consultation.institution_id)
    )


@dataclass(frozen=True)
class DocumentGroup:
    """A document with all its versions (oldest first) as the pages show it."""

    number: int
    versions: list[ConsultationDocument]

    @property
    def latest(self) -> ConsultationDocument:
        return self.versions[-1]

    @property
    def earlier(self) -> list[ConsultationDocument]:
        return self.versions[:-1]

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS[EXTENSIONS[self.latest.media_type]]


def groups(consultation: Consultation, article: str | None = None) -> list[DocumentGroup]:
    """The consultation's documents, each with its versions; with `article`, only those tied
    to that article (« Étude d'impact — article 3 »)."""
    found: dict[int, list[ConsultationDocument]] = {}
    for item in documents_of(consultation):
        found.setdefault(item.number, []).append(item)
    result = [DocumentGroup(number, versions) for number, versions in found.items()]
    if article is not None:
        result = [group for group in result if article in (group.latest.articles or [])]
    return result


def format_label(document: ConsultationDocument) -> str:
    return FORMAT_LABELS[EXTENSIONS[document.media_type]]


@dataclass(frozen=True)
class DocumentsPage:
    """The organisers' page of a consultation's documents, with what the viewer may do."""

    groups: list[DocumentGroup]
    is_published: bool
    can_organise: bool

    @property
    def can_add(self) -> bool:
        return self.can_organise and not self.is_published

    @property
    def can_remove(self) -> bool:
        return self.can_organise and not self.is_published

    @property
    def can_correct(self) -> bool:
        return self.can_organise and self.is_published


def documents_page(consultation: Consultation, viewer: User) -> DocumentsPage:
    return DocumentsPage(
        groups=groups(consultation),
        is_published=consultation.is_published,
        can_organise=viewer.can_organise(consultation.institution_id),
    )


# --- Checks --------------------------------------------------------------------------------


def _clean_title(title: Any, errors: dict[str, str]) -> str:
    title = squash(str(title or ""))
    if not title:
        errors["title"] = _("Le titre du document est obligatoire.")
    elif len(title) > DOCUMENT_TITLE_MAX:
        errors["title"] = _("%(n)s caractères au plus.", n=DOCUMENT_TITLE_MAX)
    return title


def _clean_kind(kind: Any, errors: dict[str, str]) -> DocumentKind | None:
    try:
        return DocumentKind(kind)
    except ValueError:
        errors["kind"] = _(
            "Choisissez la nature du document : %(kinds)s.",
            kinds=", ".join(_(label) for label in DOCUMENT_KIND_LABELS.values()),
        )
        return None


def _clean_articles(consultation: Consultation, articles: Any, errors: dict[str, str]) -> list[str]:
    """The article numbers given, as the text numbers them, in the text's order."""
    if articles is None or articles == "":
        return []
    if isinstance(articles, str):
        articles = [part for part in articles.replace(";", ",").split(",")]
    if not isinstance(articles, list) or not all(isinstance(a, str) for a in articles):
        errors["articles"] = _("Une liste de numéros d'articles est attendue.")
        return []
    wanted = [squash(a).removeprefix("Article ").removeprefix("article ").strip() for a in articles]
    wanted = [a for a in wanted if a]
    version = consultation.current_version
    numbers = [article.number for article in version.articles] if version else []
    unknown = [a for a in wanted if a not in numbers]
    if unknown:
        errors["articles"] = _(
            "Article inconnu dans le texte : %(numbers)s.", numbers=", ".join(unknown)
        )
        return []
    return [number for number in numbers if number in wanted]


def _clean_note(note: Any, field: str, errors: dict[str, str], required_message: str) -> str:
    note = squash(str(note or ""))
    if not note:
        errors[field] = required_message
    elif len(note) > DOCUMENT_NOTE_MAX:
        errors[field] = _("%(n)s caractères au plus.", n=DOCUMENT_NOTE_MAX)
    return note


@dataclass
class StoredFile:
    key: str
    name: str
    media_type: str
    size: int
    sha256: str


def _read_file(stream: Any, filename: str | None, errors: dict[str, str]) -> StoredFile | None:
    """Read, check and store the uploaded file. Called once the other fields are sound: a
    refused file raises its own error (`core.uploads.UploadRefused`, `pdfcheck.PdfRefused`,
    with their codes) on `file`; no file at all is a message on `file` and None."""
    if stream is None:
        errors["file"] = _("Choisissez un fichier : PDF, Word (.docx) ou OpenDocument (.odt).")
        return None
    upload = uploads.read_upload(stream, filename, max_bytes=max_bytes(), field="file")
    with upload:
        uploads.require_kind(
            upload,
            (uploads.Kind.PDF, uploads.Kind.DOCX, uploads.Kind.ODT),
            field="file",
            formats=_("PDF, Word (.docx) ou OpenDocument (.odt)"),
        )
        if upload.kind is uploads.Kind.PDF:
            pdfcheck.check_pdf(upload.file, field="file")
        else:
            uploads.check_archive(
                upload.file,
                max_expanded=int(current_app.config.get("ARCHIVE_EXPANDED_MAX", 200 << 20)),
                field="file",
            )
        media_type = MEDIA_TYPES[upload.kind]
        upload.file.seek(0)
        key = storage.storage().put(upload.file)
    storage.discard_on_rollback(db.session(), key)
    return StoredFile(
        key, _file_name(upload.name, media_type), media_type, upload.size, upload.sha256
    )


def _missing_file(stream: Any, errors: dict[str, str]) -> None:
    """With other fields refused, the file is not read; a missing one is still named, so that
    a form or body sent empty hears of every field it lacks."""
    if stream is None and "file" not in errors:
        errors["file"] = _("Choisissez un fichier : PDF, Word (.docx) ou OpenDocument (.odt).")


def _file_name(cleaned: str, media_type: str) -> str:
    """The cleaned name with the extension of its real type (a PDF named .docx is served as
    .pdf)."""
    stem = cleaned.rsplit(".", 1)[0] if "." in cleaned else cleaned
    stem = stem.strip(". ") or "document"
    return f"{stem}.{EXTENSIONS[media_type]}"


def _refuse(errors: dict[str, str]) -> None:
    if errors:
        first = next(iter(errors.values()))
        raise ValidationFailed(_("Document refusé : %(problem)s", problem=first), fields=errors)


# --- Services ------------------------------------------------------------------------------


def check_can_add(actor: User, consultation: Consultation) -> None:
    """Raise NotAllowed unless `actor` organises for the consultation's institution,
    InvalidState once it is published: what the API checks before reading the body."""
    require(actor.can_organise(consultation.institution_id))
    if consultation.is_published:
        message = _(
            "Les documents sont figés depuis la publication : pour corriger l'un d'eux, "
            "publiez un erratum."
        )
        raise InvalidState(message, fields={"file": message})


def check_can_correct(actor: User, document: ConsultationDocument) -> None:
    """Raise NotAllowed unless `actor` organises for the consultation's institution,
    InvalidState unless it is published and `document` is the latest version of its number."""
    consultation = document.consultation
    require(actor.can_organise(consultation.institution_id))
    if not consultation.is_published:
        raise InvalidState(_("Avant la publication, retirez le document et déposez-en un nouveau."))
    latest = latest_version(document)
    if document.version != latest:
        raise InvalidState(
            _("Un erratum corrige la dernière version du document (version %(n)s).", n=latest)
        )


def add_document(
    actor: User,
    consultation: Consultation,
    *,
    file: IO[bytes] | Any,
    filename: str | None,
    title: Any,
    kind: Any,
    articles: Any = None,
    now: datetime | None = None,
) -> ConsultationDocument:
    """Attach a document to a draft consultation (organisers of its institution only).

    Raises NotAllowed, InvalidState once published (errata only), ValidationFailed with the
    field at fault (title, kind, articles, file: empty, too large, wrong type, active PDF,
    macros, zip bomb…). A refused document leaves no file and no row."""
    now = now or clock.now()
    check_can_add(actor, consultation)
    errors: dict[str, str] = {}
    clean_title = _clean_title(title, errors)
    clean_kind = _clean_kind(kind, errors)
    clean_articles = _clean_articles(consultation, articles, errors)
    count = db.session.scalar(
        sa.select(sa.func.count()).where(ConsultationDocument.consultation_id == consultation.id)
    )
    if (count or 0) >= DOCUMENTS_MAX:
        errors["file"] = _("%(n)s documents au plus par consultation.", n=DOCUMENTS_MAX)
    stored = _read_file(file, filename, errors) if not errors else None
    _missing_file(file, errors)
    _refuse(errors)
    assert stored is not None and clean_kind is not None
    number = (
        db.session.scalar(
            sa.select(sa.func.max(ConsultationDocument.number)).where(
                ConsultationDocument.consultation_id == consultation.id
            )
        )
        or 0
    ) + 1
    document = ConsultationDocument(
        consultation=consultation,
        number=number,
        version=1,
        title=clean_title,
        kind=clean_kind,
        articles=clean_articles,
        file_key=stored.key,
        filename=stored.name,
        media_type=stored.media_type,
        size=stored.size,
        sha256=stored.sha256,
        added_by=actor,
        added_at=now,
    )
    db.session.add(document)
    consultation.updated_at = now
    db.session.flush()
    logger.info(
        "document added: consultation=%s number=%s by user=%s", consultation.id, number, actor.id
    )
    return document


def check_can_remove(actor: User, document: ConsultationDocument) -> None:
    """Raise NotAllowed unless `actor` organises for the consultation's institution,
    InvalidState once the consultation is published (its documents are frozen)."""
    require(actor.can_organise(document.consultation.institution_id))
    if document.consultation.is_published:
        raise InvalidState(
            _(
                "Un document publié ne peut plus être retiré ni remplacé : publiez un erratum "
                "pour le corriger."
            )
        )


def remove_document(actor: User, document: ConsultationDocument) -> None:
    """Remove a document of a draft consultation; its file is deleted once the removal has
    committed. Raises NotAllowed, InvalidState once the consultation is published."""
    consultation = document.consultation
    check_can_remove(actor, document)
    storage.delete_after_commit(db.session(), document.file_key)
    db.session.delete(document)
    db.session.flush()
    logger.info("document removed: consultation=%s by user=%s", consultation.id, actor.id)


def publish_erratum(
    actor: User,
    document: ConsultationDocument,
    *,
    file: IO[bytes] | Any,
    filename: str | None,
    note: Any,
    title: Any = None,
    now: datetime | None = None,
) -> ConsultationDocument:
    """Publish a corrected version of a published document, beside the previous one (which
    stays available): same number, next version, the same kind and articles, the title kept
    unless a new one is given, and a required note announced publicly. Written to the record.

    Raises NotAllowed, InvalidState (draft: remove and add instead; not the latest version;
    hidden), ValidationFailed (note, title, file)."""
    now = now or clock.now()
    consultation = document.consultation
    check_can_correct(actor, document)
    latest = document.version
    errors: dict[str, str] = {}
    clean_note = _clean_note(
        note, "note", errors, _("Expliquez ce que corrige l'erratum : la note est publiée.")
    )
    clean_title = _clean_title(title, errors) if title not in (None, "") else document.title
    stored = _read_file(file, filename, errors) if not errors else None
    _missing_file(file, errors)
    _refuse(errors)
    assert stored is not None
    erratum = ConsultationDocument(
        consultation=consultation,
        number=document.number,
        version=latest + 1,
        title=clean_title,
        kind=document.kind,
        articles=list(document.articles or []),
        file_key=stored.key,
        filename=stored.name,
        media_type=stored.media_type,
        size=stored.size,
        sha256=stored.sha256,
        replaces=document,
        note=clean_note,
        added_by=actor,
        added_at=now,
    )
    db.session.add(erratum)
    consultation.updated_at = now  # the public page's cache stamp
    db.session.flush()
    journal.record(consultation.id, "document", now, action="erratum", document=erratum.id)
    logger.info(
        "document erratum: consultation=%s number=%s version=%s by user=%s",
        consultation.id,
        erratum.number,
        erratum.version,
        actor.id,
    )
    return erratum


def check_can_hide(actor: User, document: ConsultationDocument) -> None:
    """Raise NotAllowed unless `actor` organises for the consultation's institution,
    InvalidState unless the consultation is published (a draft's document is removed
    instead) and `document` is still served: what the API checks before reading the reason."""
    require(actor.can_organise(document.consultation.institution_id))
    if not document.consultation.is_published:
        raise InvalidState(_("Avant la publication, retirez simplement le document."))
    if document.is_hidden:
        raise InvalidState(_("Ce document est déjà masqué."))


def hide_document(
    actor: User, document: ConsultationDocument, reason: Any, *, now: datetime | None = None
) -> ConsultationDocument:
    """Stop serving a published version (personal data published by mistake, a court
    order…): it stays listed with its fingerprint and the public reason; written to the record.
    Raises NotAllowed, InvalidState (draft: remove it; already hidden), ValidationFailed
    (`reason`: required, published)."""
    now = now or clock.now()
    consultation = document.consultation
    check_can_hide(actor, document)
    errors: dict[str, str] = {}
    clean_reason = _clean_note(
        reason, "reason", errors, _("Le motif est obligatoire : il est affiché publiquement.")
    )
    if errors:
        raise ValidationFailed(next(iter(errors.values())), fields=errors)
    document.hidden_at = now
    document.hidden_reason = clean_reason
    consultation.updated_at = now
    db.session.flush()
    journal.record(consultation.id, "document", now, action="hide", document=document.id)
    logger.info(
        "document hidden: consultation=%s id=%s by user=%s", consultation.id, document.id, actor.id
    )
    return document


def open_file(document: ConsultationDocument) -> IO[bytes]:
    """The stored file, to be streamed (the caller closes it)."""
    return storage.storage().open(document.file_key)
