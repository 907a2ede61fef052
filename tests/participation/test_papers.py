"""Position papers: one PDF attached to a contribution, checked like the consultation's
documents, indexed for the search, hidden and withdrawn with its contribution, exported as a
link with its SHA-256 and certified by the record; hostile files refused in French on the
field `paper`, leaving nothing stored."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
import sqlalchemy as sa

from consultation.consultations.models import Consultation
from consultation.core import storage
from consultation.core.errors import ValidationFailed
from consultation.extensions import db
from consultation.ledger import signing, verify
from consultation.moderation import services as moderation
from consultation.participation import services as participation
from consultation.participation.models import Contribution, ContributionPaper
from consultation.search import services as search
from tests.documents import files
from tests.participation.paper_files import pdf_with_text

PAPER = pdf_with_text("Position de la federation sur agrivoltaisme")


def _stored() -> list[str]:
    return storage.storage().keys()


def _papers() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(ContributionPaper))


def _submit(user, consultation, content=PAPER, name="position.pdf", **values):
    values = {"kind": "comment", "body": "Notre position, en pièce jointe.", **values}
    item = participation.submit_contribution(
        user,
        consultation,
        paper=io.BytesIO(content) if content is not None else None,
        paper_filename=name if content is not None else None,
        **values,
    )
    db.session.commit()
    return item


def test_a_participant_attaches_a_pdf_read_and_fingerprinted(opened, make_user):
    item = _submit(make_user(), opened)
    paper = item.paper
    assert paper.filename == "position.pdf"
    assert paper.size == len(PAPER)
    assert paper.sha256 == hashlib.sha256(PAPER).hexdigest()
    assert "agrivoltaisme" in paper.text
    assert _stored() == [paper.file_key]


def test_the_receipt_names_the_paper_and_its_fingerprint(opened, make_user, outbox):
    item = _submit(make_user(), opened)
    _to, subject, body = outbox()[-1]
    assert item.tracking_number in subject
    digest = hashlib.sha256(PAPER).hexdigest()
    assert f"Contribution écrite jointe : position.pdf ({item.paper.size_label}), " in body
    assert f"empreinte SHA-256 {digest}" in body
    _submit(make_user(), opened, content=None)
    assert "Contribution écrite jointe" not in outbox()[-1][2]


HOSTILE = [
    pytest.param(files.EXECUTABLE, "position.pdf", "unsupported_file_type", id="exe-named-pdf"),
    pytest.param(files.docx(), "position.pdf", "unsupported_file_type", id="docx-named-pdf"),
    pytest.param(files.pdf("javascript"), "position.pdf", "pdf_refused", id="javascript"),
    pytest.param(files.pdf("launch"), "position.pdf", "pdf_refused", id="launch"),
    pytest.param(files.pdf("embedded"), "position.pdf", "pdf_refused", id="embedded"),
    pytest.param(files.pdf("encrypted"), "position.pdf", "pdf_refused", id="encrypted"),
    pytest.param(b"", "position.pdf", "empty_file", id="empty"),
]


@pytest.mark.parametrize(("content", "name", "code"), HOSTILE)
def test_a_hostile_file_is_refused_on_its_field_leaving_nothing(
    opened, make_user, content, name, code
):
    with pytest.raises(ValidationFailed) as refused:
        _submit(make_user(), opened, content, name)
    db.session.rollback()
    assert refused.value.code == code
    assert set(refused.value.fields) == {"paper"}
    assert _stored() == []
    assert _papers() == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Contribution)) == 0


def test_an_over_size_file_is_refused(app, opened, make_user):
    app.config["POSITION_PAPER_MAX_BYTES"] = len(PAPER) - 1
    with pytest.raises(ValidationFailed) as refused:
        _submit(make_user(), opened)
    db.session.rollback()
    assert refused.value.code == "file_too_large"
    assert _stored() == [] and _papers() == 0


def test_unicode_tricks_in_the_name_are_cleaned(opened, make_user):
    item = _submit(make_user(), opened, name="../\u202eFDP.exe\u200b.pdf")
    name = item.paper.filename
    assert name.endswith(".pdf") and "/" not in name
    assert "\u202e" not in name and "\u200b" not in name


def test_a_paper_is_refused_with_a_refused_contribution_leaving_nothing(closed, make_user):
    with pytest.raises(Exception):  # noqa: B017 - ConsultationNotOpen, before the file is read
        _submit(make_user(), closed)
    db.session.rollback()
    assert _stored() == [] and _papers() == 0


def _url(item) -> str:
    slug = db.session.get(Consultation, item.consultation_id).slug
    return f"/consultations/{slug}/contributions/{item.id}/contribution-ecrite/position.pdf"


def test_served_safely_then_gone_once_hidden_or_withdrawn(client, opened, make_user):
    author = make_user()
    item = _submit(author, opened)
    page = client.get(f"/consultations/{opened.slug}/contributions/{item.id}")
    assert "Contribution écrite jointe (PDF" in page.get_data(as_text=True)
    assert item.paper.sha256 in page.get_data(as_text=True)
    response = client.get(_url(item))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response.headers["Content-Disposition"].startswith("inline;")
    assert response.get_data() == PAPER
    response.close()
    moderation.hide_contribution(make_user("moderator"), item, "insult")
    db.session.commit()
    assert client.get(_url(item)).status_code == 410
    assert item.paper.sha256 not in client.get(
        f"/consultations/{opened.slug}/contributions/{item.id}"
    ).get_data(as_text=True)
    other = _submit(author, opened)
    participation.withdraw_contribution(author, other)
    db.session.commit()
    assert client.get(_url(other)).status_code == 410
    plain = participation.submit_contribution(author, opened, kind="comment", body="Sans PDF.")
    db.session.commit()
    assert client.get(_url(plain)).status_code == 404


def test_search_finds_a_word_of_the_pdf_until_hidden(opened, make_user):
    item = _submit(make_user(), opened)
    found = [r.contribution_id for r in search.search("agrivoltaisme").results]
    assert found == [item.id]
    moderation.hide_contribution(make_user("moderator"), item, "insult")
    db.session.commit()
    assert search.search("agrivoltaisme").results == []


def _export(client, consultation) -> dict:
    response = client.get(f"/api/v1/consultations/{consultation.slug}/export.json")
    assert response.status_code == 200
    return json.loads(response.get_data(as_text=True))


def test_exported_as_a_link_with_its_hash_and_verified(client, opened, make_user):
    author = make_user()
    shown = _submit(author, opened)
    hidden = _submit(author, opened, pdf_with_text("Autre texte"))
    moderation.hide_contribution(make_user("moderator"), hidden, "insult")
    db.session.commit()
    export = _export(client, opened)
    items = {item["tracking_number"]: item for item in export["contributions"]}
    paper = items[shown.tracking_number]["paper"]
    assert paper["name"] == "position.pdf"
    assert paper["size"] == len(PAPER)
    assert paper["sha256"] == hashlib.sha256(PAPER).hexdigest()
    assert paper["url"].endswith(f"/contributions/{shown.id}/contribution-ecrite/position.pdf")
    assert items[hidden.tracking_number]["paper"] == {
        "name": None,
        "size": None,
        "sha256": hidden.paper.sha256,
        "url": None,
    }
    assert verify.verify_export(export, signing.public_key_bytes()).contributions == 2
    forged = json.loads(json.dumps(export))
    for item in forged["contributions"]:
        if item["tracking_number"] == shown.tracking_number:
            item["paper"]["sha256"] = "0" * 64
    with pytest.raises(verify.VerificationFailed, match="contribution écrite"):
        verify.verify_export(forged, signing.public_key_bytes())
    dropped = json.loads(json.dumps(export))
    for item in dropped["contributions"]:
        if item["tracking_number"] == hidden.tracking_number:
            item["paper"] = None
    with pytest.raises(verify.VerificationFailed, match="fichier supprimé"):
        verify.verify_export(dropped, signing.public_key_bytes())


def test_the_form_takes_the_file_and_refuses_next_to_the_field(client, opened, make_user, login_as):
    login_as(make_user())
    article = opened.current_version.articles[0]
    url = f"/consultations/{opened.slug}/articles/{article.slug}/contributions"
    page = client.get(f"/consultations/{opened.slug}/articles/{article.slug}")
    text = page.get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in text
    assert "Organisations : joignez votre contribution écrite (PDF)" in text
    response = client.post(
        url,
        data={
            "kind": "comment",
            "body": "Mon texte tapé",
            "paper": (io.BytesIO(files.pdf("javascript")), "position.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "JavaScript" in text and "Mon texte tapé" in text
    assert _stored() == [] and _papers() == 0
    response = client.post(
        url,
        data={"kind": "comment", "body": "Avec PDF", "paper": (io.BytesIO(PAPER), "p.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert _papers() == 1


def test_the_api_takes_multipart_and_keeps_json(client, opened, make_user, bearer):
    headers = bearer(make_user())
    url = f"/api/v1/consultations/{opened.slug}/contributions"
    refused = client.post(
        url,
        headers=headers,
        data={"kind": "comment", "body": "Texte", "paper": (io.BytesIO(b"MZ" * 50), "a.pdf")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422
    assert refused.get_json()["error"]["code"] == "unsupported_file_type"
    assert _stored() == [] and _papers() == 0
    article = opened.current_version.articles[0]
    created = client.post(
        url,
        headers=headers,
        data={
            "kind": "comment",
            "body": "Texte",
            "article_id": str(article.id),
            "paper": (io.BytesIO(PAPER), "position.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert created.status_code == 201, created.get_json()
    assert _papers() == 1
    plain = client.post(url, headers=headers, json={"kind": "comment", "body": "JSON"})
    assert plain.status_code == 201


def test_an_anonymous_upload_is_refused_before_the_body(client, opened):
    url = f"/api/v1/consultations/{opened.slug}/contributions"
    response = client.post(
        url,
        data={"kind": "comment", "body": "x", "paper": (io.BytesIO(PAPER), "p.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 401
    assert _stored() == []
