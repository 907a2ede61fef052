"""Checking an uploaded PDF before the platform serves it, and reading its text.

`check_pdf` refuses, with a French message for the form field, a PDF that a reader could
not open safely or at all:

- unreadable (no PDF structure pypdf can parse) or protected by a password needed to open it
  (its content cannot be checked). A PDF whose permissions only are restricted (no printing,
  copying or changes: an owner password, the user password empty, as « Restreindre les
  permissions » in LibreOffice's PDF export or Acrobat's security settings make it) opens in
  every reader without a password: it is decrypted with the empty password and checked
  like any other;
- carrying JavaScript: a `/JS` or `/JavaScript` key anywhere (a name tree of scripts, an
  action, an annotation's or a page's additional actions `/AA`), an action of type
  `/JavaScript`;
- a `/Launch` action (opens a program or a file of the reader's machine), and the other
  actions that run something outside the document (`/ImportData`, `/Rendition` with a script
  is covered by `/JS`);
- embedded files: an `/EmbeddedFiles` name tree, a `/EmbeddedFile` stream, a file attachment
  annotation, `/RichMedia` (Flash and 3D content), and a hybrid PDF's source document
  (`/AdditionalStreams` in the trailer, as LibreOffice writes it);
- an `/OpenAction` or `/AA` whose action is any of the above (covered by the walk).

The check walks every object reachable from the trailer (names are decoded by pypdf, so
`/J#61vaScript` is `/JavaScript`), iteratively and at most `MAX_OBJECTS` objects: a file
beyond that is refused as too complex rather than checked halfway.

`pdf_text(file, max_pages)` gives the text of the first pages of a readable, unencrypted PDF,
for other features that read uploaded PDFs (position papers); it raises the same errors.
"""

from __future__ import annotations

import logging
from typing import IO

from flask_babel import gettext as _
from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

from consultation.core.errors import ValidationFailed

logger = logging.getLogger(__name__)

MAX_OBJECTS = 200_000
"""Objects walked at most: far above any real document of a consultation."""

ACTIVE_KEYS = {
    "/JS": "script",
    "/JavaScript": "script",
    "/EmbeddedFiles": "embedded",
    "/EmbeddedFile": "embedded",
    "/RichMedia": "embedded",
    "/RichMediaContent": "embedded",
    # A hybrid PDF (LibreOffice's « Intégrer le fichier OpenDocument ») carries its source
    # document in the trailer; LibreOffice opens such a PDF as that document, macros included.
    "/AdditionalStreams": "embedded",
}
ACTIVE_VALUES = {
    # The value of /S (an action's type), /Type or /Subtype.
    "/JavaScript": "script",
    "/Launch": "launch",
    "/ImportData": "launch",
    "/EmbeddedFile": "embedded",
    "/FileAttachment": "embedded",
    "/RichMedia": "embedded",
}


class PdfRefused(ValidationFailed):
    """A PDF the platform will not serve or read."""

    code = "pdf_refused"


def _messages() -> dict[str, str]:
    return {
        "unreadable": _("Ce fichier PDF est illisible ou endommagé."),
        "encrypted": _(
            "Ce fichier PDF est chiffré ou protégé par un mot de passe : "
            "déposez une version non protégée."
        ),
        "script": _(
            "Ce fichier PDF contient du JavaScript : enregistrez-le de nouveau sans script "
            "(par exemple avec « Imprimer en PDF »)."
        ),
        "launch": _(
            "Ce fichier PDF contient une action qui lance un programme ou un fichier : "
            "enregistrez-le de nouveau sans cette action."
        ),
        "embedded": _(
            "Ce fichier PDF contient des fichiers joints ou du contenu multimédia : "
            "déposez ces fichiers séparément."
        ),
        "complex": _("Ce fichier PDF est trop complexe pour être vérifié."),
    }


def refuse(problem: str, field: str) -> PdfRefused:
    """The error for `problem` (a key of the messages above), next to `field`."""
    message = _messages()[problem]
    return PdfRefused(message, fields={field: message})


def _reader(file: IO[bytes], field: str) -> PdfReader:
    file.seek(0)
    try:
        reader = PdfReader(file, strict=False)
        encrypted = reader.is_encrypted
    except (PyPdfError, ValueError, TypeError, KeyError, IndexError, RecursionError) as error:
        logger.info("pdf refused, unreadable: %s", error)
        raise refuse("unreadable", field) from None
    if encrypted and _open_without_password(reader) is PasswordType.NOT_DECRYPTED:
        raise refuse("encrypted", field)
    return reader


def _open_without_password(reader: PdfReader) -> PasswordType:
    """Decrypt `reader` with the empty user password, as a reader opening the file does."""
    try:
        return reader.decrypt("")
    except (PyPdfError, DependencyError, ValueError, TypeError, KeyError, IndexError) as error:
        logger.info("pdf encryption not opened: %s", error)
        return PasswordType.NOT_DECRYPTED


def active_content(reader: PdfReader) -> str | None:
    """The first kind of active content found ("script", "launch", "embedded"), "complex"
    past MAX_OBJECTS objects, or None."""
    stack: list[PdfObject] = [reader.trailer]
    seen: set[tuple[int, int]] = set()
    walked = 0
    while stack:
        item: PdfObject | None = stack.pop()
        if isinstance(item, IndirectObject):
            reference = (item.idnum, item.generation)
            if reference in seen:
                continue
            seen.add(reference)
            item = item.get_object()
        if item is None:
            continue
        walked += 1
        if walked > MAX_OBJECTS:
            return "complex"
        if isinstance(item, DictionaryObject):  # streams too: their dictionary
            for key, value in item.items():
                if key in ACTIVE_KEYS:
                    return ACTIVE_KEYS[key]
                if key in ("/S", "/Type", "/Subtype") and str(value) in ACTIVE_VALUES:
                    return ACTIVE_VALUES[str(value)]
                if key == "/Parent":
                    continue  # the page tree is reached from the root already
                stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return None


def check_pdf(file: IO[bytes], *, field: str = "file") -> None:
    """Refuse an unreadable, encrypted or active PDF (see the module's docstring) with a
    PdfRefused whose message names the problem, next to `field`. Leaves `file` at 0."""
    reader = _reader(file, field)
    try:
        problem = active_content(reader)
    except (PyPdfError, ValueError, TypeError, KeyError, IndexError, RecursionError) as error:
        logger.info("pdf refused while walking: %s", error)
        problem = "unreadable"
    finally:
        file.seek(0)
    if problem is not None:
        raise refuse(problem, field)


def pdf_text(file: IO[bytes], max_pages: int, *, field: str = "file") -> str:
    """The text of the first `max_pages` pages of a PDF, pages separated by a blank line.
    Raises PdfRefused for an unreadable or encrypted file (the caller checks active content
    with `check_pdf` if it keeps the file)."""
    reader = _reader(file, field)
    texts = []
    try:
        for page in reader.pages[:max_pages]:
            texts.append((page.extract_text() or "").strip())
    except (PyPdfError, ValueError, TypeError, KeyError, IndexError, RecursionError) as error:
        logger.info("pdf text unreadable: %s", error)
        raise refuse("unreadable", field) from None
    finally:
        file.seek(0)
    return "\n\n".join(text for text in texts if text)
