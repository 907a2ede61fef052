"""End to end in headless Chromium: a visitor searches from the header's search box with
words typed without accents, reads highlighted results, narrows them by kind and by
consultation with the filters, and pages on; the results page passes axe-core's WCAG 2.1 A/AA
rules."""

from tests.test_browser import (  # noqa: F401, F811 (fixtures)
    _violations,
    live_server,
    pytestmark,
)

BILL = "Projet de loi pour une République numérique ouverte"


def test_a_visitor_searches_from_the_header_and_filters(live_server, page):  # noqa: F811
    page.goto(live_server + "/")
    page.locator("#recherche-entete-q").fill("numerique")
    page.locator("#recherche-entete").get_by_role("button", name="Rechercher").click()
    page.wait_for_load_state()
    assert "/recherche?q=numerique" in page.url
    assert page.locator("#recherche-q").input_value() == "numerique"
    assert "résultat" in page.locator("#resultats-titre").inner_text()
    results = page.locator(".search-results > li")
    assert results.count() >= 1
    assert page.locator(".search-results mark").first.inner_text().lower().startswith("num")
    assert _violations(page) == []

    # Only the consultations themselves, then within the bill only.
    page.locator("#recherche-type").select_option("consultation")
    page.get_by_role("button", name="Rechercher", exact=True).last.click()
    page.wait_for_load_state()
    assert "kind=consultation" in page.url
    badges = page.locator(".search-results .fr-badge").all_inner_texts()
    assert badges and {badge.lower() for badge in badges} == {"consultation"}
    page.locator("#recherche-type").select_option("")
    page.locator("#recherche-consultation").select_option(label=BILL)
    page.get_by_role("button", name="Rechercher", exact=True).last.click()
    page.wait_for_load_state()
    titles = page.locator(".search-result__consultation").all_inner_texts()
    assert titles and all(BILL in title for title in titles)
    assert _violations(page) == []

    # A result leads to its page.
    page.locator(".search-results h3 a").first.click()
    page.wait_for_load_state()
    assert "/consultations/" in page.url


def test_a_bad_filter_is_said_next_to_its_field(live_server, page):  # noqa: F811
    page.goto(live_server + "/recherche?q=loi&status=brouillon")
    error = page.locator("#recherche-statut-erreur")
    assert "Statut inconnu" in error.inner_text()
    assert page.locator("#recherche-statut").get_attribute(
        "aria-describedby"
    ) == error.get_attribute("id")
    assert page.locator("#recherche-q").input_value() == "loi"
    assert _violations(page) == []
