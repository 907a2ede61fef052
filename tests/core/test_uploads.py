"""The shared upload checks (consultation/core/uploads.py), on hostile files built here: a PDF
or a page of HTML behind a .docx name, a zip bomb, an OLE (encrypted Word, old .doc) header,
a Word file with macros, an ODT with Basic macros, an empty or over-size file, file names
with bidi controls, paths and NUL."""

from __future__ import annotations

import io
import zipfile

import pytest

from consultation.core.uploads import (
    Kind,
    UploadRefused,
    check_archive,
    clean_filename,
    read_upload,
    require_kind,
    sniff,
)

CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def zip_bytes(entries: list[tuple[str, bytes]], *, stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(entries):
            method = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return buffer.getvalue()


def docx_bytes(*extra: tuple[str, bytes], content_types: bytes = CONTENT_TYPES) -> bytes:
    return zip_bytes(
        [
            ("[Content_Types].xml", content_types),
            ("word/document.xml", b"<w:document/>"),
            *extra,
        ]
    )


def odt_bytes(*extra: tuple[str, bytes]) -> bytes:
    return zip_bytes(
        [
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", b"<office:document-content/>"),
            *extra,
        ],
        stored_first=True,
    )


def read(data: bytes, name: str = "projet.docx", max_bytes: int = 1024 * 1024):
    return read_upload(io.BytesIO(data), name, max_bytes=max_bytes, field="file")


def refusal(excinfo: pytest.ExceptionInfo[UploadRefused]) -> tuple[str, str]:
    return excinfo.value.code, excinfo.value.fields["file"]


def test_docx_read_with_size_hash_and_kind():
    data = docx_bytes()
    with read(data) as upload:
        assert upload.kind is Kind.DOCX
        assert upload.size == len(data)
        assert len(upload.sha256) == 64
        assert upload.file.read() == data
        assert upload.name == "projet.docx"


def test_odt_recognised_by_its_mimetype_entry_whatever_its_name():
    with read(odt_bytes(), "projet.docx") as upload:
        assert upload.kind is Kind.ODT


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PDF, Kind.PDF),
        (b"\n\n" + PDF, Kind.PDF),
        (b"<html><body>Projet de loi</body></html>", Kind.UNKNOWN),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, Kind.ENCRYPTED_OFFICE),
        (docx_bytes(("word/vbaProject.bin", b"\0" * 40)), Kind.DOCM),
        (
            docx_bytes(content_types=CONTENT_TYPES.replace(b"document.main", b"macroEnabled")),
            Kind.DOCM,
        ),
        (zip_bytes([("xl/workbook.xml", b"<workbook/>")]), Kind.ZIP),
        (b"PK\x03\x04 this is not really an archive", Kind.ZIP),
    ],
)
def test_kind_comes_from_the_content_never_the_name(data, kind):
    with read(data, "projet.docx") as upload:
        assert upload.kind is kind


def test_pdf_behind_a_docx_name_is_refused_by_require_kind():
    with read(PDF, "projet.docx") as upload, pytest.raises(UploadRefused) as excinfo:
        require_kind(upload, {Kind.DOCX, Kind.ODT}, field="file", formats=".docx ou .odt")
    assert refusal(excinfo) == (
        "unsupported_file_type",
        "Le contenu de ce fichier n'est pas au format attendu : envoyez un fichier .docx ou .odt.",
    )


@pytest.mark.parametrize(
    ("data", "code", "words"),
    [
        (docx_bytes(("word/vbaProject.bin", b"\0")), "macro_enabled_file", "macros"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "encrypted_file", "mot de passe"),
    ],
)
def test_macros_and_encryption_refused_with_their_reason(data, code, words):
    with read(data) as upload, pytest.raises(UploadRefused) as excinfo:
        require_kind(upload, {Kind.DOCX, Kind.ODT}, field="file", formats=".docx ou .odt")
    assert refusal(excinfo)[0] == code
    assert words in refusal(excinfo)[1]


def test_empty_file_refused():
    with pytest.raises(UploadRefused) as excinfo:
        read(b"")
    assert refusal(excinfo) == ("empty_file", "Le fichier est vide.")
    assert excinfo.value.status == 422


class CountingStream(io.BytesIO):
    def __init__(self, data: bytes):
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


def test_over_size_refused_after_reading_one_byte_more_than_allowed():
    stream = CountingStream(b"x" * 5_000_000)
    with pytest.raises(UploadRefused) as excinfo:
        read_upload(stream, "gros.docx", max_bytes=2 * 1024 * 1024, field="file")
    assert refusal(excinfo) == ("file_too_large", "Le fichier dépasse la taille maximale de 2 Mo.")
    assert stream.bytes_read == 2 * 1024 * 1024 + 1


def test_exactly_max_bytes_is_accepted():
    with read(b"y" * 1000, max_bytes=1000) as upload:
        assert upload.size == 1000


def test_werkzeug_file_storage_is_read_through_its_stream():
    from werkzeug.datastructures import FileStorage

    storage = FileStorage(io.BytesIO(docx_bytes()), filename="projet.docx")
    with read_upload(storage, storage.filename, max_bytes=10**6, field="file") as upload:
        assert upload.kind is Kind.DOCX


def test_zip_bomb_refused_from_declared_sizes():
    bomb = docx_bytes(("word/media/image1.png", b"\0" * (30 * 1024 * 1024)))
    assert len(bomb) < 100_000
    with read(bomb) as upload:
        assert upload.kind is Kind.DOCX
        with pytest.raises(UploadRefused) as excinfo:
            check_archive(upload.file, max_expanded=200 * 1024 * 1024, field="file")
        assert refusal(excinfo)[0] == "archive_too_large"
        with pytest.raises(UploadRefused) as excinfo:
            check_archive(upload.file, max_expanded=10 * 1024 * 1024, field="file")
        assert refusal(excinfo)[0] == "archive_too_large"
        assert "10 Mo" in refusal(excinfo)[1]


def test_ordinary_docx_and_odt_pass_the_archive_checks():
    for data in (docx_bytes(), odt_bytes()):
        with read(data) as upload:
            check_archive(upload.file, max_expanded=10**6, field="file")
            assert upload.file.tell() == 0


def test_odt_with_basic_macros_refused():
    data = odt_bytes(("Basic/Standard/Module1.xml", b"<script:module/>"))
    with read(data) as upload, pytest.raises(UploadRefused) as excinfo:
        check_archive(upload.file, max_expanded=10**6, field="file")
    assert refusal(excinfo)[0] == "macro_enabled_file"


def test_truncated_archive_refused_as_corrupt():
    data = docx_bytes(("word/styles.xml", b"<w:styles/>" * 1000))[:-40]
    with read(data) as upload, pytest.raises(UploadRefused) as excinfo:
        check_archive(upload.file, max_expanded=10**6, field="file")
    assert refusal(excinfo) == (
        "corrupt_archive",
        "Ce fichier est endommagé et ne peut pas être lu : enregistrez-le à nouveau depuis "
        "Word ou LibreOffice.",
    )


def test_damaged_entry_refused_as_corrupt():
    data = bytearray(docx_bytes(("word/styles.xml", b"<w:styles>" + b"abcdefgh" * 500)))
    start = data.find(b"word/styles.xml") + len("word/styles.xml") + 5
    data[start : start + 8] = b"\xff" * 8
    with read(bytes(data)) as upload, pytest.raises(UploadRefused) as excinfo:
        check_archive(upload.file, max_expanded=10**6, field="file")
    assert refusal(excinfo)[0] == "corrupt_archive"


def test_encrypted_zip_entry_refused():
    data = bytearray(docx_bytes())
    # Set the "encrypted" flag of every entry, in the local and the central headers.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        position = data.find(signature)
        while position != -1:
            data[position + offset] |= 0x1
            position = data.find(signature, position + 4)
    with read(bytes(data)) as upload, pytest.raises(UploadRefused) as excinfo:
        check_archive(upload.file, max_expanded=10**6, field="file")
    assert refusal(excinfo)[0] == "encrypted_file"


@pytest.mark.parametrize(
    ("given", "cleaned"),
    [
        ("projet\u202excod.pdf", "projetxcod.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\agent\\Projet de loi.docx", "Projet de loi.docx"),
        ("pro\x00jet.docx", "projet.docx"),
        ("...cache.docx", "cache.docx"),
        ("pro\u200bjet\ufeff.odt", "projet.odt"),
        ("Proje\u0301t.docx", "Projét.docx"),
        ("a<b>:c|d?.docx", "a_b__c_d_.docx"),
        ("  \n\t  ", "document"),
        ("../", "document"),
        ("\u2066\u2067\u2068\u2069", "document"),
    ],
)
def test_file_names_cleaned(given, cleaned):
    assert clean_filename(given) == cleaned


def test_long_file_name_keeps_its_extension():
    cleaned = clean_filename("x" * 500 + ".docx")
    assert len(cleaned) == 120
    assert cleaned.endswith("xx.docx")


def test_sniff_leaves_the_file_at_its_start():
    file = io.BytesIO(docx_bytes())
    file.seek(10)
    assert sniff(file) is Kind.DOCX
    assert file.tell() == 0
