"""The adopted text is taken as the draft is: pasted, or as a file (.docx, .odt, .md, .txt)
read by texts.office.text_from_file, in the back office and through the API; a PDF or a
hostile file refused in French next to the field, what was typed kept, nothing stored; the
API checks the right and the state before it reads the file."""

from __future__ import annotations

import io

import pytest

from consultation.core.upload_limits import request_limit
from consultation.synthesis.models import AdoptedAct
from consultation.texts.importer import heading_kind
from tests.synthesis.test_adoption import (
    ADOPTED_TEXT,
    _close,
    _publish_synthesis,
    _record,
    _signed_yesterday,
)
from tests.texts.office_fixtures import pdf_bytes

STATUSES = {"1": "unchanged", "2": "modified", "3": "removed", "4": "added"}


def adopted_docx(source: str = ADOPTED_TEXT) -> bytes:
    """`source` written in Word: divisions and their titles in « Heading 1 », articles in
    « Heading 2 », each alinéa a paragraph."""
    import docx

    document = docx.Document()
    title_next = False
    for line in source.split("\n"):
        if not line.strip():
            continue
        kind = heading_kind(line)
        if title_next or kind == "division_untitled":
            document.add_paragraph(line, style="Heading 1")
            title_next = not title_next
        elif kind == "article_untitled":
            document.add_paragraph(line, style="Heading 2")
        else:
            document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def closed(db, make_consultation):
    """A consultation on SAMPLE_TEXT, closed."""
    consultation = make_consultation("open")
    _close(db, consultation)
    return consultation


@pytest.fixture
def published(db, closed):
    _publish_synthesis(db, closed)
    return closed


def _post(client, consultation, file: bytes, name: str, **data):
    data["text_file"] = (io.BytesIO(file), name)
    return client.post(
        f"/gestion/consultations/{consultation.slug}/texte-adopte",
        data=data,
        content_type="multipart/form-data",
    )


def test_the_docx_adopted_text_is_previewed_then_saved_and_compared(
    client, db, login_as, published, organiser
):
    _record(organiser, published)
    db.session.commit()
    login_as(organiser)
    preview = _post(client, published, adopted_docx(), "texte-adopte.docx", action="preview")
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert "Aperçu de la structure" in page and "3 articles, 1 divisions" in page
    assert "résidant en France" in page  # the text read is put in the text field
    assert db.session.get(AdoptedAct, published.id).text_loaded_at is None

    saved = _post(client, published, adopted_docx(), "texte-adopte.docx", action="save")
    assert saved.status_code == 302
    act = db.session.get(AdoptedAct, published.id)
    assert act.text_loaded_at is not None
    assert "Article 4" in act.text_source


def test_a_pdf_named_docx_is_refused_next_to_the_field_and_the_typed_text_kept(
    client, db, login_as, published, organiser
):
    _record(organiser, published)
    db.session.commit()
    login_as(organiser)
    typed = "Article 1er\nMon texte tapé à la main."
    response = _post(client, published, pdf_bytes(), "texte.docx", text=typed, action="save")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="text_file-error"' in page
    assert (
        "Envoyez le texte au format .docx ou .odt (Word ou LibreOffice) : un PDF ne garde pas "
        "la structure du texte." in page
    )
    assert "Mon texte tapé à la main." in page
    empty = _post(client, published, b"", "texte.odt", text=typed, action="save")
    assert empty.status_code == 422 and "Le fichier est vide." in empty.get_data(as_text=True)
    assert db.session.get(AdoptedAct, published.id).text_loaded_at is None


def test_the_adopted_texts_routes_take_a_draft_sized_file(app):
    limit = app.config["DRAFT_UPLOAD_MAX_BYTES"] + app.config["MAX_CONTENT_LENGTH"]
    assert request_limit(app, "synthesis.adopted_text") == limit
    assert request_limit(app, "api.record_act") == limit
    assert request_limit(app, "synthesis.act") == app.config["MAX_CONTENT_LENGTH"]


def test_the_form_names_the_formats_it_reads(client, db, login_as, published, organiser):
    login_as(organiser)
    page = client.get(f"/gestion/consultations/{published.slug}/texte-adopte")
    assert "Word (.docx), LibreOffice (.odt), .md ou .txt" in page.get_data(as_text=True)


def _api(client, consultation, file: bytes, name: str, headers=None, **fields):
    data = {"signed_on": _signed_yesterday(), "reference": "Décret n° 2026-5", **fields}
    data["file"] = (io.BytesIO(file), name)
    return client.post(
        f"/api/v1/consultations/{consultation.slug}/act",
        data=data,
        content_type="multipart/form-data",
        headers=headers or {},
    )


def test_the_api_records_the_act_with_its_text_sent_as_a_file(
    client, db, published, organiser, bearer
):
    response = _api(client, published, adopted_docx(), "texte.docx", bearer(organiser))
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert data["act"]["reference"] == "Décret n° 2026-5" and data["act"]["text_sha256"]
    assert {a["key"]: a["status"] for a in data["articles"]} == STATUSES


def test_the_api_refuses_a_pdf_with_its_code_and_saves_nothing(
    client, db, published, organiser, bearer
):
    response = _api(client, published, pdf_bytes(), "texte.docx", bearer(organiser))
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "pdf_refused"
    assert error["fields"]["file"].startswith("Envoyez le texte au format .docx ou .odt")
    wrong = _api(client, published, adopted_docx(), "t.docx", bearer(organiser), url="ftp://x")
    assert wrong.status_code == 422 and set(wrong.get_json()["error"]["fields"]) == {"url"}
    db.session.expire_all()
    assert db.session.get(AdoptedAct, published.id) is None


def test_the_api_checks_the_right_and_the_state_before_the_file(
    client, db, closed, organiser, make_user, make_institution, bearer
):
    pdf = pdf_bytes()
    assert _api(client, closed, pdf, "x.docx").status_code == 401
    other = bearer(make_user("organiser", institution=make_institution()))
    assert _api(client, closed, pdf, "x.docx", other).status_code == 403
    early = _api(client, closed, pdf, "x.docx", bearer(organiser))
    assert early.status_code == 409
    assert early.get_json()["error"]["code"] == "synthesis_not_published"
