"""The consultation's documents: added before publication, frozen with the text, corrected by
errata, hidden; served safely; refused when hostile, leaving nothing behind."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from datetime import timedelta
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from consultation.consultations import documents
from consultation.consultations import services as consultations
from consultation.consultations.document_models import ConsultationDocument
from consultation.core import storage
from consultation.core.errors import InvalidState, NotAllowed, ValidationFailed
from consultation.extensions import db
from consultation.ledger import signing, verify
from consultation.ledger.models import LedgerEntry
from tests.documents import files


def _stored() -> list[str]:
    return storage.storage().keys()


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(ConsultationDocument))


def _add(actor, consultation, content=None, name="etude.pdf", **values):
    values = {"title": "Étude d'impact", "kind": "impact_study", **values}
    document = documents.add_document(
        actor,
        consultation,
        file=io.BytesIO(files.pdf() if content is None else content),
        filename=name,
        **values,
    )
    db.session.commit()
    return document


@pytest.fixture
def draft(make_consultation):
    return make_consultation("draft")


def _publish(organiser, consultation):
    consultations.publish_consultation(
        organiser, consultation, now=consultation.opens_at - timedelta(days=1)
    )
    db.session.commit()


def test_an_organiser_adds_a_document_with_its_fingerprint(draft, organiser):
    content = files.pdf()
    document = _add(organiser, draft, content, articles="1er, 2")
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.size == len(content)
    assert document.media_type == "application/pdf"
    assert document.articles == ["1er", "2"]
    assert document.version == 1 and document.number == 1
    assert _stored() == [document.file_key]
    with documents.open_file(document) as stored:
        assert stored.read() == content


def test_the_type_comes_from_the_content_not_the_name(draft, organiser):
    document = _add(organiser, draft, files.docx(), name="rapport.pdf")
    assert document.media_type.endswith("wordprocessingml.document")
    assert document.filename == "rapport.docx"
    odt = _add(organiser, draft, files.odt(), name="avis.odt", kind="opinion")
    assert odt.media_type == "application/vnd.oasis.opendocument.text"


HOSTILE = {
    "executable behind a pdf name": (
        files.EXECUTABLE,
        "facture.pdf",
        "n'est pas au format attendu",
    ),
    "pdf with javascript": (files.pdf("javascript"), "a.pdf", "contient du JavaScript"),
    "pdf with a launch action": (files.pdf("launch"), "a.pdf", "lance un programme"),
    "pdf with embedded files": (files.pdf("embedded"), "a.pdf", "fichiers joints"),
    "encrypted pdf": (files.pdf("encrypted"), "a.pdf", "chiffré"),
    "zip bomb": (files.zip_bomb(), "a.docx", ""),
    "empty": (b"", "a.pdf", "Le fichier est vide."),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_file_is_refused_in_french_and_leaves_nothing(draft, organiser, case):
    content, name, message = HOSTILE[case]
    with pytest.raises(ValidationFailed) as refused:
        _add(organiser, draft, content, name=name)
    db.session.rollback()
    assert message in refused.value.fields["file"]
    assert _stored() == [] and _count() == 0


def test_an_oversize_file_is_refused_with_the_limit(app, draft, organiser):
    app.config["DOCUMENT_MAX_BYTES"] = 2048
    with pytest.raises(ValidationFailed) as refused:
        _add(organiser, draft, files.pdf() + b"%" * 4096)
    assert "taille maximale de 2 ko" in refused.value.fields["file"]
    assert _stored() == [] and _count() == 0


def test_unicode_tricks_in_the_name_are_removed(draft, organiser):
    document = _add(organiser, draft, name="rapport\u202efdp.exe")
    assert "\u202e" not in document.filename
    assert document.filename == "rapportfdp.pdf"


def test_a_failed_transaction_removes_the_stored_file(draft, organiser):
    documents.add_document(
        organiser, draft, file=io.BytesIO(files.pdf()), filename="a.pdf", title="T", kind="annex"
    )
    assert len(_stored()) == 1
    db.session.rollback()
    assert _stored() == [] and _count() == 0


def test_bad_fields_are_named_and_no_file_is_stored(draft, organiser):
    with pytest.raises(ValidationFailed) as refused:
        _add(organiser, draft, title="", kind="poem", articles="99")
    assert set(refused.value.fields) == {"title", "kind", "articles"}
    assert _stored() == []


def test_only_organisers_of_the_institution_add(draft, make_user):
    with pytest.raises(NotAllowed):
        _add(make_user("moderator"), draft)
    assert _stored() == []


def test_frozen_at_publication_then_only_an_erratum(draft, organiser):
    document = _add(organiser, draft)
    removable = _add(organiser, draft, title="Annexe", kind="annex")
    documents.remove_document(organiser, removable)
    db.session.commit()
    assert _stored() == [document.file_key]
    _publish(organiser, draft)
    with pytest.raises(InvalidState) as refused:
        documents.remove_document(organiser, document)
    assert "ne peut plus être retiré" in refused.value.message
    db.session.rollback()
    with pytest.raises(InvalidState):
        _add(organiser, draft)
    db.session.rollback()
    with pytest.raises(ValidationFailed) as refused:
        documents.publish_erratum(
            organiser, document, file=io.BytesIO(files.pdf()), filename="b.pdf", note=""
        )
    assert "note" in refused.value.fields
    db.session.rollback()
    erratum = documents.publish_erratum(
        organiser,
        document,
        file=io.BytesIO(files.docx()),
        filename="etude-v2.docx",
        note="Tableau 3 corrigé.",
    )
    db.session.commit()
    assert (erratum.number, erratum.version, erratum.replaces_id) == (1, 2, document.id)
    assert len(_stored()) == 2  # the first version stays
    kinds = [
        json.loads(leaf)
        for leaf in db.session.scalars(
            sa.select(LedgerEntry.leaf)
            .where(LedgerEntry.consultation_id == draft.id)
            .order_by(LedgerEntry.leaf_index)
        )
    ]
    assert kinds[0]["data"]["documents_sha256"]
    assert kinds[-1]["kind"] == "document"
    assert kinds[-1]["data"]["action"] == "erratum"


def test_pages_export_and_verification(client, draft, organiser, login_as):
    document = _add(organiser, draft, articles="2")
    _publish(organiser, draft)
    page = client.get(f"/consultations/{draft.slug}").get_data(as_text=True)
    assert "Étude d&#39;impact" in page and document.sha256 in page
    article = client.get(f"/consultations/{draft.slug}/articles/2").get_data(as_text=True)
    assert "article 2" in article and document.sha256[:12] in article
    erratum = documents.publish_erratum(
        organiser,
        document,
        file=io.BytesIO(files.pdf(text="v2")),
        filename="e.pdf",
        note="Coquille.",
    )
    db.session.commit()
    page = client.get(f"/consultations/{draft.slug}").get_data(as_text=True)
    assert "Version 2 du" in page and "Coquille." in page and "toujours disponible" in page
    documents.hide_document(organiser, document, "Données personnelles publiées par erreur.")
    db.session.commit()
    response = client.get(f"/api/v1/consultations/{draft.slug}/export.json")
    export = json.loads(response.get_data(as_text=True))
    listed = export["documents"]
    assert [(d["number"], d["version"], d["hidden"]) for d in listed] == [
        (1, 1, True),
        (1, 2, False),
    ]
    assert listed[1]["sha256"] == erratum.sha256 and listed[1]["note"] == "Coquille."
    assert listed[0]["url"] is None and listed[1]["url"].endswith("/e.pdf")
    key = signing.public_key_bytes()
    verify.verify_export(export, key)
    archive = zipfile.ZipFile(
        io.BytesIO(client.get(f"/api/v1/consultations/{draft.slug}/export.zip").get_data())
    )
    rows = list(csv.DictReader(io.StringIO(archive.read("documents.csv").decode())))
    assert [(r["version"], r["sha256"], r["note"]) for r in rows] == [
        ("1", document.sha256, ""),
        ("2", erratum.sha256, "Coquille."),
    ]
    forged = json.loads(json.dumps(export))
    forged["documents"][0]["size"] += 1
    with pytest.raises(verify.VerificationFailed, match="inscrits à la publication"):
        verify.verify_export(forged, key)
    forged = json.loads(json.dumps(export))
    forged["documents"][1]["sha256"] = "0" * 64
    with pytest.raises(verify.VerificationFailed, match="erratum inscrit"):
        verify.verify_export(forged, key)
    old = json.loads(json.dumps(export))
    del old["documents"]
    with pytest.raises(verify.VerificationFailed, match="documents"):
        verify.verify_export(old, key)


def test_an_export_without_documents_part_from_before_still_verifies(client, opened):
    export = json.loads(
        client.get(f"/api/v1/consultations/{opened.slug}/export.json").get_data(as_text=True)
    )
    assert export["documents"] == []
    del export["documents"]
    publication = json.loads(export["records"][0]["leaf"])
    assert "documents_sha256" in publication["data"]
    # An entry written before documents existed has no key: rebuild neither; the part's
    # absence alone is accepted only when the record names no document.
    with pytest.raises(verify.VerificationFailed):
        verify.verify_export(export, signing.public_key_bytes())


def test_served_with_safe_headers(client, draft, organiser, login_as):
    pdf = _add(organiser, draft)
    word = _add(organiser, draft, files.docx(), name="Avis.docx", kind="opinion", title="Avis")
    url = f"/consultations/{draft.slug}/documents/{pdf.id}/{pdf.filename}"
    assert client.get(url).status_code == 404  # a draft's document: staff only
    login_as(organiser)
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response.headers["Content-Disposition"].startswith("inline;")
    assert response.get_data() == files.pdf()
    response.close()  # as the server does: the stored file is closed
    response = client.get(f"/consultations/{draft.slug}/documents/{word.id}/{word.filename}")
    response.close()
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "wordprocessingml" in response.headers["Content-Type"]
    client.get("/deconnexion")


def test_a_drafts_document_is_kept_by_no_cache_and_a_published_one_publicly(
    client, draft, organiser, login_as
):
    pdf = _add(organiser, draft, name="étude d'impact.pdf")
    url = f"/consultations/{draft.slug}/documents/{pdf.id}/{quote(pdf.filename)}"
    login_as(organiser)
    response = client.get(url)
    response.close()
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Content-Length"] == str(len(files.pdf()))
    assert response.headers["Content-Disposition"] == (
        "inline; filename=\"_tude d'impact.pdf\"; filename*=UTF-8''%C3%A9tude%20d%27impact.pdf"
    )
    client.get("/deconnexion")
    _publish(organiser, draft)
    response = client.get(url)  # the public, once published
    response.close()
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=86400"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_management_page_uploads_and_refuses_next_to_the_field(
    client, draft, organiser, login_as
):
    login_as(organiser)
    url = f"/gestion/consultations/{draft.slug}/documents"
    response = client.post(
        url,
        data={
            "file": (io.BytesIO(files.pdf("javascript")), "etude.pdf"),
            "title": "Mon étude tapée",
            "kind": "impact_study",
            "articles": "",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "contient du JavaScript" in page and 'id="file-error"' in page
    assert "Mon étude tapée" in page
    assert _stored() == []
    response = client.post(
        url,
        data={
            "file": (io.BytesIO(files.pdf()), "etude.pdf"),
            "title": "Mon étude",
            "kind": "impact_study",
            "articles": "1er",
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Document ajouté." in response.get_data(as_text=True)
    assert "Mon étude" in response.get_data(as_text=True)
    document = db.session.scalar(sa.select(ConsultationDocument))
    _publish(organiser, draft)
    response = client.post(f"{url}/{document.id}/retirer", follow_redirects=True)
    assert "ne peut plus être retiré" in response.get_data(as_text=True)
    assert _count() == 1
