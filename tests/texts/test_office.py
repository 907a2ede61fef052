"""Drafts written in Word and LibreOffice (consultation/texts/office.py): the Sénat's bill pasted,
as a .docx and as an .odt gives the same tree; outline levels without heading styles, Word's
automatic numbering, tables and footnotes are read; hostile files are refused in French."""

from __future__ import annotations

import io
import zipfile

import pytest

from consultation.core.uploads import UploadRefused
from consultation.texts.importer import parse_text
from consultation.texts.office import read_docx, read_odt, text_from_upload
from tests.texts.office_fixtures import (
    NOTE_TEXT,
    bill_docx,
    bill_odt,
    bill_pasted,
    outline_docx,
    pdf_bytes,
    tree,
)


def test_bill_pasted_as_docx_and_as_odt_gives_the_same_tree():
    pasted = tree(parse_text(bill_pasted()))
    assert tree(parse_text(read_docx(io.BytesIO(bill_docx())))) == pasted
    assert tree(parse_text(read_odt(io.BytesIO(bill_odt())))) == pasted
    # What the documents carry beyond plain paragraphs is in that tree.
    labels = [division[1] for division in pasted["divisions"]]
    assert labels == ["TITRE Ier", "TITRE II", "TITRE IV", "TITRE V"]
    articles = {number: paragraphs for number, _l, _t, _d, paragraphs in pasted["articles"]}
    assert articles["2"][1].startswith("1° Redéfinir les conditions")  # Word's numbering
    assert articles["2"][8].startswith("8° Mettre le code rural")
    assert articles["23"][0].endswith(f"maritime.[1] [note 1] {NOTE_TEXT}")
    assert articles["24"][-3:] == ["Produit | Taux", "Blé tendre | 5 %", "Orge | 3 %"]


def test_outline_levels_without_heading_styles_and_numbered_article_headings():
    parsed = parse_text(read_docx(io.BytesIO(outline_docx())))
    assert parsed.preamble == ["Décret relatif aux jardins partagés"]
    assert [(d.kind, d.label, d.title) for d in parsed.divisions] == [
        ("heading", "", "Dispositions générales"),
        ("chapitre", "Chapitre Ier", "Objet"),
    ]
    assert [(a.label, a.paragraphs) for a in parsed.articles] == [
        (
            "Article 1",
            [
                "Le présent décret s'applique :",
                "a) aux jardins des communes ;",
                "b) aux jardins des départements.",
            ],
        ),
        ("Article 2", ["Il entre en vigueur le lendemain de sa publication."]),
    ]
    assert parsed.warnings == []


def _docx_with_body(body_xml: str) -> bytes:
    """The bill's .docx with its body replaced (tracked changes, a table of contents…)."""
    source = io.BytesIO(bill_docx())
    out = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                start = text.index("<w:body>") + len("<w:body>")
                end = text.index("<w:sectPr")
                data = (text[:start] + body_xml + text[end:]).encode("utf-8")
            new.writestr(item, data)
    return out.getvalue()


def test_tracked_deletions_tables_of_contents_and_hidden_text_left_out():
    body = (
        '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
        "</w:docPartObj></w:sdtPr><w:sdtContent><w:p><w:r><w:t>Article 1er</w:t></w:r></w:p>"
        "</w:sdtContent></w:sdt>"
        "<w:p><w:r><w:t>Article 1er</w:t></w:r></w:p>"
        '<w:p><w:r><w:t xml:space="preserve">Le maire </w:t></w:r>'
        '<w:del w:id="1" w:author="A"><w:r><w:delText>ne </w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="A"><w:r><w:t xml:space="preserve">peut </w:t></w:r></w:ins>'
        "<w:r><w:rPr><w:vanish/></w:rPr><w:t>caché </w:t></w:r>"
        "<w:r><w:t>décider.</w:t></w:r></w:p>"
    )
    parsed = parse_text(read_docx(io.BytesIO(_docx_with_body(body))))
    assert [(a.label, a.paragraphs) for a in parsed.articles] == [
        ("Article 1er", ["Le maire peut décider."])
    ]


def _upload(app, data: bytes, name: str = "projet.docx"):
    return text_from_upload(io.BytesIO(data), name, field="file")


def test_upload_of_a_docx_gives_its_text_and_clean_name(app):
    read = _upload(app, bill_odt(), "Projet\u202e.odt")
    assert read.filename == "Projet.odt"
    assert tree(parse_text(read.source)) == tree(parse_text(bill_pasted()))


def test_pdf_refused_even_behind_a_docx_name(app):
    with pytest.raises(UploadRefused) as excinfo:
        _upload(app, pdf_bytes(), "projet.docx")
    assert excinfo.value.code == "pdf_refused"
    assert excinfo.value.fields == {
        "file": "Envoyez le texte au format .docx ou .odt (Word ou LibreOffice) : un PDF ne "
        "garde pas la structure du texte."
    }


def _bomb() -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(bill_docx())) as old,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for item in old.infolist():
            new.writestr(item, old.read(item.filename))
        new.writestr("word/media/image1.png", b"\0" * (40 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty_file"),
        (b"<html><body>Article 1er</body></html>", "unsupported_file_type"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000, "encrypted_file"),
        (bill_docx()[:3000], "corrupt_archive"),
        (_bomb(), "archive_too_large"),
    ],
)
def test_hostile_files_refused_with_a_french_reason(app, data, code):
    with pytest.raises(UploadRefused) as excinfo:
        _upload(app, data)
    assert excinfo.value.code == code
    assert excinfo.value.fields["file"].endswith(".")


def test_over_size_refused_from_the_setting(app):
    app.config["DRAFT_UPLOAD_MAX_BYTES"] = 10_000
    with pytest.raises(UploadRefused) as excinfo:
        _upload(app, bill_docx())
    assert excinfo.value.code == "file_too_large"
    assert excinfo.value.fields["file"] == "Le fichier dépasse la taille maximale de 10 ko."


def test_docx_with_macros_refused(app):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(bill_docx())) as old, zipfile.ZipFile(out, "w") as new:
        for item in old.infolist():
            new.writestr(item, old.read(item.filename))
        new.writestr("word/vbaProject.bin", b"\0" * 100)
    with pytest.raises(UploadRefused) as excinfo:
        _upload(app, out.getvalue(), "projet.docx")
    assert excinfo.value.code == "macro_enabled_file"
