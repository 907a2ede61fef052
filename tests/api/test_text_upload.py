"""The API replaces a draft's text with a file sent as multipart (PATCH, field `file`): same
reading as the website, a JSON error code on refusal, rights and state before the body."""

from __future__ import annotations

import io

from tests.texts.office_fixtures import bill_docx, pdf_bytes


def _patch(client, slug, file: bytes, name: str, headers=None):
    return client.patch(
        f"/api/v1/consultations/{slug}",
        data={"file": (io.BytesIO(file), name)},
        content_type="multipart/form-data",
        headers=headers or {},
    )


def test_docx_replaces_the_draft_text(client, bearer, organiser, make_consultation, db):
    consultation = make_consultation("draft", institution=organiser.institution)
    response = _patch(client, consultation.slug, bill_docx(), "projet.docx", bearer(organiser))
    assert response.status_code == 200, response.get_json()
    db.session.refresh(consultation)
    assert [a.number for a in consultation.current_version.articles] == [
        "1er", "2", "5", "6", "23", "24",
    ]  # fmt: skip


def test_pdf_refused_with_its_code(client, bearer, organiser, make_consultation):
    consultation = make_consultation("draft", institution=organiser.institution)
    response = _patch(client, consultation.slug, pdf_bytes(), "projet.docx", bearer(organiser))
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "pdf_refused"
    assert error["fields"]["file"].startswith("Envoyez le texte au format .docx ou .odt")


def test_rights_and_state_answer_before_the_file(
    client, bearer, organiser, make_user, make_consultation
):
    draft = make_consultation("draft", institution=organiser.institution)
    assert _patch(client, draft.slug, pdf_bytes(), "x.docx").status_code == 401
    stranger = make_user()  # a participant
    assert _patch(client, draft.slug, pdf_bytes(), "x.docx", bearer(stranger)).status_code in (
        403,
        404,
    )
    published = make_consultation("open", institution=organiser.institution)
    response = _patch(client, published.slug, pdf_bytes(), "x.docx", bearer(organiser))
    assert response.status_code == 409
