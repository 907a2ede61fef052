"""The documents' API: list, upload, erratum, hiding and removal, with JSON errors and their
codes, under the same rules and record as the management page."""

from __future__ import annotations

import html
import io
import json
from datetime import timedelta

import sqlalchemy as sa

from consultation.api.openapi import document
from consultation.consultations import documents
from consultation.consultations import services as consultations
from consultation.consultations.limits import DOCUMENT_NOTE_MAX
from consultation.core import storage
from consultation.extensions import db
from consultation.ledger import signing, verify
from consultation.ledger.models import LedgerEntry
from tests.documents import files


def _upload(client, headers, slug, content, name="etude.pdf", **fields):
    data = {"title": "Étude d'impact", "kind": "impact_study", **fields}
    data["file"] = (io.BytesIO(content), name)
    return client.post(
        f"/api/v1/consultations/{slug}/documents",
        data=data,
        headers=headers,
        content_type="multipart/form-data",
    )


def test_upload_list_and_erratum(client, bearer, make_consultation, organiser):
    draft = make_consultation("draft")
    headers = bearer(organiser)
    refused = _upload(client, headers, draft.slug, files.pdf("launch"))
    assert refused.status_code == 422
    assert refused.json["error"]["code"] == "pdf_refused"
    assert "lance un programme" in refused.json["error"]["fields"]["file"]
    assert storage.storage().keys() == []
    created = _upload(client, headers, draft.slug, files.pdf(), articles="1er")
    assert created.status_code == 201, created.json
    document = created.json
    assert document["articles"] == ["1er"] and document["version"] == 1
    listing = client.get(f"/api/v1/consultations/{draft.slug}/documents")
    assert listing.status_code == 404  # a draft's documents: its staff only
    consultations.publish_consultation(organiser, draft, now=draft.opens_at - timedelta(days=1))
    db.session.commit()
    late = _upload(client, headers, draft.slug, files.pdf())
    assert late.status_code == 409
    url = f"/api/v1/consultations/{draft.slug}/documents/{document['id']}/erratum"
    erratum = client.post(
        url,
        data={"note": "Coquille.", "file": (io.BytesIO(files.docx()), "v2.docx")},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert erratum.status_code == 201, erratum.json
    assert (erratum.json["version"], erratum.json["note"]) == (2, "Coquille.")
    listing = client.get(f"/api/v1/consultations/{draft.slug}/documents").json["documents"]
    assert [(d["number"], d["version"]) for d in listing] == [(1, 1), (1, 2)]
    assert listing[0]["sha256"] == document["sha256"]


def _published_with_documents(draft, organiser, count=2):
    added = [
        documents.add_document(
            organiser,
            draft,
            file=io.BytesIO(files.pdf(text=f"document {n}")),
            filename=f"etude-{n}.pdf",
            title=f"Étude {n}",
            kind="impact_study",
        )
        for n in range(count)
    ]
    consultations.publish_consultation(organiser, draft, now=draft.opens_at - timedelta(days=1))
    db.session.commit()
    return added


def _entries(consultation) -> list[dict]:
    return [
        json.loads(leaf)
        for leaf in db.session.scalars(
            sa.select(LedgerEntry.leaf)
            .where(LedgerEntry.consultation_id == consultation.id)
            .order_by(LedgerEntry.leaf_index)
        )
    ]


def test_hiding_through_the_api_is_recorded_as_the_page_records_it(
    client, bearer, login_as, make_consultation, organiser
):
    draft = make_consultation("draft")
    by_page, by_api = _published_with_documents(draft, organiser)
    reason = "Données personnelles publiées par erreur."
    login_as(organiser)
    page = client.post(
        f"/gestion/consultations/{draft.slug}/documents/{by_page.id}/masquer",
        data={f"hide-{by_page.id}-reason": reason},
    )
    assert page.status_code == 302
    url = f"/api/v1/consultations/{draft.slug}/documents/{by_api.id}/hide"
    hidden = client.post(url, json={"reason": reason}, headers=bearer(organiser))
    assert hidden.status_code == 200, hidden.json
    assert hidden.json["id"] == by_api.id
    assert (hidden.json["hidden"], hidden.json["hidden_reason"], hidden.json["url"]) == (
        True,
        reason,
        None,
    )
    assert hidden.json["sha256"] == by_api.sha256  # the fingerprint stays public
    download = client.get(f"/consultations/{draft.slug}/documents/{by_api.id}/{by_api.filename}")
    assert download.status_code == 410
    *_, from_page, from_api = _entries(draft)
    assert from_page["kind"] == from_api["kind"] == "document"
    assert from_page["data"] == {"action": "hide", "number": 1, "version": 1, "reason": reason}
    assert from_api["data"] == {"action": "hide", "number": 2, "version": 1, "reason": reason}
    export = json.loads(
        client.get(f"/api/v1/consultations/{draft.slug}/export.json").get_data(as_text=True)
    )
    assert [d["hidden"] for d in export["documents"]] == [True, True]
    verify.verify_export(export, signing.public_key_bytes())


def test_hiding_checks_rights_and_state_before_the_reason(
    client, bearer, make_consultation, make_user, organiser
):
    draft = make_consultation("draft")
    (document,) = _published_with_documents(draft, organiser, count=1)
    url = f"/api/v1/consultations/{draft.slug}/documents/{document.id}/hide"
    malformed = {"reason": 5}
    assert client.post(url, json=malformed).status_code == 401
    moderator = client.post(url, json=malformed, headers=bearer(make_user("moderator")))
    assert (moderator.status_code, moderator.json["error"]["code"]) == (403, "forbidden")
    missing = client.post(
        f"/api/v1/consultations/{draft.slug}/documents/999999/hide",
        json=malformed,
        headers=bearer(organiser),
    )
    assert (missing.status_code, missing.json["error"]["code"]) == (404, "not_found")
    headers = bearer(organiser)
    wrong = client.post(url, json=malformed, headers=headers)
    assert (wrong.status_code, wrong.json["error"]["fields"]) == (422, {"reason": "Texte attendu."})
    empty = client.post(url, json={"reason": "  "}, headers=headers)
    assert empty.status_code == 422 and empty.json["error"]["code"] == "invalid"
    assert "Le motif est obligatoire" in empty.json["error"]["fields"]["reason"]
    too_long = client.post(url, json={"reason": "x" * (DOCUMENT_NOTE_MAX + 1)}, headers=headers)
    assert too_long.status_code == 422 and "reason" in too_long.json["error"]["fields"]
    db.session.expire_all()
    assert document.hidden_at is None
    assert [e["kind"] for e in _entries(draft)] == ["publication"]
    done = client.post(url, json={"reason": "Décision de justice."}, headers=headers)
    assert done.status_code == 200
    again = client.post(url, json=malformed, headers=headers)
    assert (again.status_code, again.json["error"]["code"]) == (409, "invalid_state")
    assert "déjà masqué" in again.json["error"]["message"]
    still_draft = make_consultation("draft", title="Un autre brouillon")
    draft_document = documents.add_document(
        organiser,
        still_draft,
        file=io.BytesIO(files.pdf()),
        filename="etude.pdf",
        title="Étude",
        kind="impact_study",
    )
    db.session.commit()
    early = client.post(
        f"/api/v1/consultations/{still_draft.slug}/documents/{draft_document.id}/hide",
        json=malformed,
        headers=headers,
    )
    assert (early.status_code, early.json["error"]["code"]) == (409, "invalid_state")
    assert "retirez simplement le document" in early.json["error"]["message"]


def test_removing_a_drafts_document_through_the_api(
    client, bearer, make_consultation, make_user, organiser
):
    draft = make_consultation("draft")
    kept, removed = (
        documents.add_document(
            organiser,
            draft,
            file=io.BytesIO(files.pdf(text=name)),
            filename=f"{name}.pdf",
            title=name,
            kind="annex",
        )
        for name in ("Annexe A", "Annexe B")
    )
    db.session.commit()
    removed_key = removed.file_key
    url = f"/api/v1/consultations/{draft.slug}/documents/{removed.id}"
    assert client.delete(url).status_code == 401
    assert client.delete(url, headers=bearer(make_user("moderator"))).status_code == 403
    assert client.delete(url, headers=bearer(make_user())).status_code == 404  # a draft
    assert sorted(storage.storage().keys()) == sorted([kept.file_key, removed_key])
    answer = client.delete(url, headers=bearer(organiser))
    assert answer.status_code == 200, answer.json
    assert [d["title"] for d in answer.json["documents"]] == ["Annexe A"]
    assert storage.storage().keys() == [kept.file_key]  # the file goes with the removal
    gone = client.delete(url, headers=bearer(organiser))
    assert (gone.status_code, gone.json["error"]["code"]) == (404, "not_found")
    consultations.publish_consultation(organiser, draft, now=draft.opens_at - timedelta(days=1))
    db.session.commit()
    frozen = client.delete(
        f"/api/v1/consultations/{draft.slug}/documents/{kept.id}", headers=bearer(organiser)
    )
    assert (frozen.status_code, frozen.json["error"]["code"]) == (409, "invalid_state")
    assert "publiez un erratum" in frozen.json["error"]["message"]
    listing = client.get(f"/api/v1/consultations/{draft.slug}/documents").json["documents"]
    assert [d["title"] for d in listing] == ["Annexe A"]
    assert storage.storage().keys() == [kept.file_key]


def test_every_kind_the_openapi_document_names_is_accepted(
    client, bearer, make_consultation, organiser
):
    draft = make_consultation("draft")
    schema = document()["components"]["schemas"]["DocumentUpload"]
    kinds = schema["properties"]["kind"]["enum"]
    assert len(kinds) == 5
    for kind in kinds:
        created = _upload(client, bearer(organiser), draft.slug, files.pdf(text=kind), kind=kind)
        assert created.status_code == 201, (kind, created.json)
        assert created.json["kind"] == kind


def test_the_api_guide_lists_the_documents_routes_and_the_bodies_taking_a_file(client):
    page = html.unescape(client.get("/api").get_data(as_text=True))
    for route in (
        "GET /api/v1/consultations/{slug}/documents",
        "POST /api/v1/consultations/{slug}/documents",
        "DELETE /api/v1/consultations/{slug}/documents/{id}",
        "POST /api/v1/consultations/{slug}/documents/{id}/erratum",
        "POST /api/v1/consultations/{slug}/documents/{id}/hide",
        "PATCH /api/v1/consultations/{slug}",
        "POST /api/v1/consultations/{slug}/act",
    ):
        assert f"<code>{route}</code>" in page, route
    assert "signed_on, reference, url, file, acknowledge_warnings" in page
    assert '{"reason": "…"}' in page and "pdf_refused" in page
