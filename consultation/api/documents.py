"""/api/v1/consultations/{slug}/documents: the consultation's documents (exposé des motifs,
étude d'impact, avis, annexes).

- GET lists every version as the export does (`ledger.published.documents`): number, version,
  title, kind, articles, media type, size, SHA-256, erratum note, publication, hiding, address.
  A draft's documents only for its institution's staff (404 otherwise, as for the draft).
- POST (multipart: `file`, `title`, `kind`, `articles` as numbers separated by commas) adds
  one to a draft: 201 and the document.
- POST …/documents/{id}/erratum (multipart: `file`, `note`, optional `title`) publishes a
  corrected version of a published document: 201 and the new version.
- POST …/documents/{id}/hide ({reason}, required and public) stops serving a published
  version, as the management page's « Masquer » does: the document as now listed (hidden,
  with its fingerprint and reason), and a `document` entry in the record.
- DELETE …/documents/{id} removes a draft's document, as the page's « Retirer » does: the
  documents that remain.

Rights and state come before the body: 401, 403/404, 409 (published / not published, already
hidden), then 422 naming the field (`reason`, `note`…; `file` with the refusal's code:
`empty_file`, `file_too_large`, `unsupported_file_type`, `pdf_refused`, `archive_too_large`…).
The multipart body is parsed only once the checks have passed; a JSON body is read for its
text fields (no file then). The same service functions and rights as the management page
(`consultations.documents`) answer both.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_babel import gettext as _

from consultation.api import bp, schemas
from consultation.api.auth import api_user, require_api_user
from consultation.api.input import json_object
from consultation.consultations import documents, services
from consultation.core.errors import ValidationFailed
from consultation.core.upload_limits import accepts_upload
from consultation.extensions import db
from consultation.ledger import published


@bp.get("/consultations/<slug>/documents")
def list_documents(slug: str):
    consultation = services.get_visible(slug, api_user())
    return jsonify({"documents": published.documents(consultation)})


@bp.post("/consultations/<slug>/documents")
@accepts_upload("DOCUMENT_MAX_BYTES")
def add_document(slug: str):
    user = require_api_user()
    consultation = services.get_for_organiser(slug, user)
    documents.check_can_add(user, consultation)
    fields, upload = _body(("title", "kind", "articles"))
    document = documents.add_document(
        user,
        consultation,
        file=upload,
        filename=getattr(upload, "filename", None),
        title=fields.get("title"),
        kind=fields.get("kind"),
        articles=fields.get("articles"),
    )
    db.session.commit()
    return jsonify(_shown(consultation, document.id)), 201


@bp.post("/consultations/<slug>/documents/<int:document_id>/erratum")
@accepts_upload("DOCUMENT_MAX_BYTES")
def publish_erratum(slug: str, document_id: int):
    user = require_api_user()
    consultation = services.get_for_organiser(slug, user)
    document = documents.get_document(consultation, document_id)
    documents.check_can_correct(user, document)
    fields, upload = _body(("note", "title"))
    erratum = documents.publish_erratum(
        user,
        document,
        file=upload,
        filename=getattr(upload, "filename", None),
        note=fields.get("note"),
        title=fields.get("title"),
    )
    db.session.commit()
    return jsonify(_shown(consultation, erratum.id)), 201


@bp.post("/consultations/<slug>/documents/<int:document_id>/hide")
def hide_document(slug: str, document_id: int):
    user = require_api_user()
    consultation = services.get_for_organiser(slug, user)
    document = documents.get_document(consultation, document_id)
    documents.check_can_hide(user, document)
    sent = schemas.parse(schemas.DocumentHideInput)
    documents.hide_document(user, document, sent.reason)
    db.session.commit()
    return jsonify(_shown(consultation, document.id))


@bp.delete("/consultations/<slug>/documents/<int:document_id>")
def remove_document(slug: str, document_id: int):
    user = require_api_user()
    consultation = services.get_for_organiser(slug, user)
    document = documents.get_document(consultation, document_id)
    documents.remove_document(user, document)
    db.session.commit()
    return jsonify({"documents": published.documents(consultation)})


def _body(names: tuple[str, ...]) -> tuple[dict[str, Any], Any]:
    """The text fields `names` (strings; `articles` also a list of strings) and the uploaded
    file, if any. A multipart body up to the documents' limit (DOCUMENT_MAX_BYTES, raised for
    the route by `accepts_upload`)."""
    if request.mimetype == "multipart/form-data":
        values: dict[str, Any] = {name: request.form.get(name) for name in names}
        upload = request.files.get("file")
        return values, (upload if upload and upload.filename else None)
    payload = json_object()
    values = {name: payload.get(name) for name in names}
    wrong = {
        name: _("Texte attendu.")
        for name, value in values.items()
        if value is not None
        and not isinstance(value, str)
        and not (name == "articles" and isinstance(value, list))
    }
    if wrong:
        raise ValidationFailed(fields=wrong)
    return values, None


def _shown(consultation, document_id: int) -> dict[str, Any]:
    return next(item for item in published.documents(consultation) if item["id"] == document_id)
