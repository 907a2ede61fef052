"""End to end in headless Chromium: a person narrows the contributions list to an article and
one of its alinéas with the compact filter bar, opens a contribution and reads where it stands
(answered, with the answer), then finds where each of their contributions stands in « Mes
contributions »; every page passes axe-core's WCAG 2.1 A/AA rules."""

from tests.test_browser import (  # noqa: F401 (fixtures)
    _sign_in,
    _violations,
    live_server,
    pytestmark,
)

BILL = "Projet de loi pour une République numérique ouverte"
AMENDMENT = "Abaisser le seuil à vingt agents"
ANSWER = "Le ministère étudie l'effet d'un seuil plus bas sur les petites collectivités"


def test_a_participant_filters_by_alinea_and_follows_their_contributions(live_server, page):  # noqa: F811
    _sign_in(page, live_server, "association")
    page.goto(live_server + "/")
    page.get_by_role("link", name=BILL).first.click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Voir les contributions").first.click()
    page.wait_for_load_state()
    assert "/contributions" in page.url
    assert _violations(page) == []

    # The bar is one row: its selects side by side on a wide screen.
    bar = page.locator("section.contributions-filters")
    boxes = [
        bar.get_by_label(label, exact=True).bounding_box() for label in ("Article", "Type", "Ordre")
    ]
    assert abs(boxes[0]["y"] - boxes[2]["y"]) < 2 and boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]
    # The search field sends within this consultation.
    assert bar.get_by_role("search").get_attribute("action") == "/recherche"

    # Article first (its alinéas are then offered), then the alinéa.
    bar.locator("#filtre-article").select_option(label="Article 1er")
    bar.get_by_role("button", name="Afficher").click()
    page.wait_for_load_state()
    assert "article=1" in page.url
    assert page.get_by_role("link", name="Le seuil de cinquante agents").count() == 1
    assert page.get_by_role("link", name="La publication par défaut").count() == 1
    bar.locator("#filtre-alinea").select_option(label="Alinéa 2")
    bar.get_by_role("button", name="Afficher").click()
    page.wait_for_load_state()
    assert "alinea=2" in page.url
    assert page.get_by_role("link", name="La publication par défaut").count() == 0
    card = page.locator("article.contribution", has_text=AMENDMENT)
    assert card.count() == 1
    assert "Réponse officielle : À l'étude" in _text(card)
    # The card reads from top to bottom: title, kind, status, text, counts, actions.
    tops = [
        card.locator(selector).first.bounding_box()["y"]
        for selector in (
            ".fr-card__title",
            ".fr-card__detail",
            ".contribution__status",
            ".contribution__body",
            ".contribution__counts",
            ".contribution__actions",
        )
    ]
    assert tops == sorted(tops)
    assert _violations(page) == []

    # Its page: where it stands, and the answer in full.
    card.get_by_role("link", name=AMENDMENT).click()
    page.wait_for_load_state()
    assert "/contributions/" in page.url
    status = page.locator("ul.contribution__status").first
    assert "Publiée" in _text(status)
    assert "Réponse officielle : À l'étude" in _text(status)
    assert ANSWER in _text(page.locator("section.answer"))
    assert _violations(page) == []

    # « Mes contributions »: each of theirs with where it stands.
    page.goto(live_server + "/compte/participation")
    rows = page.locator("table tbody tr")
    assert rows.count() >= 2
    row = rows.filter(has_text="Proposition de rédaction")
    assert "Article 1er, alinéa 2" in _text(row)
    assert "Réponse officielle : À l'étude" in _text(row)
    answer = row.locator("details")
    assert not answer.locator("p").first.is_visible()
    answer.get_by_text("Lire la réponse de l'administration").click()
    assert answer.locator("p").first.is_visible() and ANSWER in answer.inner_text()
    reply = rows.filter(has_text="Commentaire")
    assert "Pas encore de réponse officielle" in _text(reply.first)
    assert _violations(page) == []

    # The footer's language switch stands on its own line, below the footer's links.
    links = page.locator(".fr-footer__bottom-list").bounding_box()
    switch = page.locator("nav.language-switch").bounding_box()
    assert switch["y"] >= links["y"] + links["height"] - 1


def _text(locator) -> str:
    """The text as written (badges are shown in capitals by the DSFR's CSS), spaces squashed."""
    return " ".join(locator.text_content().split())
