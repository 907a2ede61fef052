"""End to end in headless Chromium: the main pages pass axe-core's WCAG 2.1 A/AA rules.

Debian's /usr/bin/chromium is driven by Playwright (no browser download); `.ci/run` installs
it. The app is served from a thread on a free loopback port.
"""

import threading

import pytest
from werkzeug.serving import make_server

from tests.helpers import CHROMIUM, CHROMIUM_ARGS  # noqa: F401 (used by the other browser modules)

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


def _closing(app):
    """The app with each response read whole and closed before the server writes it.
    Werkzeug's development server skips closing a response whose client went away (Chromium
    drops its favicon request when a page closes): a file left open, reported as an error."""

    def wsgi(environ, start_response):
        response = app(environ, start_response)
        try:
            return list(response)
        finally:
            if hasattr(response, "close"):
                response.close()

    return wsgi


@pytest.fixture
def live_server(app, demo, db):
    app.config["WTF_CSRF_ENABLED"] = True  # as in production: forms carry their token
    server = make_server("127.0.0.1", 0, _closing(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def _violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in results.response["violations"]
    ]


def test_home_and_open_consultation_have_no_wcag_violation(live_server, page):
    page.goto(live_server + "/")
    assert page.locator("h1").first.inner_text() == "Consultations publiques"
    assert _violations(page) == []

    page.get_by_role(
        "link", name="Projet de loi pour une République numérique ouverte"
    ).first.click()
    page.wait_for_load_state()
    assert "/consultations/" in page.url
    assert page.locator("article.legal-article").count() >= 12
    assert _violations(page) == []

    page.locator(
        "article.legal-article h4 a, article.legal-article h5 a, article.legal-article h3 a"
    ).first.click()
    page.wait_for_load_state()
    assert "/articles/" in page.url
    assert _violations(page) == []


def test_sign_in_page_has_no_wcag_violation_and_shows_errors_in_place(live_server, page):
    page.goto(live_server + "/connexion")
    assert _violations(page) == []
    page.get_by_label("Adresse e-mail").fill("organisateur@demo.consultation.localhost")
    page.get_by_label("Mot de passe").first.fill("mauvais mot de passe")
    page.get_by_role("button", name="Se connecter").last.click()
    page.wait_for_load_state()
    assert "Adresse e-mail ou mot de passe incorrect." in page.content()
    assert (
        page.get_by_label("Adresse e-mail").input_value()
        == "organisateur@demo.consultation.localhost"
    )
    assert _violations(page) == []


def test_contribution_form_counts_characters_as_one_types(live_server, page):
    _sign_in(page, live_server, "camille")

    page.goto(live_server + "/")
    _open_first_article(page)

    counter = page.locator("#body-compteur")
    assert _normalise_spaces(counter.inner_text()) == "0 / 10 000 caractères"
    page.locator("#body").fill("Cet article mérite d'être précisé.")
    assert _normalise_spaces(counter.inner_text()) == "34 / 10 000 caractères"
    assert "body-compteur" in page.locator("#body").get_attribute("aria-describedby")
    assert _violations(page) == []


def _sign_in(page, live_server: str, who: str) -> None:
    """Sign in as one of the demo accounts (`who`@demo.consultation.localhost)."""
    page.goto(live_server + "/connexion")
    page.get_by_label("Adresse e-mail").fill(f"{who}@demo.consultation.localhost")
    page.get_by_label("Mot de passe").first.fill("consultation-demo")
    page.get_by_role("button", name="Se connecter").last.click()
    page.wait_for_load_state()


def _open_first_article(page) -> None:
    """From a page listing it, the demo's open bill, then its first article's own page."""
    page.get_by_role(
        "link", name="Projet de loi pour une République numérique ouverte"
    ).first.click()
    page.wait_for_load_state()
    page.locator(
        "article.legal-article h4 a, article.legal-article h5 a, article.legal-article h3 a"
    ).first.click()
    page.wait_for_load_state()


def _normalise_spaces(text: str) -> str:
    """Intl formats thousands with a narrow no-break space; compare with plain spaces."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def test_moderator_clears_a_page_of_the_queue_in_one_action(live_server, page, db, outbox):
    from consultation.accounts.services import find_user
    from consultation.consultations.models import Consultation
    from consultation.moderation import services as moderation
    from consultation.participation import services as participation

    consultation = db.session.scalar(
        db.select(Consultation).where(Consultation.title.like("Projet de loi pour une%"))
    )
    author = find_user("camille@demo.consultation.localhost")
    reporter = find_user("lecteur@demo.consultation.localhost")
    items = [
        participation.submit_contribution(
            author, consultation, kind="comment", body=f"Publicité {n}"
        )
        for n in range(3)
    ]
    for item in items:
        moderation.report_contribution(reporter, item, "spam")
    db.session.commit()

    _sign_in(page, live_server, "moderateur")
    page.goto(live_server + "/moderation/")
    assert page.locator("h1").inner_text() == "File de modération"
    assert _violations(page) == []

    page.locator("#tout-ids").check(force=True)
    assert page.locator("tbody input[name=ids]:checked").count() == 3
    notify = page.locator("#selection").get_by_label("Prévenir les auteurs par e-mail")
    assert notify.is_checked()  # ticked by default…
    page.get_by_label("Action sur la sélection").select_option("hide")
    page.locator("#selection").get_by_label("Motif (pour masquer ou bloquer)").select_option("spam")
    assert not notify.is_checked()  # …but not for spam
    assert "ne seront pas prévenus" in page.locator("#notify-annonce").inner_text()
    page.get_by_role("button", name="Appliquer à la sélection").click()
    page.wait_for_load_state()
    assert "3 contributions traitées." in page.content()
    hidden_mails = [m for m in outbox() if m[0] == author.email and "masquée" in m[1]]
    assert hidden_mails == []  # clearing spam writes to nobody

    page.goto(live_server + f"/consultations/{consultation.slug}/contributions?ordre=recent")
    assert page.get_by_text("Contribution masquée par la modération — motif : spam").count() == 3
    assert "Publicité 1" not in page.content()

    # An insult: the box stays ticked; unticked and ticked again by hand, the reason no longer
    # moves it; the author gets one e-mail with the appeal link.
    insult = participation.submit_contribution(author, consultation, kind="comment", body="Idiot")
    moderation.report_contribution(reporter, insult, "insult")
    db.session.commit()
    insult_id, number, email = insult.id, insult.tracking_number, author.email
    db.session.close()
    page.goto(live_server + "/moderation/")
    page.locator(f"#ids-{insult_id}").check(force=True)
    page.get_by_label("Action sur la sélection").select_option("hide")
    reason = page.locator("#selection").get_by_label("Motif (pour masquer ou bloquer)")
    reason.select_option("insult")
    assert notify.is_checked()
    notify.uncheck(force=True)
    notify.check(force=True)
    reason.select_option("spam")
    reason.select_option("insult")
    assert notify.is_checked()
    page.get_by_role("button", name="Appliquer à la sélection").click()
    page.wait_for_load_state()
    assert "1 contribution traitée." in page.content()
    hidden_mails = [m for m in outbox() if m[0] == email and "masquée" in m[1]]
    assert [m[1] for m in hidden_mails] == [f"Votre contribution {number} a été masquée"]
    assert f"/contributions/{insult_id}/recours" in hidden_mails[0][2]


def test_moderation_record_and_account_pages_have_no_wcag_violation(live_server, page, db):
    from consultation.accounts.services import find_user
    from consultation.consultations.models import Consultation
    from consultation.participation import services as participation

    consultation = db.session.scalar(
        db.select(Consultation).where(Consultation.title.like("Projet de loi pour une%"))
    )
    item = participation.submit_contribution(
        find_user("camille@demo.consultation.localhost"),
        consultation,
        kind="comment",
        body="Un commentaire à signaler.",
    )
    db.session.commit()
    item_id, slug = item.id, consultation.slug
    db.session.close()  # outside a request a transaction takes the write lock: end it now
    for path in (
        f"/consultations/{slug}/charte",
        f"/consultations/{slug}/moderation",
        "/donnees-ouvertes/registre",
        "/api",  # the guide, its moderation endpoints' table included
    ):
        page.goto(live_server + path)
        assert page.locator("h1").count() == 1, path
        assert _violations(page) == [], path

    _sign_in(page, live_server, "lecteur")
    page.goto(live_server + f"/contributions/{item_id}/signaler")
    page.get_by_role("button", name="Envoyer le signalement").click()
    page.wait_for_load_state()
    assert "Choisissez un motif de signalement." in page.content()
    assert _violations(page) == []
    page.goto(live_server + "/compte/suppression")
    assert _violations(page) == []


def test_answer_pages_have_no_wcag_violation(live_server, page, db):
    from consultation.accounts.services import find_user
    from consultation.consultations.models import Consultation
    from consultation.participation import services as participation

    consultation = db.session.scalar(
        db.select(Consultation).where(Consultation.title.like("Projet de loi pour une%"))
    )
    item = participation.submit_contribution(
        find_user("camille@demo.consultation.localhost"),
        consultation,
        kind="comment",
        body="Une question au ministère.",
    )
    db.session.commit()
    item_id, slug = item.id, consultation.slug
    db.session.close()  # outside a request a transaction takes the write lock: end it now

    _sign_in(page, live_server, "organisateur")
    page.goto(live_server + f"/gestion/consultations/{slug}/reponses?reponse=none")
    assert _violations(page) == []
    page.goto(live_server + f"/gestion/contributions/{item_id}/reponse")
    page.get_by_label("À l'étude").check(force=True)
    page.get_by_label("Réponse publiée").fill("Nous étudions cette question.")
    page.get_by_role("button", name="Publier la réponse").click()
    page.wait_for_load_state()
    assert "Réponse publiée pour" in page.content()
    assert _violations(page) == []
    page.goto(live_server + f"/consultations/{slug}/contributions/{item_id}")
    assert "Nous étudions cette question." in page.content()
    assert _violations(page) == []


def test_synthesis_drafted_edited_and_published_without_wcag_violation(live_server, page, db):
    """A moderator drafts the closed water plan's synthesis, edits it, announces a follow-up
    and publishes; every page on the way, charts included, passes axe."""
    from consultation.consultations.models import Consultation

    slug = db.session.scalar(
        db.select(Consultation.slug).where(Consultation.title.like("Plan national%"))
    )
    db.session.close()  # outside a request a transaction takes the write lock: end it now

    page.goto(live_server + f"/consultations/{slug}/synthese")
    assert "Synthèse attendue" in page.content()
    assert _violations(page) == []

    _sign_in(page, live_server, "moderateur")
    page.goto(live_server + f"/gestion/consultations/{slug}/synthese/brouillon")
    page.get_by_role("button", name="Rédiger le brouillon").click()
    page.wait_for_load_state()
    assert page.locator("svg[role=img]").count() >= 3
    assert "Groupe A" in page.content()
    assert _violations(page) == []

    page.goto(live_server + f"/gestion/consultations/{slug}/synthese")
    body = page.get_by_label("Texte de la synthèse (Markdown)")
    assert body.input_value().startswith("*Brouillon calculé le")
    body.fill(body.input_value().split("\n\n", 1)[1])  # the draft's warning, read and removed
    page.get_by_label("Observations prises en compte").fill("La priorité à l'eau potable.")
    page.get_by_label("Adresse de la déclaration des motifs").fill("https://example.org/motifs")
    page.get_by_role("button", name="Prévisualiser").click()
    page.wait_for_load_state()
    assert page.get_by_label("Observations prises en compte").input_value() == (
        "La priorité à l'eau potable."
    )
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_load_state()
    assert _violations(page) == []

    page.goto(live_server + f"/gestion/consultations/{slug}/synthese/suites/nouvelle")
    page.get_by_label("Titre").fill("Publier le décret d'application")
    page.get_by_label("Échéance prévue").fill("31/02/2027")
    page.get_by_role("button", name="Enregistrer la suite").click()
    page.wait_for_load_state()
    assert page.get_by_label("Échéance prévue").input_value() == "31/02/2027"
    assert "Cette date n'existe pas" in page.content()
    assert _violations(page) == []
    page.get_by_label("Échéance prévue").fill("30/06/2027")
    page.get_by_role("button", name="Enregistrer la suite").click()
    page.wait_for_load_state()

    page.get_by_role("button", name="Publier la version 1").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/consultations/{slug}/synthese")
    content = page.content()
    assert (
        "Publier le décret d'application" in content and "La priorité à l'eau potable." in content
    )
    assert _violations(page) == []
    page.goto(live_server + "/synthese/methode")
    assert _violations(page) == []
