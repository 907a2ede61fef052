"""Drafts saved by LibreOffice itself (tests/texts/libreoffice, made from the real texts of
tests/texts/real, README there): each .docx and .odt imports to the tree of the same text
pasted; headings numbered by the outline numbering (« Livre II », a tab, its title) are read
as the heading and its title; an old .doc, a document saved with a password and a PDF are
refused in French, through the service, the import form and the API."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from consultation.consultations.models import Consultation
from consultation.core.uploads import UploadRefused
from consultation.texts.importer import ParsedText, parse_text
from consultation.texts.office import read_docx, text_from_upload
from tests.consultations.test_views import _form
from tests.texts.office_fixtures import NOTE_TEXT, W_NS, bill_pasted, tree

SAVED = Path(__file__).parent / "libreoffice"
CODE = Path(__file__).parent / "real" / "code_civil_servitudes.md"


def code_pasted() -> str:
    return CODE.read_text(encoding="utf-8")


def _upload(name: str) -> ParsedText:
    read = text_from_upload(io.BytesIO((SAVED / name).read_bytes()), name, field="file")
    return parse_text(read.source)


FILES = [
    ("senat_pjl09-200.docx", bill_pasted),
    ("senat_pjl09-200.odt", bill_pasted),
    ("code_civil_servitudes.docx", code_pasted),
    ("code_civil_servitudes.odt", code_pasted),
    ("code_civil_numerote.docx", code_pasted),
    ("code_civil_numerote.odt", code_pasted),
]


@pytest.mark.parametrize(("name", "pasted"), FILES, ids=[name for name, _p in FILES])
def test_a_file_saved_by_libreoffice_imports_as_the_text_pasted(app, name, pasted):
    parsed = _upload(name)
    assert tree(parsed) == tree(parse_text(pasted()))
    assert parsed.warnings == []


@pytest.mark.parametrize("name", ["senat_pjl09-200.docx", "senat_pjl09-200.odt"])
def test_the_senate_bill_keeps_its_titles_articles_and_alineas(app, name):
    parsed = _upload(name)
    assert parsed.preamble == ["PROJET DE LOI", "de modernisation de l'agriculture et de la pêche"]
    # TITRE Ier's title in a second « Titre 1 », TITRE II's after a line break, TITRE IV's in
    # « Titre 2 », TITRE V's in a bold paragraph.
    assert [(d.label, d.title) for d in parsed.divisions] == [
        ("TITRE Ier", "Définir et mettre en oeuvre une politique publique de l'alimentation"),
        ("TITRE II", "Renforcer la compétitivitéde l'agriculture française"),
        ("TITRE IV", "Moderniser la gouvernance de la pêche maritime et de l'aquaculture"),
        ("TITRE V", "Dispositions particulières à l'outre mer"),
    ]
    # Bold « Article 1er » paragraphs, « er » in superscript; the table's three rows are
    # alinéas of article 24.
    assert [(a.label, a.division, len(a.paragraphs)) for a in parsed.articles] == [
        ("Article 1er", 0, 33),
        ("Article 2", 0, 10),
        ("Article 5", 1, 5),
        ("Article 6", 1, 11),
        ("Article 23", 2, 3),
        ("Article 24", 3, 12),
    ]
    articles = {a.number: a.paragraphs for a in parsed.articles}
    assert articles["2"][8].startswith("8° Mettre le code rural")  # Writer's « 1° » list
    assert articles["5"][4].startswith("2° Au dernier alinéa")  # resumed after the quotation
    assert articles["6"][7].startswith("b) Il est créé un chapitre Ier")  # its « a) » level
    assert articles["24"][3].startswith("- en prévoyant")  # a dash list inside the 2°
    assert articles["23"][0].endswith(f"maritime.[1] [note 1] {NOTE_TEXT}")
    assert articles["24"][-3:] == ["Produit | Taux", "Blé tendre | 5 %", "Orge | 3 %"]


@pytest.mark.parametrize("name", ["code_civil_numerote.docx", "code_civil_numerote.odt"])
def test_headings_numbered_by_writer_are_the_heading_and_their_text_its_title(app, name):
    parsed = _upload(name)
    assert parsed.title == "Code civil"  # « Titre 1 » with its numbering turned off
    assert [(d.kind, d.label, d.title) for d in parsed.divisions] == [
        ("livre", "Livre II", "Des biens et des différentes modifications de la propriété"),
        ("titre", "Titre IV", "Des servitudes ou services fonciers"),
        ("chapitre", "Chapitre II", "Des servitudes établies par la loi"),
        ("section", "Section 1", "Du mur et du fossé mitoyens"),
        (
            "section",
            "Section 2",
            "De la distance et des ouvrages intermédiaires requis pour certaines constructions",
        ),
        ("section", "Section 3", "Des vues sur la propriété de son voisin"),
        ("section", "Section 5", "Du droit de passage"),  # numbering restarted at 5
    ]
    assert [(a.number, len(a.paragraphs)) for a in parsed.articles] == [
        ("671", 3), ("673", 3), ("674", 5), ("675", 1), ("676", 2), ("682", 1), ("683", 2),
    ]  # fmt: skip
    assert parsed.warnings == []


def _numbered_heading_docx(level_text: str, heading: str) -> bytes:
    """A .docx: a first line, then one « Heading 1 » numbered `level_text` (« TITRE %1 »:
    upper roman, a tab after it) that reads `heading`, then one article."""
    import docx
    from docx.oxml.parser import parse_xml

    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="93"><w:lvl w:ilvl="0">'
            '<w:start w:val="1"/><w:numFmt w:val="upperRoman"/>'
            f'<w:lvlText w:val="{level_text}"/></w:lvl></w:abstractNum>'
        ),
    )
    numbering.append(
        parse_xml(f'<w:num xmlns:w="{W_NS}" w:numId="93"><w:abstractNumId w:val="93"/></w:num>')
    )
    document.add_paragraph("Décret relatif aux jardins partagés")
    paragraph = document.add_paragraph(heading, style="Heading 1")
    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="0"/><w:numId w:val="93"/></w:numPr>')
    )
    document.add_paragraph("Article 1er", style="Heading 2")
    document.add_paragraph("Le présent décret s'applique aux jardins partagés.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("level_text", "heading", "line", "division"),
    [
        ("TITRE %1", "Dispositions générales", "TITRE I", ("TITRE I", "Dispositions générales")),
        # A number and a text that read as one heading stay one line.
        (
            "TITRE %1",
            "– Dispositions générales",
            "TITRE I – Dispositions générales",
            ("TITRE I", "Dispositions générales"),
        ),
        # A number that is no heading is written before the text, as before.
        ("%1.", "Dispositions générales", "# I. Dispositions générales", ("", "I. Dispositions générales")),
    ],
)  # fmt: skip
def test_a_numbered_word_heading_is_split_only_when_its_number_is_a_heading(
    level_text, heading, line, division
):
    source = read_docx(io.BytesIO(_numbered_heading_docx(level_text, heading)))
    assert source.split("\n")[1] == line
    parsed = parse_text(source)
    assert [(d.label, d.title) for d in parsed.divisions] == [division]
    assert parsed.articles[0].division == 0


# --- Refused files ---------------------------------------------------------------------------

ENCRYPTED_OR_DOC = (
    "Ce fichier est protégé par un mot de passe, ou c'est un ancien fichier .doc : "
    "enregistrez-le sans mot de passe au format .docx ou .odt."
)
PDF_REFUSED = (
    "Envoyez le texte au format .docx ou .odt (Word ou LibreOffice) : un PDF ne garde pas la "
    "structure du texte."
)
REFUSED = [
    ("senat_pjl09-200.doc", "encrypted_file", ENCRYPTED_OR_DOC),
    ("senat_pjl09-200_mot_de_passe.docx", "encrypted_file", ENCRYPTED_OR_DOC),
    # Its entries carry no ZIP encryption flag: the manifest says they are encrypted (its
    # content.xml, unreadable, used to escape as an XML error: a server error).
    ("senat_pjl09-200_mot_de_passe.odt", "encrypted_file", ENCRYPTED_OR_DOC),
    ("code_civil_servitudes.pdf", "pdf_refused", PDF_REFUSED),
]


@pytest.mark.parametrize(("name", "code", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_an_old_doc_a_password_and_a_pdf_are_refused_in_french(app, name, code, message):
    with pytest.raises(UploadRefused) as refused:
        _upload(name)
    assert refused.value.code == code
    assert refused.value.fields == {"file": message}


def _with_part(name: str, part: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(SAVED / name) as old,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for item in old.infolist():
            new.writestr(item, data if item.filename == part else old.read(item.filename))
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "part"),
    [
        ("senat_pjl09-200.docx", "word/document.xml"),
        ("senat_pjl09-200.docx", "word/numbering.xml"),
        ("senat_pjl09-200.odt", "content.xml"),
        ("senat_pjl09-200.odt", "styles.xml"),
    ],
)
def test_a_sound_archive_whose_part_is_not_xml_is_refused_as_damaged(app, name, part):
    data = _with_part(name, part, b"\x8b\x1d not XML")
    with pytest.raises(UploadRefused) as refused:
        text_from_upload(io.BytesIO(data), name, field="file")
    assert refused.value.code == "corrupt_archive"
    assert refused.value.fields["file"].startswith("Ce fichier est endommagé")


def _post(client, name: str, **values):
    data = dict(_form(text="", **values))
    data["text_file"] = (io.BytesIO((SAVED / name).read_bytes()), name)
    return client.post(
        "/gestion/consultations/nouvelle", data=data, content_type="multipart/form-data"
    )


def test_the_import_form_previews_a_numbered_code_and_refuses_a_password(
    client, login_as, organiser, db
):
    login_as(organiser)
    preview = _post(client, "code_civil_numerote.odt", action="preview")
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert "7 articles, 7 divisions" in page
    assert "Section 5" in page and "Du droit de passage" in page
    refused = _post(client, "senat_pjl09-200_mot_de_passe.odt", title="Mon titre tapé")
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert 'id="text_file-error"' in page
    assert "Ce fichier est protégé par un mot de passe" in page
    assert "Mon titre tapé" in page
    assert db.session.scalar(db.select(db.func.count(Consultation.id))) == 0


def test_the_api_refuses_a_password_protected_odt_with_its_code(
    client, bearer, organiser, make_consultation
):
    consultation = make_consultation("draft", institution=organiser.institution)
    name = "senat_pjl09-200_mot_de_passe.odt"
    response = client.patch(
        f"/api/v1/consultations/{consultation.slug}",
        data={"file": (io.BytesIO((SAVED / name).read_bytes()), name)},
        content_type="multipart/form-data",
        headers=bearer(organiser),
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "encrypted_file"
