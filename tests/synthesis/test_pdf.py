"""The synthesis PDF: absolute links, a table of contents, page numbers, headings kept with
what follows them, the State's colours only on a State site, never the draft's working notes."""

import re
import zlib

import pytest

from consultation.core import clock
from consultation.synthesis import follow_ups, jobs, pdf, publishing

BODY = (
    "## Les constats\n\nLe délai est jugé trop court "
    "([une contribution](/consultations/exemple/contributions/7)).\n\n"
    + "\n\n".join(f"## Partie {n}\n\n" + "Un paragraphe assez long. " * 40 for n in range(1, 9))
)


def _build(**overrides) -> bytes:
    values = {
        "consultation_title": "Projet de loi",
        "institution": "Ministère de l'Exemple",
        "version_number": 1,
        "published_at": clock.now(),
        "days_after_closing": 4,
        "change_note": "",
        "body": BODY,
        "follow_ups": [pdf.FollowUpLine("Un décret", "Annoncée", "", "", "https://ex.org/d")],
        "address": "https://consultation.example/consultations/exemple/synthese",
        "base_url": "https://consultation.example",
        "compress": False,
    }
    return pdf.build_pdf(**(values | overrides))


def _uris(document: bytes) -> list[bytes]:
    return re.findall(rb"/URI \(([^)]*)\)", document)


def _text(document: bytes) -> bytes:
    """The page content streams, inflated when compressed."""
    parts = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", document, re.DOTALL):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            parts.append(stream)
    return b"\n".join(parts)


@pytest.fixture
def helvetica(monkeypatch):
    """Without the Unicode font the text is written as Latin-1 strings, readable in the tests."""
    monkeypatch.setattr(pdf, "FONT_DIRS", ())


def test_every_link_is_absolute(app):
    with app.test_request_context():
        document = _build()
    uris = _uris(document)
    assert b"https://consultation.example/consultations/exemple/contributions/7" in uris
    assert b"https://ex.org/d" in uris
    assert uris and all(uri.startswith((b"http://", b"https://")) for uri in uris)


def test_a_table_of_contents_and_page_numbers(app, helvetica):
    with app.test_request_context():
        document = _build()
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", document))
    assert pages >= 3
    text = _text(document).replace(b") Tj (", b"")  # the page count is a string of its own
    assert b"(Sommaire)" in text
    # Each heading twice: in the table of contents, then in the text.
    assert text.count(b"Partie 8") >= 2
    assert f"Page 1 / {pages}".encode() in text and f"Page {pages} / {pages}".encode() in text


def test_a_heading_never_ends_a_page(app):
    with app.test_request_context():
        document = pdf.SynthesisPDF(None, "x")
        document.add_page()
        document.set_y(document.h - 40)  # a few lines left above the bottom margin
        document.keep_with_next()
        assert document.page == 2
        document.keep_with_next()  # at the top of a page: nothing to do
        assert document.page == 2


@pytest.mark.parametrize("branding", [True, False])
def test_the_states_colours_only_on_a_state_site(app, branding):
    with app.test_request_context():
        document = _build(state_branding=branding)
    blue, red = b"0 0 0.5686 rg", b"0.8824 0 0.0588 RG"  # blue France, red Marianne
    assert (blue in document) is branding
    assert (red in document) is branding
    if not branding:
        assert b"0.0863 0.0863 0.0863 rg" in document  # the headings in near black


def test_the_published_pdf_has_no_working_notes_and_absolute_links(
    db, client, closed, organiser, app, helvetica
):
    jobs.launch(jobs.start_draft(organiser, closed).id)  # inline in tests
    draft = publishing.working_text(closed)
    publishing.save_synthesis(organiser, closed, body=draft.split("\n\n", 1)[1])
    follow_ups.create_follow_up(organiser, closed, title="Un décret d'application")
    publishing.publish_synthesis(organiser, closed, "")
    db.session.commit()
    response = client.get(f"/consultations/{closed.slug}/synthese.pdf")
    assert response.status_code == 200
    uris = _uris(response.data)
    base = app.config["BASE_URL"].encode()
    assert any(b"/contributions" in uri for uri in uris)
    assert all(uri.startswith(base) or uri.startswith(b"http") for uri in uris)
    assert not any(uri.startswith(b"/") for uri in uris)
    text = _text(response.data)
    assert b"La participation" in text  # the text is there, readable
    assert b"ne dit pas" not in text
