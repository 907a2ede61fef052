"""End to end in headless Chromium: a visitor chooses English with the footer's language link
and walks the public pages of the demo — home, the list of consultations, an open bill, one of
its articles, its contributions, one contribution, the search, the tracking page, sign-in and
registration, the published synthesis and its method, open data, the record, the charter and
the site map. No page shows a sentence of the French interface (a message of the catalogue
whose English differs), whatever the French user content around it, and each passes axe.
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

from tests.test_browser import (  # noqa: F401, F811 (fixtures)
    _violations,
    live_server,
    page,
    pytestmark,
)

CATALOGUE = (
    Path(__file__).resolve().parent.parent / "consultation/translations/en/LC_MESSAGES/messages.po"
)
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")
TAG = re.compile(r"<[^>]+>")


def _french_sentences() -> set[str]:
    """The fixed pieces, of at least four words, of every French message whose English
    differs: what an English page must not show (shorter pieces, « au plus tard », occur in
    the bills' own text)."""
    with CATALOGUE.open("rb") as file:
        catalogue = read_po(file)
    sentences = set()
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for french, english in zip(ids, strings, strict=False):
            if french == english:
                continue
            for piece in PLACEHOLDER.split(TAG.sub(" ", french)):
                piece = " ".join(piece.split()).strip(" .,:;…«»")
                if len(piece.split()) >= 4:
                    sentences.add(piece)
    return sentences


def _visible_text(tab) -> str:
    return " ".join(tab.locator("body").inner_text().split())


def _links(tab, selector: str) -> list[str]:
    return [
        href for href in tab.locator(selector).evaluate_all("els => els.map(e => e.href)") if href
    ]


def test_the_public_pages_in_english_show_no_french_interface(live_server, page):  # noqa: F811
    french = _french_sentences()
    assert len(french) > 300

    page.goto(live_server + "/")
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"

    bills = [u for u in _links(page, "main a[href*='/consultations/']") if u.count("/") == 4]
    assert bills
    paths = ["/", "/consultations"]
    for bill in dict.fromkeys(bills):
        paths.append(bill.removeprefix(live_server))
    walked, problems = [], []

    def visit(path: str) -> None:
        page.goto(live_server + path)
        page.wait_for_load_state()
        walked.append(path)
        if page.locator("html").get_attribute("lang") != "en":
            problems.append(f"{path}: not marked English")
        text = _visible_text(page)
        shown = sorted(s for s in french if s in text)
        if shown:
            problems.append(f"{path}: {shown[:5]}")
        for violation in _violations(page):
            problems.append(f"{path}: axe {violation}")

    for path in paths:
        visit(path)

    # From the open bill: an article, the contributions, one contribution; from a bill whose
    # synthesis is published: the synthesis.
    for bill in paths[2:]:
        page.goto(live_server + bill)
        articles = _links(page, "main a[href*='/articles/']")
        if articles and "/articles/" not in "".join(walked):
            visit(articles[0].removeprefix(live_server))
            visit(bill + "/contributions")
            cards = [u for u in _links(page, "main a[href*='/contributions/']") if u[-1].isdigit()]
            if cards:
                visit(cards[0].removeprefix(live_server))
            page.goto(live_server + bill)
        if _links(page, f"main a[href$='{bill}/synthese']") and "/synthese" not in "".join(walked):
            visit(bill + "/synthese")

    for path in (
        "/recherche?q=numerique",
        "/suivi",
        "/connexion",
        "/inscription",
        "/synthese/methode",
        "/donnees-ouvertes",
        "/donnees-ouvertes/registre",
        "/charte-de-moderation",
        "/plan-du-site",
        "/accessibilite",
    ):
        visit(path)

    assert any("/articles/" in p for p in walked), walked
    assert any(p.endswith("/synthese") for p in walked), walked
    assert problems == [], "\n".join(problems)
