"""End to end in headless Chromium: the page scripts speak the page's language. With English
chosen, the live character counter of the contribution form counts in English words and
English numbers, and says so when the text is too long."""

from __future__ import annotations

from tests.test_browser import (  # noqa: F401, F811 (fixtures)
    _normalise_spaces,
    _open_first_article,
    _sign_in,
    _violations,
    live_server,
    pytestmark,
)


def test_the_character_counter_counts_in_english(live_server, page):  # noqa: F811
    _sign_in(page, live_server, "camille")
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"

    _open_first_article(page)

    counter = page.locator("#body-compteur")
    assert counter.inner_text() == "0 / 10,000 characters"
    page.locator("#body").fill("This article should say when it applies.")
    assert counter.inner_text() == "40 / 10,000 characters"

    page.locator("#body").fill("x" * 10_001)
    assert counter.inner_text() == (
        "10,001 / 10,000 characters: 1 too many, shorten the text before sending it."
    )
    alert = page.locator("#body-compteur + [aria-live]")
    assert alert.text_content() == "The text is 1 character over the limit of 10,000."
    page.locator("#body").fill("x" * 10_002)
    page.locator("#body").fill("x" * 10)
    assert alert.text_content() == "The text is within the limit of 10,000 characters."
    assert "caract" not in _normalise_spaces(page.locator("form").last.inner_text())
    assert _violations(page) == []
