"""End to end in headless Chromium with JavaScript off: an organiser attaches a document to a
draft — a PDF carrying JavaScript first, refused next to the field with the title kept — then
a sound one, and sees it listed with its size and SHA-256. Every page passes axe (checked in a
second browser with JavaScript, which axe needs to run)."""

import hashlib

from tests.documents import files
from tests.test_browser import (  # noqa: F401 (fixtures)
    CHROMIUM,
    _sign_in,
    _violations,
    live_server,
    pytestmark,
)


def _draft(db, make_consultation) -> str:
    from consultation.accounts.services import find_user

    organiser = find_user("organisateur@demo.consultation.localhost")
    draft = make_consultation(
        "draft", actor=organiser, institution=organiser.institution, title="Projet avec étude"
    )
    slug = draft.slug
    db.session.close()  # outside a request a transaction takes the write lock: end it now
    return slug


def test_organiser_uploads_a_document_without_javascript(
    live_server,  # noqa: F811
    tabs,
    db,
    make_consultation,
    tmp_path,
):
    page, checker = tabs
    slug = _draft(db, make_consultation)
    hostile, sound = tmp_path / "etude.pdf", tmp_path / "etude-impact.pdf"
    hostile.write_bytes(files.pdf("javascript"))
    sound.write_bytes(files.pdf())
    url = f"{live_server}/gestion/consultations/{slug}/documents"
    for tab in (page, checker):
        _sign_in(tab, live_server, "organisateur")

    page.goto(url)
    page.get_by_label("Fichier").set_input_files(str(hostile))
    page.get_by_label("Titre du document").fill("Étude d'impact du projet")
    page.get_by_label("Nature").select_option("impact_study")
    page.get_by_label("Articles concernés (facultatif)").fill("1er")
    page.get_by_role("button", name="Ajouter le document").click()
    page.wait_for_load_state()
    error = page.locator("#file-error")
    assert "contient du JavaScript" in error.inner_text()
    assert page.get_by_label("Titre du document").input_value() == "Étude d'impact du projet"

    page.get_by_label("Fichier").set_input_files(str(sound))
    page.get_by_role("button", name="Ajouter le document").click()
    page.wait_for_load_state()
    assert "Document ajouté." in page.content()
    listed = page.locator(".documents-list").inner_text()
    assert "Étude d'impact du projet" in listed
    assert "article 1er" in listed
    assert hashlib.sha256(files.pdf()).hexdigest()[:12] in listed

    checker.goto(url)
    assert _violations(checker) == []
    checker.get_by_label("Fichier").set_input_files(str(hostile))
    checker.get_by_label("Titre du document").fill("Avis du Conseil d'État")
    checker.get_by_role("button", name="Ajouter le document").click()
    checker.wait_for_load_state()
    assert "contient du JavaScript" in checker.locator("#file-error").inner_text()
    assert _violations(checker) == []  # the refusal next to the field, too
