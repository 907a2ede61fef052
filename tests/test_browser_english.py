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


# French words that English interface text never uses, looked for as whole words. What people
# wrote (the bill, the notice, contributions, names: `data-user-content`) and what is marked as
# another language than English (`lang="fr"`) are left out of the text they are looked for in.
FRENCH_WORDS = re.compile(
    r"(?<![\w'’-])(?:les|des|du|aux|une|vos|votre|vous|nous|aucune|aucun|être|été|à|où|"
    r"avec|dans|pour|sur|sont|est|ou|et|mais|cette|ces|"
    # Dates written in French: the month names English never uses.
    r"janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)"
    r"(?![\w'’-])",
    re.IGNORECASE,
)
# Interface text in French on purpose, with why.
FRENCH_ALLOWED = [
    "Licence Ouverte",  # the licence's name
    "Légifrance",  # a proper name
    "Français",  # the language link, in its own language
]
# What stands in quotation marks is cited, not written: the method page quotes the French
# words the analysis drops (“le”, “de”) or keeps (« pas », « contre »), and the French answers
# and cues it reads (« ne, pas, mais, plus, pouvoir », « Pourquoi ne pas taxer le kérosène ? »).
# English text quotes with “ ”, so « » holds French only; a cited word stays short (“le”).
CITED = re.compile(r"“[\w'’ -]{1,20}”|«[^«»]{1,160}»")
_INTERFACE_TEXT = """() => {
  const parts = [];
  const walk = (node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) { parts.push(child.textContent); continue; }
      if (child.nodeType !== Node.ELEMENT_NODE) continue;
      if (child.matches("script, style, noscript, template, [data-user-content]")) continue;
      const lang = child.getAttribute("lang");
      if (lang && !lang.startsWith("en")) continue;
      const style = getComputedStyle(child);
      if (style.display === "none" || style.visibility === "hidden") continue;
      walk(child);
    }
  };
  walk(document.body);
  return parts.join(" ");
}"""


def _interface_text(tab) -> str:
    """The visible text of the page that the interface wrote (screen-reader-only text
    included), without what people wrote and what is marked as another language."""
    text = CITED.sub(" ", " ".join(tab.evaluate(_INTERFACE_TEXT).split()))
    for allowed in FRENCH_ALLOWED:
        text = text.replace(allowed, " ")
    return text


def _french_words(tab) -> list[str]:
    """Each French function word the interface text shows, with a little of its context."""
    text = _interface_text(tab)
    return [text[max(m.start() - 30, 0) : m.end() + 30] for m in FRENCH_WORDS.finditer(text)]


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
        words = _french_words(page)
        if words:
            problems.append(f"{path}: French words {words[:8]}")
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
