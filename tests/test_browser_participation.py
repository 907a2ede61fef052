"""End to end in headless Chromium: a participant acts on contributions from the website, as a
person would — votes on an argument, changes and withdraws the vote, replies to it from its
card in the list, reports it, edits then withdraws their own contribution (after a
confirmation in the card), all without leaving the page, the focus brought to the result; and
the same without JavaScript, through plain forms and pages. Every page on the way passes
axe-core's WCAG 2.1 A/AA rules. Fixtures and helpers come from tests/test_browser.py."""

import re

import pytest

from tests.test_browser import (  # noqa: F401
    CHROMIUM,
    CHROMIUM_ARGS,
    _sign_in,
    _violations,
    live_server,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


def _prepare(db):
    """An argument by Camille and a comment by the reader, on the open bill's first article."""
    from consultation.accounts.services import find_user
    from consultation.consultations.models import Consultation
    from consultation.participation import services as participation

    consultation = db.session.scalar(
        db.select(Consultation).where(Consultation.title.like("Projet de loi pour une%"))
    )
    article = consultation.current_version.articles[0]
    argument = participation.submit_contribution(
        find_user("camille@demo.consultation.localhost"),
        consultation,
        kind="argument",
        position="for",
        article_id=article.id,
        title="Un argument à discuter",
        body="Cet article protège les données des lecteurs.",
    )
    mine = participation.submit_contribution(
        find_user("lecteur@demo.consultation.localhost"),
        consultation,
        kind="comment",
        article_id=article.id,
        body="Mon premier avis, à préciser.",
    )
    db.session.commit()
    ids = (consultation.slug, article.slug, argument.id, mine.id)
    db.session.close()  # outside a request a transaction takes the write lock: end it now
    return ids


def test_participant_votes_replies_edits_withdraws_and_reports(live_server, page, db):  # noqa: F811
    slug, article, argument, mine = _prepare(db)
    _sign_in(page, live_server, "lecteur")

    # Vote on the argument from the article page, without leaving it.
    page.goto(live_server + f"/consultations/{slug}/articles/{article}")
    page.evaluate("window.notReloaded = true")
    card = page.locator(f"#contribution-{argument}")
    card.get_by_label("D'accord", exact=True).check(force=True)
    card.get_by_role("button", name="Voter").click()
    notice = page.locator(f"#contribution-{argument}-annonce")
    notice.get_by_text("Votre avis « D'accord » est enregistré.").wait_for()
    assert page.evaluate("window.notReloaded") is True
    assert page.evaluate("document.activeElement.id") == f"contribution-{argument}-annonce"
    assert (
        "Votre avis « D'accord » est enregistré."
        in page.locator("#annonce-participation").inner_text()
    )
    assert "actuellement : D'accord" in card.inner_text()
    assert _violations(page) == []

    # Change it, then withdraw it.
    card.get_by_label("Pas d'accord", exact=True).check(force=True)
    card.get_by_role("button", name="Changer mon avis").click()
    notice.get_by_text("Votre avis « Pas d'accord » est enregistré.").wait_for()
    assert "1 pas d'accord" in card.inner_text()
    card.get_by_role("button", name=re.compile("^Retirer mon avis")).click()
    notice.get_by_text("Votre avis sur cette contribution est retiré.").wait_for()
    assert page.evaluate("window.notReloaded") is True
    assert card.get_by_role("button", name="Voter").count() == 1
    assert _violations(page) == []

    # Reply to the argument from its card in the list, without leaving the list.
    page.goto(live_server + f"/consultations/{slug}/contributions?ordre=recent")
    page.evaluate("window.notReloaded = true")
    card = page.locator(f"#contribution-{argument}")
    card.locator("summary").click()
    card.get_by_role("button", name=re.compile("^Envoyer ma réponse")).click()  # empty
    card.get_by_text("Écrivez votre commentaire.").wait_for()
    assert page.evaluate("document.activeElement.id") == f"reponse-{argument}-body"
    card.get_by_label("Votre réponse").fill("Et les données des auteurs ?")
    card.get_by_role("button", name=re.compile("^Envoyer ma réponse")).click()
    notice = page.locator(f"#contribution-{argument}-annonce")
    notice.get_by_text(re.compile("Votre réponse est enregistrée")).wait_for()
    assert page.evaluate("window.notReloaded") is True
    assert page.evaluate("document.activeElement.id") == f"contribution-{argument}-annonce"
    replies = page.locator(f"#contribution-{argument}-nouvelles-reponses")
    assert "Et les données des auteurs ?" in replies.inner_text()
    assert "Votre réponse est enregistrée" in page.locator("#annonce-participation").inner_text()
    assert _violations(page) == []

    # Report it in place: the form opens in the card; a missing reason is said beside it; once
    # sent, the form gives way to the message.
    card.get_by_role("link", name=re.compile("^Signaler")).click()
    panel = page.locator(f"#contribution-{argument}-signaler")
    panel.wait_for()
    assert page.evaluate("document.activeElement.id") == f"contribution-{argument}-signaler-titre"
    assert _violations(page) == []
    panel.get_by_label("Précisions (facultatif)").fill("Une publicité déguisée.")
    panel.get_by_role("button", name="Envoyer le signalement").click()
    panel.get_by_text("Choisissez un motif de signalement.").wait_for()
    assert panel.get_by_label("Précisions (facultatif)").input_value() == "Une publicité déguisée."
    panel.get_by_label("Spam ou publicité").check(force=True)
    panel.get_by_role("button", name="Envoyer le signalement").click()
    page.locator("[data-inplace-done]").get_by_text(
        "Vous avez signalé cette contribution."
    ).wait_for()
    assert page.evaluate("document.activeElement.hasAttribute('data-inplace-done')") is True
    assert "Vous avez signalé" in page.locator("#annonce-participation").inner_text()
    assert card.get_by_role("link", name=re.compile("^Signaler")).count() == 0
    assert page.evaluate("window.notReloaded") is True
    assert _violations(page) == []

    # Edit one's own contribution in place, from the article page.
    page.goto(live_server + f"/consultations/{slug}/articles/{article}")
    page.evaluate("window.notReloaded = true")
    own = page.locator(f"#contribution-{mine}")
    own.get_by_role("link", name=re.compile("^Modifier")).click()
    edit = page.locator(f"#contribution-{mine}-modifier")
    edit.wait_for()
    assert edit.get_by_label("Votre contribution").input_value() == "Mon premier avis, à préciser."
    assert _violations(page) == []
    edit.get_by_label("Votre contribution").fill("")
    edit.get_by_role("button", name="Enregistrer la modification").click()
    edit.get_by_text("Écrivez votre contribution.").wait_for()
    assert page.evaluate("document.activeElement.id") == f"modifier-{mine}-body"
    edit.get_by_label("Votre contribution").fill("Mon avis, précisé : l'article est utile.")
    edit.get_by_role("button", name="Enregistrer la modification").click()
    page.locator(f"#contribution-{mine}-annonce").get_by_text(
        "Votre contribution est modifiée"
    ).wait_for()
    assert page.evaluate("document.activeElement.id") == f"contribution-{mine}-annonce"
    assert "Mon avis, précisé : l'article est utile." in own.inner_text()
    assert "modifiée" in own.inner_text()
    assert page.evaluate("window.notReloaded") is True
    assert _violations(page) == []

    # Withdraw it after an in-place confirmation; « Annuler » closes it and gives the focus back.
    own.get_by_role("link", name=re.compile("^Retirer la")).click()
    confirm = page.locator(f"#contribution-{mine}-retirer")
    confirm.get_by_role("button", name="Annuler").click()
    assert confirm.count() == 0
    assert "Retirer" in page.evaluate("document.activeElement.textContent")
    own.get_by_role("link", name=re.compile("^Retirer la")).click()
    confirm.get_by_role("button", name="Confirmer le retrait").wait_for()
    assert _violations(page) == []
    confirm.get_by_role("button", name="Confirmer le retrait").click()
    page.locator(f"#contribution-{mine}-annonce").get_by_text(
        "Votre contribution est retirée"
    ).wait_for()
    assert page.evaluate("document.activeElement.id") == f"contribution-{mine}-annonce"
    assert own.get_by_text("Contribution retirée par son auteur").count() == 1
    assert "Mon avis, précisé" not in own.inner_text()
    assert "Votre contribution est retirée" in page.locator("#annonce-participation").inner_text()
    assert page.evaluate("window.notReloaded") is True
    assert _violations(page) == []


def test_without_javascript_the_same_actions_are_plain_forms_and_pages(
    live_server,  # noqa: F811
    page_without_javascript,  # noqa: F811
    db,
):
    slug, article, argument, mine = _prepare(db)
    # axe-core needs scripts: the test above checks these pages.
    page = page_without_javascript  # noqa: F811
    _sign_in(page, live_server, "lecteur")

    # The card's reply form is a plain form: it comes back to the list, at the card.
    listing = f"/consultations/{slug}/contributions?ordre=recent"
    page.goto(live_server + listing)
    card = page.locator(f"#contribution-{argument}")
    card.locator("summary").click()
    card.get_by_label("Votre réponse").fill("Une réponse sans script.")
    card.get_by_role("button", name=re.compile("^Envoyer ma réponse")).click()
    page.wait_for_load_state()
    assert page.url.endswith(listing + f"#contribution-{argument}")
    assert "Votre réponse est enregistrée" in card.inner_text()

    # Report, edit and withdraw lead to their pages, as before.
    card.get_by_role("link", name=re.compile("^Signaler")).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Signaler la contribution")
    page.get_by_label("Spam ou publicité").check(force=True)
    page.get_by_role("button", name="Envoyer le signalement").click()
    page.wait_for_load_state()
    assert (
        "Vous avez signalé cette contribution."
        in page.locator(f"#contribution-{argument}").inner_text()
    )

    page.goto(live_server + f"/consultations/{slug}/contributions/{mine}")
    page.locator(f"#contribution-{mine}").get_by_role("link", name=re.compile("^Modifier")).click()
    page.wait_for_load_state()
    page.get_by_label("Votre contribution").fill("Mon avis, précisé sans script.")
    page.get_by_role("button", name="Enregistrer la modification").click()
    page.wait_for_load_state()
    assert "Votre contribution est modifiée" in page.content()
    page.locator(f"#contribution-{mine}").get_by_role("link", name=re.compile("^Retirer")).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Retirer la contribution")
    page.get_by_role("button", name="Retirer définitivement ma contribution").click()
    page.wait_for_load_state()
    assert "Votre contribution est retirée" in page.content()
