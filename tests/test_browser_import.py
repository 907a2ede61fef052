"""End to end in headless Chromium: an organiser pastes a text with a line that looks like an
article heading without being one, sees the warning naming the line, acknowledges it and saves;
axe-core finds no WCAG 2.1 A/AA violation on the way."""

import pytest

from tests.test_browser import (  # noqa: F401  (live_server and page are fixtures)
    CHROMIUM,
    _sign_in,
    _violations,
    live_server,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]

TEXT = """TITRE Ier
DISPOSITIONS GÉNÉRALES

Article 1er
La présente loi a pour objet de favoriser la participation du public.

Article 1er undecies
Les contributions sont publiées.

Article 2
Les consultations sont ouvertes à toute personne.
Article L. 123-4 du code de l'urbanisme
"""


def test_organiser_acknowledges_a_doubtful_heading_then_saves(live_server, page):  # noqa: F811
    _sign_in(page, live_server, "organisateur")
    page.goto(live_server + "/gestion/consultations/nouvelle")
    page.locator("#title").fill("Projet de loi relatif aux consultations")
    page.locator("#text").fill(TEXT)
    page.get_by_role("button", name="Prévisualiser la structure du texte").click()
    page.wait_for_load_state()

    warning = page.locator("#lignes-a-verifier")
    assert "1 ligne à vérifier" in warning.inner_text()
    assert "Ligne 12" in warning.inner_text()
    assert "Article L. 123-4 du code de l'urbanisme" in warning.inner_text()
    assert "Article 1er undecies" in page.locator(".structure-preview__tree").inner_text()
    assert _violations(page) == []

    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.wait_for_load_state()
    assert "Confirmez avoir vérifié les lignes signalées." in page.content()
    assert _violations(page) == []

    page.locator("label[for=acknowledge_warnings]").click()  # DSFR draws the box on the label
    assert page.get_by_label("J'ai vérifié les lignes signalées").is_checked()
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.wait_for_load_state()
    assert "Brouillon enregistré." in page.content()
    assert "a été confirmée telle quelle" in page.content()
    assert _violations(page) == []
