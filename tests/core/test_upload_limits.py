"""A route that takes a file accepts a request as large as the file's limit plus the global
one (`core.upload_limits`): a 5 MB draft reaches the import form, a file over its own limit
is refused in French next to the field, a body over the route's limit is still a 413 whose
page and JSON say the maximum; every other route keeps the global 4 MB."""

from __future__ import annotations

import io
import os
import zipfile

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from consultation.consultations.models import Consultation
from consultation.core.upload_limits import request_limit
from tests.consultations.test_views import _form
from tests.texts.office_fixtures import bill_docx

MB = 1024 * 1024


def padded_docx(size: int) -> bytes:
    """The bill as a real .docx, padded to about `size` bytes with a stored entry of random
    bytes (incompressible, so no zip-bomb ratio), which no relationship points to."""
    buffer = io.BytesIO(bill_docx())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr(
            zipfile.ZipInfo("word/media/padding.bin"),
            os.urandom(size - len(buffer.getvalue())),
            compress_type=zipfile.ZIP_STORED,
        )
    return buffer.getvalue()


def send(client, method: str, url: str, data: dict, **options):
    """A multipart request built in memory (the test client would spool a large body to a
    temporary file it never closes)."""
    fields = {
        name: FileStorage(*value) if isinstance(value, tuple) else value
        for name, value in data.items()
    }
    boundary, body = encode_multipart(fields)
    return client.open(
        url,
        method=method,
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        **options,
    )


def _import(client, file: bytes, name: str = "projet.docx", **fields):
    data = _form(text="", action="preview", **fields)
    data["text_file"] = (io.BytesIO(file), name)
    return send(client, "POST", "/gestion/consultations/nouvelle", data)


def test_a_route_taking_a_file_accepts_its_limit_plus_the_global_one(app):
    assert request_limit(app, "manage.new_consultation") == 24 * MB
    assert request_limit(app, "api.patch_consultation") == 24 * MB
    assert request_limit(app, "documents.manage") == 24 * MB
    assert request_limit(app, "api.add_document") == 24 * MB
    # A position paper (10 MB) with a contribution, a comment on the whole text or an edit.
    for endpoint in (
        "participation.contribute",
        "participation.comment",
        "participation.edit_contribution",
        "api.submit_contribution",
        "api.edit_contribution",
    ):
        assert request_limit(app, endpoint) == 14 * MB, endpoint
    # A route taking no file keeps the global limit: a reply.
    assert request_limit(app, "participation.reply") == 4 * MB
    assert request_limit(app, None) == 4 * MB


def test_a_5_mb_docx_reaches_the_import_form_and_is_previewed(client, login_as, organiser, db):
    login_as(organiser)
    file = padded_docx(5 * MB)
    assert len(file) > app_limit(client)
    response = _import(client, file)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "6 articles, 4 divisions" in page and "Article 23" in page
    assert db.session.scalar(db.select(db.func.count(Consultation.id))) == 0


def app_limit(client) -> int:
    return int(client.application.config["MAX_CONTENT_LENGTH"])


def test_a_file_over_its_limit_within_the_request_is_refused_next_to_the_field(
    client, login_as, organiser, db
):
    login_as(organiser)
    response = _import(client, b"PK" + b"x" * (21 * MB), title="Mon titre tapé")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="text_file-error"' in page
    assert "Le fichier dépasse la taille maximale de 20 Mo." in page
    assert "Mon titre tapé" in page


def test_a_body_over_the_routes_limit_is_a_413_saying_the_maximum(client, login_as, organiser, db):
    login_as(organiser)
    response = _import(client, b"x" * (25 * MB))
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Envoi trop volumineux" in page
    assert "Un envoi ne peut dépasser 24 Mo" in page
    assert "Un fichier déposé ici ne peut dépasser 20 Mo." in page


def test_other_routes_keep_the_global_limit(
    client, login_as, make_user, make_consultation, make_contribution, db
):
    opened = make_consultation("open")
    replied = make_contribution(opened)
    login_as(make_user())
    response = send(
        client,
        "POST",
        f"/consultations/{opened.slug}/contributions/{replied.id}/reponses",
        {"body": "Ma réponse.", "file": (io.BytesIO(b"x" * (5 * MB)), "avis.docx")},
    )
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Un envoi ne peut dépasser 4 Mo" in page and "Un fichier déposé ici" not in page


def test_the_api_takes_a_5_mb_draft_and_says_the_maximum_in_its_413(
    client, bearer, organiser, make_consultation, db
):
    draft = make_consultation("draft", institution=organiser.institution)

    def patch(file: bytes):
        return send(
            client,
            "PATCH",
            f"/api/v1/consultations/{draft.slug}",
            {"file": (io.BytesIO(file), "projet.docx")},
            headers=bearer(organiser),
        )

    assert patch(padded_docx(5 * MB)).status_code == 200
    refused = patch(b"x" * (25 * MB))
    assert refused.status_code == 413
    error = refused.get_json()["error"]
    assert error["code"] == "payload_too_large"
    assert error["message"] == (
        "La requête dépasse la taille maximale de 24 Mo (le fichier : 20 Mo au plus)."
    )
    other = client.post(
        "/api/v1/consultations",
        data=b'{"title": "' + b"x" * (5 * MB) + b'"}',
        content_type="application/json",
        headers=bearer(organiser),
    )
    assert other.status_code == 413
    assert other.get_json()["error"]["message"] == (
        "La requête dépasse la taille maximale de 4 Mo."
    )


def test_a_5_mb_document_reaches_the_documents_api(
    client, bearer, organiser, make_consultation, db
):
    draft = make_consultation("draft", institution=organiser.institution)
    response = send(
        client,
        "POST",
        f"/api/v1/consultations/{draft.slug}/documents",
        {
            "title": "Étude d'impact",
            "kind": "impact_study",
            "file": (io.BytesIO(b"x" * (5 * MB)), "etude.pdf"),
        },
        headers=bearer(organiser),
    )
    assert response.status_code == 422  # read, and refused for what it is, not for its size
    assert response.get_json()["error"]["code"] == "unsupported_file_type"
