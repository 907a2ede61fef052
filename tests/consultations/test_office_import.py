"""The back-office import form takes the text as a Word or LibreOffice file: the preview shows
the parsed text itself; a PDF or a hostile file is refused next to the field, what was typed
kept, nothing stored."""

from __future__ import annotations

import io

from consultation.consultations.models import Consultation
from tests.consultations.test_views import _form
from tests.texts.office_fixtures import bill_docx, bill_odt, pdf_bytes


def _post(client, data, file: bytes, name: str):
    data = dict(data)
    data["text_file"] = (io.BytesIO(file), name)
    return client.post(
        "/gestion/consultations/nouvelle", data=data, content_type="multipart/form-data"
    )


def test_docx_previewed_as_its_parsed_text_then_saved(client, login_as, organiser, db):
    login_as(organiser)
    preview = _post(client, _form(text="", action="preview"), bill_docx(), "projet.docx")
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert "6 articles, 4 divisions" in page
    assert "TITRE Ier" in page and "Article 23" in page
    assert "1° Redéfinir les conditions" in page  # an alinéa numbered by Word, shown
    assert "Blé tendre | 5 %" in page  # a table row, as an alinéa
    assert "[note 1] Loi n° 2006-11" in page
    assert db.session.scalar(db.select(db.func.count(Consultation.id))) == 0
    saved = _post(client, _form(text=""), bill_odt(), "projet.odt")
    assert saved.status_code == 302
    consultation = db.session.scalar(db.select(Consultation))
    assert [a.number for a in consultation.current_version.articles] == [
        "1er", "2", "5", "6", "23", "24",
    ]  # fmt: skip


def test_pdf_behind_a_docx_name_refused_next_to_the_field(client, login_as, organiser, db):
    login_as(organiser)
    response = _post(client, _form(text="", title="Mon titre tapé"), pdf_bytes(), "projet.docx")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="text_file-error"' in page
    assert (
        "Envoyez le texte au format .docx ou .odt (Word ou LibreOffice) : un PDF ne garde pas "
        "la structure du texte." in page
    )
    assert "Mon titre tapé" in page
    assert db.session.scalar(db.select(db.func.count(Consultation.id))) == 0


def test_empty_file_refused(client, login_as, organiser, db):
    login_as(organiser)
    response = _post(client, _form(text=""), b"", "projet.docx")
    assert response.status_code == 422
    assert "Le fichier est vide." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Consultation.id))) == 0
