"""End to end in headless Chromium: a person changes their password and revokes their API
tokens; the account page and the reset-link pages pass axe-core's WCAG 2.1 A/AA rules."""

import re

from tests.test_browser import (  # noqa: F401 (fixtures)
    _sign_in,
    _violations,
    live_server,
    pytestmark,
)

DEMO_PASSWORD = "consultation-demo"
NEW_PASSWORD = "une phrase de passe toute neuve"
CAMILLE = "camille@demo.consultation.localhost"


def test_changing_the_password_with_token_revocation(live_server, page, db):  # noqa: F811
    from consultation.accounts import services

    camille = services.find_user(CAMILLE)
    services.create_api_token(camille, "script de suivi")
    services.create_api_token(camille, "tableau de bord")
    db.session.commit()
    db.session.close()  # outside a request a transaction takes the write lock: end it now

    _sign_in(page, live_server, "camille")
    page.goto(live_server + "/compte")
    box = page.get_by_label(re.compile(r"Révoquer aussi mes jetons d'accès à l'API \(2\)"))
    assert box.is_checked()
    assert _violations(page) == []

    page.get_by_label("Mot de passe actuel").fill(DEMO_PASSWORD)
    page.get_by_label("Nouveau mot de passe").fill(NEW_PASSWORD)
    page.get_by_label("Confirmation du mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Changer de mot de passe").click()
    page.wait_for_load_state()
    assert "/compte" in page.url
    assert "vos autres sessions sont fermées et vos jetons d'accès à l'API révoqués" in (
        page.content().replace("&#39;", "'")
    )
    assert page.get_by_text("Vos jetons actifs").count() == 0
    assert _violations(page) == []

    assert services.api_tokens(services.find_user(CAMILLE)) == []
    assert services.authenticate(CAMILLE, NEW_PASSWORD)
    db.session.close()


def test_reset_pages_have_no_wcag_violation(live_server, page, db):  # noqa: F811
    from consultation.accounts import services

    camille = services.find_user(CAMILLE)
    services.create_api_token(camille, "script de suivi")
    link = live_server + "/reinitialisation/" + services.reset_token(camille)
    db.session.commit()
    db.session.close()

    page.goto(link)
    assert page.get_by_label(re.compile(r"Révoquer aussi mes jetons")).is_checked()
    assert _violations(page) == []
    page.get_by_label("Nouveau mot de passe").fill(NEW_PASSWORD)
    page.get_by_label("Confirmation du mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()
    assert "/connexion" in page.url

    page.goto(link)  # used: the page says why and offers a new link
    assert "il a déjà servi" in page.content()
    assert page.get_by_role("link", name="Demander un nouveau lien").count() == 1
    assert _violations(page) == []
