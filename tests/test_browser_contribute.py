"""End to end in headless Chromium: a person contributes on one alinéa straight from the text,
with and without JavaScript; every page passes axe-core's WCAG 2.1 A/AA rules."""

# ruff: noqa: F811 (the fixtures imported from tests.test_browser are arguments here)

import re

import pytest

from tests.participation.paper_files import pdf_with_text
from tests.test_browser import (  # noqa: F401 (fixtures)
    CHROMIUM,
    CHROMIUM_ARGS,
    _normalise_spaces,
    _sign_in,
    _violations,
    live_server,
    pytestmark,
)

KIND_LEGENDS = (
    "Pour un argument",
    "Pour une proposition de rédaction",
    "Pour une proposition d'article nouveau",
    "Pour une source",
)


@pytest.fixture
def article(live_server, db):
    """The address and the alinéas of an article of the demo's open bill with two alinéas or
    more."""
    from consultation.consultations import queries
    from consultation.consultations.models import Consultation

    consultation = db.session.scalar(
        db.select(Consultation).where(Consultation.title.like("Projet de loi pour une%"))
    )
    chosen = next(a for a in queries.load_text(consultation).articles if len(a.paragraphs) >= 2)
    found = (
        f"/consultations/{consultation.slug}/articles/{chosen.slug}",
        f"article-{chosen.slug}-alinea-",
        [p.text for p in chosen.paragraphs],
    )
    db.session.close()  # outside a request a transaction takes the write lock: end it now
    return found


def _alinea_link(page, prefix: str, number: int, name: str):
    return page.locator(f"#{prefix}{number}").get_by_role("link", name=name)


def _visible_legends(page) -> list[str]:
    return [
        legend.inner_text()
        for legend in page.locator("[data-kind-fields] > legend").all()
        if legend.is_visible()
    ]


def _focused_name(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.name")


def test_proposing_a_wording_then_commenting_an_alinea(live_server, page, article):
    url, prefix, alineas = article
    _sign_in(page, live_server, "camille")
    page.goto(live_server + url)
    assert _violations(page) == []
    # With JavaScript, no kind is chosen yet: no kind's own fields show.
    assert _visible_legends(page) == []

    _alinea_link(page, prefix, 2, "Proposer une rédaction").click()
    assert page.url == live_server + url  # filled in place, no new page
    assert page.locator(
        "form[data-contribution-form] input[name=kind][value=amendment]"
    ).is_checked()
    assert page.locator("form[data-contribution-form] select[name=paragraph]").input_value() == "2"
    wording = page.locator("textarea[name=proposed_text]")
    assert wording.input_value() == alineas[1]
    assert _focused_name(page) == "proposed_text"
    assert _visible_legends(page) == ["Pour une proposition de rédaction"]
    assert "alinéa 2" in page.locator("#contribution-annonce").inner_text()
    assert _violations(page) == []

    wording.fill(alineas[1] + " Cette disposition entre en vigueur un an après la publication.")
    page.get_by_role("textbox", name="Votre contribution").fill(
        "Laisser aux administrations le temps de s'y préparer."
    )
    page.get_by_role("button", name="Envoyer ma contribution").click()
    page.wait_for_load_state()
    assert "/contributions/" in page.url
    assert "Votre contribution est enregistrée sous le numéro C-" in page.content()
    assert "un an après la publication" in page.content()
    assert _violations(page) == []

    page.goto(live_server + url)
    _alinea_link(page, prefix, 1, "Commenter cet alinéa").click()
    assert page.locator("form[data-contribution-form] input[name=kind][value=comment]").is_checked()
    assert page.locator("form[data-contribution-form] select[name=paragraph]").input_value() == "1"
    assert _visible_legends(page) == []  # a comment has no field of its own
    assert _focused_name(page) == "body"
    too_long = "Un commentaire collé depuis un traitement de texte. " + "x" * 10_000
    page.keyboard.insert_text(too_long)  # as a paste does: a maxlength would cut it here
    body = page.locator("form[data-contribution-form] textarea[name=body]")
    assert body.input_value() == too_long
    excess = len(too_long) - 10_000
    counter = _normalise_spaces(page.locator("#body-compteur").inner_text())
    assert counter.startswith(f"10 0{excess} / 10 000 caractères : {excess} de trop")
    assert _violations(page) == []

    page.get_by_role("button", name="Envoyer ma contribution").click()
    page.wait_for_load_state()
    assert (
        page.locator("form[data-contribution-form] textarea[name=body]").input_value() == too_long
    )  # kept whole
    error = _normalise_spaces(page.locator("#body-error").inner_text())
    assert f"Ce texte fait 10 0{excess} caractères, pour 10 000 au maximum" in error
    assert page.locator("form[data-contribution-form] input[name=kind][value=comment]").is_checked()
    assert page.locator("form[data-contribution-form] select[name=paragraph]").input_value() == "1"
    assert _violations(page) == []


def test_choosing_another_alinea_follows_with_the_wording_unless_edited(
    live_server,
    page,
    article,
):
    url, prefix, alineas = article
    _sign_in(page, live_server, "camille")
    page.goto(live_server + url)
    page.get_by_role("radio", name="Proposition de rédaction", exact=True).check(force=True)
    assert _visible_legends(page) == ["Pour une proposition de rédaction"]
    wording = page.locator("textarea[name=proposed_text]")
    assert wording.input_value() == "\n".join(alineas)  # the whole article at first
    page.locator("form[data-contribution-form] select[name=paragraph]").select_option("2")
    assert wording.input_value() == alineas[1]
    wording.fill("Ma propre rédaction.")
    page.locator("form[data-contribution-form] select[name=paragraph]").select_option("1")
    assert wording.input_value() == "Ma propre rédaction."  # never overwritten
    page.get_by_role("radio", name="Source", exact=True).check(force=True)
    assert _visible_legends(page) == ["Pour une source"]


def test_without_javascript_every_kind_is_labelled_and_the_form_works(
    live_server, page_without_javascript, article
):
    page = page_without_javascript
    url, prefix, alineas = article
    _sign_in(page, live_server, "camille")
    page.goto(live_server + url)
    assert _visible_legends(page) == list(KIND_LEGENDS)
    # (axe needs scripts: the same pages pass it in the tests above, with JavaScript)

    _alinea_link(page, prefix, 2, "Proposer une rédaction").click()
    page.wait_for_load_state()
    assert "type=amendment" in page.url and "alinea=2" in page.url
    assert _visible_legends(page) == list(KIND_LEGENDS)
    assert page.locator(
        "form[data-contribution-form] input[name=kind][value=amendment]"
    ).is_checked()
    assert page.locator("form[data-contribution-form] select[name=paragraph]").input_value() == "2"
    wording = page.locator("textarea[name=proposed_text]")
    assert wording.input_value() == alineas[1]
    # The other kinds' fields, shown but not used: a source's address left as typed is ignored.
    page.get_by_label("Adresse de la source (http:// ou https://)").fill("pas une adresse")
    wording.fill("Une rédaction plus simple.")
    page.get_by_role("textbox", name="Votre contribution").fill("Plus lisible pour tous.")
    # A written contribution attached, as an organisation would, without JavaScript.
    page.locator("input[name=paper]").set_input_files(
        {
            "name": "position.pdf",
            "mimeType": "application/pdf",
            "buffer": pdf_with_text("Notre position : simplifier le texte."),
        }
    )
    page.get_by_role("button", name="Envoyer ma contribution").click()
    page.wait_for_load_state()
    assert "Votre contribution est enregistrée sous le numéro C-" in page.content()
    assert "Une rédaction plus simple." in page.content()
    assert "Contribution écrite jointe (PDF" in page.content()

    page.goto(live_server + url)
    _alinea_link(page, prefix, 1, "Commenter cet alinéa").click()
    page.wait_for_load_state()
    page.get_by_role("textbox", name="Votre contribution").fill("Trop court ? " + "y" * 10_000)
    page.get_by_role("button", name="Envoyer ma contribution").click()
    page.wait_for_load_state()
    assert (
        len(page.locator("form[data-contribution-form] textarea[name=body]").input_value())
        == 10_013
    )
    assert "Ce texte fait 10" in page.locator("#body-error").inner_text()


def test_a_visitor_is_asked_to_sign_in_and_comes_back_to_the_alinea(
    live_server,
    page,
    article,
):
    url, prefix, alineas = article
    page.goto(live_server + url)
    link = _alinea_link(page, prefix, 2, re.compile("^Commenter cet alinéa"))
    assert "après connexion" in link.inner_text() or "après connexion" in (
        link.get_attribute("aria-label") or link.text_content()
    )
    link.click()
    page.wait_for_load_state()
    assert "/connexion" in page.url
    page.get_by_label("Adresse e-mail").fill("camille@demo.consultation.localhost")
    page.get_by_label("Mot de passe").first.fill("consultation-demo")
    page.get_by_role("button", name="Se connecter").last.click()
    page.wait_for_load_state()
    assert url in page.url and "alinea=2" in page.url
    assert page.locator("form[data-contribution-form] input[name=kind][value=comment]").is_checked()
    assert page.locator("form[data-contribution-form] select[name=paragraph]").input_value() == "2"
    assert _violations(page) == []
