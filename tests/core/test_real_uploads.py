"""Real files saved by LibreOffice through the shared upload checks (core/pdfcheck.py,
core/uploads.py). PDFs: LibreOffice's export, its PDF/A-2b export and an export whose
permissions are restricted (no copying, no changes: an owner password only, the file opens
without one) are accepted and their text read, as the consultation's documents and as
position papers; a PDF that asks for a password to open is still refused, and so is active
content inside a PDF restricted that way. An .odt saved with a password (its entries
encrypted as its manifest declares, the ZIP flags unset) is refused as protected, as a
document too. Fixtures in tests/texts/libreoffice (README there)."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from consultation.consultations import documents
from consultation.core import pdfcheck, storage
from consultation.core.pdfcheck import PdfRefused
from consultation.core.uploads import UploadRefused
from consultation.extensions import db
from consultation.participation import services as participation
from consultation.search import services as search

SAVED = Path(__file__).parent.parent / "texts" / "libreoffice"
EXPORTS = [
    "code_civil_servitudes.pdf",
    "code_civil_servitudes_pdfa.pdf",
    "code_civil_servitudes_sans_copie.pdf",
]


def _real(name: str) -> bytes:
    return (SAVED / name).read_bytes()


def test_the_fixtures_are_what_they_claim():
    assert (
        b"pdfaid:part>2<"
        in PdfReader(io.BytesIO(_real(EXPORTS[1])))
        .trailer["/Root"]["/Metadata"]
        .get_object()
        .get_data()
    )
    restricted = PdfReader(io.BytesIO(_real(EXPORTS[2])))
    assert restricted.is_encrypted
    assert restricted.decrypt("") == 1  # the user password is empty: it opens without one
    assert PdfReader(io.BytesIO(_real(EXPORTS[0]))).metadata["/Producer"].startswith("LibreOffice")


@pytest.mark.parametrize("name", EXPORTS)
def test_a_libreoffice_export_passes_the_check_and_its_text_is_read(app, name):
    file = io.BytesIO(_real(name))
    pdfcheck.check_pdf(file)
    text = pdfcheck.pdf_text(file, 200)
    assert text.startswith("Code civil\nLivre II : Des biens")
    assert "Section 5 : Du droit de passage\nArticle 682\n" in text
    assert text.endswith("le moins dommageable à celui sur le fonds duquel il est \naccordé.")


def _pdf(*, user_password: str, javascript: bool = False, algorithm: str = "RC4-128") -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(_real(EXPORTS[0])))
    if javascript:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('x');"),
            }
        )
    writer.encrypt(user_password, owner_password="proprietaire", algorithm=algorithm)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_restricted_permissions_in_aes_are_accepted_too(app):
    file = io.BytesIO(_pdf(user_password="", algorithm="AES-256"))
    pdfcheck.check_pdf(file)
    assert "Article 671" in pdfcheck.pdf_text(file, 200)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_pdf(user_password="secret"), "chiffré ou protégé par un mot de passe"),
        (_pdf(user_password="secret", algorithm="AES-256"), "chiffré ou protégé"),
        (_pdf(user_password="", javascript=True), "contient du JavaScript"),
    ],
    ids=["password-rc4", "password-aes", "javascript-behind-restrictions"],
)
def test_a_password_to_open_or_a_script_behind_restrictions_is_refused(app, data, message):
    with pytest.raises(PdfRefused) as refused:
        pdfcheck.check_pdf(io.BytesIO(data))
    assert message in refused.value.fields["file"]


def test_a_hybrid_pdf_carrying_its_opendocument_source_is_refused(
    app, make_consultation, organiser
):
    """LibreOffice's hybrid export puts the .odt inside the PDF (the trailer's
    /AdditionalStreams); LibreOffice then opens the file as that .odt, macros and all. It is
    refused as a PDF with attached files, as a document and as a position paper alike."""
    content = _real("code_civil_servitudes_hybride.pdf")
    assert b"/AdditionalStreams" in content
    with pytest.raises(PdfRefused) as refused:
        pdfcheck.check_pdf(io.BytesIO(content))
    assert "contient des fichiers joints" in refused.value.fields["file"]
    with pytest.raises(PdfRefused):
        documents.add_document(
            organiser,
            make_consultation("draft"),
            file=io.BytesIO(content),
            filename="etude.pdf",
            title="Étude d'impact",
            kind="impact_study",
        )


@pytest.mark.parametrize("name", EXPORTS)
def test_a_libreoffice_export_is_added_as_a_document(make_consultation, organiser, name):
    content = _real(name)
    document = documents.add_document(
        organiser,
        make_consultation("draft"),
        file=io.BytesIO(content),
        filename=name,
        title="Étude d'impact",
        kind="impact_study",
    )
    db.session.commit()
    assert document.media_type == "application/pdf"
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    with documents.open_file(document) as stored:
        assert stored.read() == content


def test_an_encrypted_odt_is_refused_as_a_document(make_consultation, organiser):
    with pytest.raises(UploadRefused) as refused:
        documents.add_document(
            organiser,
            make_consultation("draft"),
            file=io.BytesIO(_real("senat_pjl09-200_mot_de_passe.odt")),
            filename="avis.odt",
            title="Avis",
            kind="opinion",
        )
    db.session.rollback()
    assert refused.value.code == "encrypted_file"
    assert "protégé par un mot de passe" in refused.value.fields["file"]
    assert storage.storage().keys() == []


@pytest.mark.parametrize("name", EXPORTS)
def test_a_libreoffice_export_is_a_position_paper_searched_by_its_words(opened, make_user, name):
    content = _real(name)
    item = participation.submit_contribution(
        make_user(),
        opened,
        kind="comment",
        body="Notre position, en pièce jointe.",
        paper=io.BytesIO(content),
        paper_filename=name,
    )
    db.session.commit()
    assert item.paper.size == len(content)
    assert "Du droit de passage" in item.paper.text
    assert [r.contribution_id for r in search.search("enclavés").results] == [item.id]
