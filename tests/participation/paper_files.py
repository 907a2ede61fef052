"""PDFs for the position papers' tests, built in the test: one with a page of text; a
contribution whose paper an edit replaced (`replaced_paper`)."""

from __future__ import annotations

import io

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject


def pdf_with_text(text: str) -> bytes:
    """A one-page PDF whose page shows `text` (ASCII) in Helvetica: readable by pypdf."""
    writer = PdfWriter()
    page = writer.add_blank_page(300, 200)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode("ascii"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


FIRST = pdf_with_text("Premiere position de la federation")
SECOND = pdf_with_text("Position revue qui enfreint la charte")


def replaced_paper(db, consultation, author):
    """A comment whose author attached FIRST (« position.pdf »), then replaced it by SECOND
    (« revue.pdf ») in an edit: the version replaced keeps FIRST."""
    from consultation.participation import services as participation

    item = participation.submit_contribution(
        author,
        consultation,
        kind="comment",
        body="Notre position, en pièce jointe.",
        paper=io.BytesIO(FIRST),
        paper_filename="position.pdf",
    )
    db.session.commit()
    participation.edit_contribution(
        author, item, {}, paper=io.BytesIO(SECOND), paper_filename="revue.pdf"
    )
    db.session.commit()
    return item
