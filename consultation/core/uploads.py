"""Uploaded files, checked the same way wherever people send one: a draft text (.docx, .odt),
an adopted text, a consultation's documents.

Service-level: nothing here reads the request. The caller hands over a stream (werkzeug's
`FileStorage` or any binary file object) and the file name the browser gave.

- `read_upload` copies the stream in chunks into a `SpooledTemporaryFile` (kept in memory up
  to `SPOOL_MAX_BYTES`, on disk beyond), computing its SHA-256 and size as it reads, so that
  a file is never held whole in memory twice; it stops reading at `max_bytes` + 1 and refuses
  an empty or over-size file. The file name is cleaned (`clean_filename`) and the content
  sniffed (`sniff`): the kind comes from the bytes, never from the name.
- `check_archive` refuses a ZIP-based document that is corrupt, has encrypted entries, expands
  past a configured size or at an extreme ratio (a zip bomb), or holds LibreOffice macros.
- `require_kind` refuses any kind but the ones an action accepts, each with its French reason.

Each refusal is a `UploadRefused` (a `ValidationFailed`, status 422) whose `fields` names the
form field with a French message, and whose `code` says why for the API: `empty_file`,
`file_too_large`, `pdf_refused`, `unsupported_file_type`, `macro_enabled_file`,
`encrypted_file`, `corrupt_archive`, `archive_too_large`.

The limits are settings (config.py): `DRAFT_UPLOAD_MAX_BYTES` (20 MB) and
`ARCHIVE_EXPANDED_MAX` (200 MB), read by the caller and passed in.
"""

from __future__ import annotations

import enum
import hashlib
import re
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from babel.numbers import format_decimal
from flask_babel import get_locale
from flask_babel import gettext as _

from consultation.core.errors import ValidationFailed
from consultation.core.i18n import number

__all__ = [
    "ARCHIVE_EXPANDED_MAX",
    "DRAFT_UPLOAD_MAX_BYTES",
    "Kind",
    "Upload",
    "UploadRefused",
    "check_archive",
    "clean_filename",
    "read_upload",
    "require_kind",
    "sniff",
]

DRAFT_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
"""Default of the `DRAFT_UPLOAD_MAX_BYTES` setting: the largest draft file accepted."""
ARCHIVE_EXPANDED_MAX = 200 * 1024 * 1024
"""Default of the `ARCHIVE_EXPANDED_MAX` setting: the most a ZIP-based document may declare
once expanded, all entries together."""
ARCHIVE_MAX_RATIO = 200
"""An entry expanding more than this many times its compressed size (past
`ARCHIVE_RATIO_FLOOR` bytes) is a zip bomb: text and XML compress about 5 to 20 times."""
ARCHIVE_RATIO_FLOOR = 1024 * 1024
ARCHIVE_MAX_ENTRIES = 10_000
"""A document of a few thousand pages has a few hundred entries (pictures included)."""
SPOOL_MAX_BYTES = 1024 * 1024
"""What a file may take in memory while read; beyond, it goes to a temporary file on disk."""
CHUNK_BYTES = 64 * 1024
FILENAME_MAX = 120
"""Characters kept of a file name, its extension included."""

_ODF_ENCRYPTION = re.compile(rb"<(?:[\w.-]+:)?encryption-data[\s/>]")
"""An OpenDocument saved with a password declares each encrypted entry in its manifest (ODF
1.2, part 3, §4.8): the ZIP entries themselves carry no encryption flag."""
_MACRO_CONTENT_TYPES = (b"macroEnabled", b"vbaProject", b"vnd.ms-office.activeX")
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


class Kind(enum.StrEnum):
    """What a file is, read from its first bytes and, for archives, its entries."""

    PDF = "pdf"
    DOCX = "docx"
    DOCM = "docm"
    """A Word document with macros (vbaProject.bin, a macro-enabled content type)."""
    ODT = "odt"
    ENCRYPTED_OFFICE = "encrypted_office"
    """An OLE compound file: a Word document encrypted with a password, or an old .doc."""
    ZIP = "zip"
    """Another ZIP archive (a spreadsheet, a presentation, a corrupt document…)."""
    UNKNOWN = "unknown"


class UploadRefused(ValidationFailed):
    """A file refused: `code` says why (see the module's docstring), `fields` where."""

    def __init__(self, code: str, field: str, message: str):
        super().__init__(fields={field: message})
        self.code = code


@dataclass
class Upload:
    """A file read from a request. `file` is positioned at its start; close it (or use the
    upload as a context manager) once done: a file over `SPOOL_MAX_BYTES` lives on disk."""

    name: str
    size: int
    sha256: str
    kind: Kind
    file: IO[bytes]

    def close(self) -> None:
        self.file.close()

    def __enter__(self) -> Upload:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def size_label(size: int) -> str:
    """A size as people read it: « 20 Mo », « 512 ko » (in the reader's language)."""
    if size >= 1024 * 1024:
        megabytes = size / (1024 * 1024)
        shown = format_decimal(round(megabytes, 1), locale=get_locale() or "fr")
        return str(_("%(n)s Mo", n=shown))
    return str(_("%(n)s ko", n=number(max(1, round(size / 1024)))))


def read_upload(stream: Any, filename: str | None, *, max_bytes: int, field: str) -> Upload:
    """Copy `stream` (a werkzeug FileStorage or a binary file object) into a temporary file,
    at most `max_bytes` + 1 bytes of it, and tell what it is.

    Raises `UploadRefused` (`empty_file`, `file_too_large`) with the message on `field`; the
    temporary file is then closed, so nothing is kept."""
    source = getattr(stream, "stream", stream)
    spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES)  # noqa: SIM115
    digest = hashlib.sha256()
    size = 0
    try:
        while size <= max_bytes:
            chunk = source.read(min(CHUNK_BYTES, max_bytes + 1 - size))
            if not chunk:
                break
            size += len(chunk)
            digest.update(chunk)
            spool.write(chunk)
        if size == 0:
            raise UploadRefused("empty_file", field, _("Le fichier est vide."))
        if size > max_bytes:
            raise UploadRefused(
                "file_too_large",
                field,
                _(
                    "Le fichier dépasse la taille maximale de %(size)s.",
                    size=size_label(max_bytes),
                ),
            )
        spool.seek(0)
        kind = sniff(spool)
    except BaseException:
        spool.close()
        raise
    return Upload(
        name=clean_filename(filename or ""),
        size=size,
        sha256=digest.hexdigest(),
        kind=kind,
        file=spool,
    )


_BIDI_AND_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb]"
)
_FORBIDDEN = re.compile(r'[<>:"|?*]')


def clean_filename(filename: str) -> str:
    """A file name fit to show and to store: Unicode NFC; without bidi controls (U+202E
    reverses « fdp.docx » into what reads as « xcod.pdf »), zero-width and control characters;
    only its last path component, without leading dots; characters Windows refuses replaced by
    « _ »; at most `FILENAME_MAX` characters, the extension kept. « document » when nothing is
    left."""
    name = unicodedata.normalize("NFC", filename)
    name = _BIDI_AND_INVISIBLE.sub("", name)
    name = "".join(
        " " if unicodedata.category(c) in ("Zs", "Zl", "Zp") or c in "\t\n\r" else c
        for c in name
        if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn") or c in "\t\n\r"
    )
    name = re.split(r"[/\\]", name)[-1]
    name = _FORBIDDEN.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip().lstrip(". ").rstrip(". ")
    if not name:
        return "document"
    if len(name) > FILENAME_MAX:
        stem, dot, extension = name.rpartition(".")
        if dot and stem and 0 < len(extension) <= 10:
            name = stem[: FILENAME_MAX - len(extension) - 1].rstrip() + "." + extension
        else:
            name = name[:FILENAME_MAX].rstrip()
    return name


def sniff(file: IO[bytes]) -> Kind:
    """The kind of `file` read from its content (magic bytes, then a ZIP's entries), never
    from its name. The file is left at its start."""
    file.seek(0)
    head = file.read(1024)
    file.seek(0)
    try:
        if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
            return Kind.ENCRYPTED_OFFICE
        if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
            return _sniff_zip(file)
        if b"%PDF-" in head:
            return Kind.PDF
        return Kind.UNKNOWN
    finally:
        file.seek(0)


def _sniff_zip(file: IO[bytes]) -> Kind:
    # ODF puts an uncompressed `mimetype` entry first (ODF 1.2, part 3, §3.3).
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            first = archive.infolist()[0].filename if names else ""
            if first == "mimetype" and _read_small(archive, "mimetype") == _ODT_MIMETYPE:
                return Kind.ODT
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                content_types = _read_small(archive, "[Content_Types].xml")
                if "word/vbaProject.bin" in names or any(
                    mark in content_types for mark in _MACRO_CONTENT_TYPES
                ):
                    return Kind.DOCM
                return Kind.DOCX
            if "word/vbaProject.bin" in names:
                return Kind.DOCM
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        NotImplementedError,
        OSError,
        ValueError,
        EOFError,
        KeyError,
        RuntimeError,  # an encrypted entry read without its password
    ):
        pass
    return Kind.ZIP


def _read_small(archive: zipfile.ZipFile, name: str, limit: int = 1024 * 1024) -> bytes:
    with archive.open(name) as entry:
        return entry.read(limit)


def check_archive(
    file: IO[bytes],
    *,
    max_expanded: int,
    field: str,
    max_ratio: int = ARCHIVE_MAX_RATIO,
) -> None:
    """Refuse a ZIP-based document (.docx, .odt) that cannot be read safely: not a readable
    ZIP (`corrupt_archive`); an entry encrypted, or an OpenDocument saved with a password
    (its manifest's encryption data: `encrypted_file`); more than
    `ARCHIVE_MAX_ENTRIES` entries, more than `max_expanded` bytes once expanded (all entries'
    declared sizes together) or an entry expanding more than `max_ratio` times its compressed
    size (`archive_too_large`: a zip bomb); LibreOffice macros, `Basic/` or `Scripts/` entries
    (`macro_enabled_file`). Python's zipfile never expands an entry past its declared size, so
    the declared sizes bound what reading the document costs; every entry is then read once
    to check its CRC (a damaged entry is `corrupt_archive`). The file is left at its start."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            if len(entries) > ARCHIVE_MAX_ENTRIES:
                raise _too_large(field, max_expanded)
            total = 0
            for entry in entries:
                if entry.flag_bits & 0x1:
                    raise _encrypted(field)
                total += entry.file_size
                if total > max_expanded:
                    raise _too_large(field, max_expanded)
                if entry.file_size > ARCHIVE_RATIO_FLOOR and entry.file_size > max_ratio * max(
                    entry.compress_size, 1
                ):
                    raise _too_large(field, max_expanded)
                if entry.filename.startswith(("Basic/", "Scripts/")):
                    raise _macros(field)
            if "META-INF/manifest.xml" in archive.namelist() and _ODF_ENCRYPTION.search(
                _read_small(archive, "META-INF/manifest.xml")
            ):
                raise _encrypted(field)
            if archive.testzip() is not None:
                raise _corrupt(field)
    except UploadRefused:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        NotImplementedError,  # a compression method zipfile does not read
        OSError,
        ValueError,
        EOFError,
        RuntimeError,
    ):
        raise _corrupt(field) from None
    finally:
        file.seek(0)


def require_kind(upload: Upload, accepted: Iterable[Kind], *, field: str, formats: str) -> None:
    """Refuse `upload` unless its content is of one of the `accepted` kinds, saying why:
    macros, encryption (or an old .doc), or a type not accepted; `formats` names the accepted
    formats for people (« .docx ou .odt »)."""
    if upload.kind in set(accepted):
        return
    if upload.kind is Kind.DOCM:
        raise _macros(field)
    if upload.kind is Kind.ENCRYPTED_OFFICE:
        raise _encrypted(field)
    raise UploadRefused(
        "unsupported_file_type",
        field,
        _(
            "Le contenu de ce fichier n'est pas au format attendu : envoyez un fichier "
            "%(formats)s.",
            formats=formats,
        ),
    )


def _too_large(field: str, max_expanded: int) -> UploadRefused:
    return UploadRefused(
        "archive_too_large",
        field,
        _(
            "Ce fichier se décompresse en plus de %(size)s ou de façon anormale (archive "
            "piégée) : il est refusé.",
            size=size_label(max_expanded),
        ),
    )


def _encrypted(field: str) -> UploadRefused:
    return UploadRefused(
        "encrypted_file",
        field,
        _(
            "Ce fichier est protégé par un mot de passe, ou c'est un ancien fichier .doc : "
            "enregistrez-le sans mot de passe au format .docx ou .odt."
        ),
    )


def _macros(field: str) -> UploadRefused:
    return UploadRefused(
        "macro_enabled_file",
        field,
        _("Ce fichier contient des macros : enregistrez-le sans macros, au format .docx ou .odt."),
    )


def _corrupt(field: str) -> UploadRefused:
    return UploadRefused(
        "corrupt_archive",
        field,
        _(
            "Ce fichier est endommagé et ne peut pas être lu : enregistrez-le à nouveau "
            "depuis Word ou LibreOffice."
        ),
    )
