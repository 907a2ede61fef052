"""End to end in headless Chromium: a consultation on a real bill (the Sénat's projet de loi
n° 200, 2009-2010, tests/texts/real/) read in English — its page and table of contents, an
article, the contributions. The bill stays French and is marked so (WCAG 3.1.2: a screen
reader changes voice), the interface around it is English, its long alinéas and labels fit
a phone's width, and each page passes axe."""

from __future__ import annotations

from pathlib import Path

from tests.test_browser import (  # noqa: F401, F811 (fixtures)
    _violations,
    live_server,
    pytestmark,
)
from tests.test_browser_english import _french_sentences, _visible_text

BILL = Path(__file__).parent / "texts" / "real" / "pjl09-200_agriculture_senat.txt"


def test_a_real_bill_in_english(live_server, page, make_consultation, make_contribution):  # noqa: F811
    bill = make_consultation(
        "open",
        title="Projet de loi de modernisation de l'agriculture et de la pêche",
        summary="Le projet de loi déposé au Sénat le 13 janvier 2010 (n° 200, 2009-2010).",
        text=BILL.read_text(encoding="utf-8"),
    )
    make_contribution(bill, body="La définition de la politique de l'alimentation est trop large.")
    french = _french_sentences()

    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server + "/")
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()

    home = f"/consultations/{bill.slug}"
    problems: list[str] = []

    def visit(path: str) -> None:
        page.goto(live_server + path)
        page.wait_for_load_state()
        if page.locator("html").get_attribute("lang") != "en":
            problems.append(f"{path}: not marked English")
        shown = sorted(s for s in french if s in _visible_text(page))
        if shown:
            problems.append(f"{path}: French interface {shown[:5]}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            problems.append(f"{path}: {overflow}px wider than the screen")
        for violation in _violations(page):
            problems.append(f"{path}: axe {violation}")

    visit(home)
    # The table of contents lists the bill's titles and articles, in French and marked so.
    toc = page.locator("#sommaire a.fr-sidemenu__link")
    entries = [" ".join(e.split()) for e in toc.all_text_contents()]
    assert any("TITRE Ier" in entry for entry in entries), entries
    assert any("Article 24" in entry for entry in entries), entries
    assert page.locator("#sommaire [lang='fr']", has_text="Article 1er").count() == 1
    assert page.locator("h1[lang='fr']").inner_text().startswith("Projet de loi de modernisation")
    assert page.get_by_text("Chapitre préliminaire").count() >= 1

    articles = [
        href
        for href in page.locator("main a[href*='/articles/']").evaluate_all(
            "els => els.map(e => e.getAttribute('href'))"
        )
        if href and "#" not in href
    ]
    assert articles, "no link to an article"
    visit(articles[0])
    assert page.get_by_text("Art. L. 230-1.", exact=False).count() >= 1
    visit(home + "/contributions")
    assert page.get_by_text("politique de l'alimentation est trop large").count() >= 1
    assert problems == [], "\n".join(problems)
