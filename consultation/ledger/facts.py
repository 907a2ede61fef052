"""What the record states of a consultation besides its participants' acts, in the form a
reader recomputes from the export.

The `publication` entry, the first of every record, carries the consultation as it was
published: its title, summary, institution, legal basis, opening and closing, the SHA-256 of
its notice, and the consulted text's two fingerprints — `text_sha256`, the SHA-256 of the text
as imported (the one the pages show) and `text_structure_sha256`, the SHA-256 of the text as
the export lays it out (`text_structure`). The data is read through `ledger.published`, the
functions that write the export, so that the record and the export say the same thing by
construction; `static/ledger/verify_ledger.py` recomputes both digests from an export.

    text_structure = {
      "title", "preamble", "closing",                        # from the export's `text`
      "divisions": [{"position", "depth", "kind", "label", "title", "intro",
                     "parent": index of the parent in this list, or null}],
      "articles":  [{"position", "number", "slug", "label", "title",
                     "division": index of its division in the divisions list, or null,
                     "paragraphs": [{"number", "text"}]}],
    }

Database ids are left out: they name rows, not the text.

The consultation's documents (exposé des motifs, étude d'impact…) are frozen with the text:
the publication entry carries `documents_sha256`, the SHA-256 of the list of the documents
as the export shows them, each reduced to `DOCUMENT_FIELDS` (`document_certified`). Entries
written before documents existed have no such key: the verifier then expects none. An erratum
or the hiding of a published version is a `document` entry: its number and version and, for
an erratum, the SHA-256 of the new version (`document_sha256`), for a hiding the public reason.

Once a synthesis is public, each follow-up is a `follow_up` entry at each publication of a
version and at each change: the SHA-256 of the follow-up as the export shows it, history
included (`follow_up_document`).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from consultation.consultations.models import Consultation
from consultation.core.canonical import digest
from consultation.core.db import get_existing
from consultation.core.errors import InvalidState
from consultation.extensions import db
from consultation.ledger import published
from consultation.synthesis import documents
from consultation.synthesis.models import FollowUp


def text_structure(
    text: dict[str, Any], divisions: list[dict[str, Any]], articles: list[dict[str, Any]]
) -> dict[str, Any]:
    """The consulted text as the export lays it out, without database ids."""
    positions = {division["id"]: index for index, division in enumerate(divisions)}
    return {
        "title": text["title"],
        "preamble": text["preamble"],
        "closing": text["closing"],
        "divisions": [
            {
                "position": division["position"],
                "depth": division["depth"],
                "kind": division["kind"],
                "label": division["label"],
                "title": division["title"],
                "intro": division["intro"],
                "parent": positions.get(division["parent_id"]),
            }
            for division in divisions
        ],
        "articles": [
            {
                "position": article["position"],
                "number": article["number"],
                "slug": article["slug"],
                "label": article["label"],
                "title": article["title"],
                "division": positions.get(article["division_id"]),
                "paragraphs": article["paragraphs"],
            }
            for article in articles
        ],
    }


def publication_data(consultation: Consultation) -> dict[str, Any]:
    """The data of the `publication` entry: the consultation as published, once its text is
    frozen (`consultations.services.publish_consultation`)."""
    db.session.flush()
    if consultation.published_at is None:
        raise InvalidState(_("Une consultation non publiée n'a pas d'entrée de publication."))
    record = published.consultation_record(consultation, consultation.published_at)
    version = consultation.current_version
    text = published.text_record(version)
    divisions = published.divisions(version.id)
    articles = list(published.articles(version.id))
    return {
        "title": record["title"],
        "summary": record["summary"],
        "institution": record["institution"],
        "legal_basis": record["legal_basis"],
        "legal_basis_reference": record["legal_basis_reference"],
        "opens_at": consultation.opens_at,
        "closes_at": consultation.closes_at,
        "notice_sha256": digest(published.notice_record(consultation)),
        "text_version": text["version"],
        "text_sha256": text["sha256"],
        "text_structure_sha256": digest(text_structure(text, divisions, articles)),
        "documents_sha256": digest(
            [document_certified(item) for item in published.documents(consultation)]
        ),
    }


DOCUMENT_FIELDS = (
    "number",
    "version",
    "title",
    "kind",
    "articles",
    "media_type",
    "size",
    "sha256",
    "note",
)


def document_certified(document: dict[str, Any]) -> dict[str, Any]:
    """What the record certifies of a document's version as the export shows it."""
    return {key: document.get(key) for key in DOCUMENT_FIELDS}


def document_data(consultation: Consultation, action: str, document_id: int) -> dict[str, Any]:
    """The data of a `document` entry: an erratum (the new version's commitment) or the
    hiding of a version (its public reason)."""
    db.session.flush()
    shown = next(item for item in published.documents(consultation) if item["id"] == document_id)
    data: dict[str, Any] = {
        "action": action,
        "number": shown["number"],
        "version": shown["version"],
    }
    if action == "erratum":
        data["document_sha256"] = digest(document_certified(shown))
    else:
        data["reason"] = shown["hidden_reason"]
    return data


def follow_up_document(document: dict[str, Any]) -> dict[str, Any]:
    """What the record certifies of a follow-up as the export shows it: everything but its
    status's label (a wording of the status)."""
    return {key: value for key, value in document.items() if key != "status_label"}


def follow_up_data(consultation: Consultation, follow_up_id: int) -> dict[str, Any]:
    """The data of a `follow_up` entry: the follow-up, with its public history, as the export
    shows it now (`synthesis.documents.follow_up_document`)."""
    db.session.flush()
    item = get_existing(FollowUp, follow_up_id)
    document = documents.follow_up_document(consultation, item)
    return {"follow_up": follow_up_id, "document_sha256": digest(follow_up_document(document))}
