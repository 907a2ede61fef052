"""The documents' API: list, upload and erratum, with JSON errors and their codes."""

from __future__ import annotations

import io
from datetime import timedelta

from consultation.consultations import services as consultations
from consultation.core import storage
from consultation.extensions import db
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
