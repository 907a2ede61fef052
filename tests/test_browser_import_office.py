"""End to end in headless Chromium: an organiser drops a Word file into the draft's form, sees
the parsed text (each article folded with its alinéas, a doubtful line warned where it falls),
acknowledges it and saves; then drops a PDF renamed .docx and is told why in French next to
the field, what was typed kept. axe-core finds no WCAG 2.1 A/AA violation on the way; the
preview reads without JavaScript too."""

import io
import re

import pytest

from tests.test_browser import (  # noqa: F401  (live_server and page are fixtures)
    CHROMIUM,
    _sign_in,
    _violations,
    live_server,
)
from tests.texts.office_fixtures import bill_docx, pdf_bytes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOUBTFUL = "Article L. 123-4 du code de l'urbanisme"
TITLE = "Projet de loi relatif à l'agriculture"


def bill_with_a_doubtful_line() -> bytes:
    """The bill in Word, ending with an alinéa that looks like an article heading."""
    import docx

    document = docx.Document(io.BytesIO(bill_docx()))
    document.add_paragraph(DOUBTFUL)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _drop(page, name: str, content: bytes, mime: str = DOCX) -> None:
    page.locator("#text_file").set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": content}]
    )


def test_organiser_imports_a_docx_then_a_pdf_is_refused_next_to_the_field(
    live_server,  # noqa: F811
    page,
):
    _sign_in(page, live_server, "organisateur")
    page.goto(live_server + "/gestion/consultations/nouvelle")
    assert _violations(page) == []
    page.locator("#title").fill(TITLE)
    _drop(page, "projet.docx", bill_with_a_doubtful_line())
    page.get_by_role("button", name="Prévisualiser la structure du texte").click()
    page.wait_for_load_state()

    preview = page.locator("#apercu")
    assert "6 articles, 4 divisions" in preview.inner_text()
    tree = page.locator(".structure-preview__tree")
    assert "TITRE Ier" in tree.inner_text()
    opened = page.locator("details.preview-article[open]")  # folded, but the warned one
    assert opened.count() == 1 and "Article 24" in opened.locator("summary").inner_text()
    warned = page.locator("details.preview-article", has=page.locator(".preview-warning"))
    article_2 = page.locator("details.preview-article", has_text="Article 2").first
    article_2.locator("summary").click()
    assert "1° Redéfinir les conditions" in article_2.inner_text()  # its alinéas
    warning = warned.locator(".preview-warning").inner_text()
    assert re.search(r"Ligne \d+", warning) and DOUBTFUL in warning
    assert "Blé tendre | 5 %" in warned.inner_text()
    assert page.locator("#title").input_value() == TITLE
    assert _violations(page) == []

    page.locator("label[for=acknowledge_warnings]").click()  # DSFR draws the box on the label
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.wait_for_load_state()
    assert "Brouillon enregistré." in page.content()
    edit_url = page.url
    assert "/gestion/consultations/" in edit_url

    page.locator("#title").fill(TITLE + " (version 2)")
    _drop(page, "projet.docx", pdf_bytes())  # a PDF renamed .docx
    page.get_by_role("button", name="Prévisualiser la structure du texte").click()
    page.wait_for_load_state()
    error = page.locator("#text_file-error")
    assert (
        "Envoyez le texte au format .docx ou .odt (Word ou LibreOffice) : un PDF ne garde pas "
        "la structure du texte." in error.inner_text()
    )
    assert "text_file-error" in (page.locator("#text_file").get_attribute("aria-describedby") or "")
    assert page.locator("#title").input_value() == TITLE + " (version 2)"
    assert "Article 24" in page.locator("#text").input_value()  # the saved text, kept
    assert _violations(page) == []


def test_the_preview_of_a_docx_reads_without_javascript(
    live_server,  # noqa: F811
    page_without_javascript,
):
    page = page_without_javascript
    _sign_in(page, live_server, "organisateur")
    page.goto(live_server + "/gestion/consultations/nouvelle")
    page.locator("#title").fill(TITLE)
    _drop(page, "projet.docx", bill_docx())
    page.get_by_role("button", name="Prévisualiser la structure du texte").click()
    page.wait_for_load_state()
    article = page.locator("details.preview-article", has_text="Article 23").first
    article.locator("summary").click()  # a <details>: opens without JavaScript
    assert "[note 1] Loi n° 2006-11" in article.inner_text()
    # (axe runs in the page's JavaScript: the same page is checked with it in the test above)
