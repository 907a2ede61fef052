"""End to end in headless Chromium: a participant acts on contributions from the website, as a
person would — votes on an argument, changes and withdraws the vote (sent without reloading
the page, the focus brought to the confirmation), replies to it, edits then withdraws their
own contribution (through a confirmation page), and reports one. Every page on the way passes
axe-core's WCAG 2.1 A/AA rules. Fixtures and helpers come from tests/test_browser.py."""

import re

import pytest

from tests.test_browser import CHROMIUM, _sign_in, _violations, live_server, page  # noqa: F401

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

    # Reply to the argument, from its card.
    card.get_by_role("link", name=re.compile("^Répondre")).click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/contributions/{argument}#repondre")
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name="Répondre", exact=True).click()  # empty: refused in place
    page.locator("#resume-erreurs").wait_for()
    assert page.evaluate("document.activeElement.id") == "resume-erreurs"
    page.get_by_label("Votre commentaire").fill("Et les données des auteurs ?")
    page.get_by_role("button", name="Répondre", exact=True).click()
    page.locator("#reponses .section-messages").get_by_text(
        re.compile("Votre réponse est enregistrée")
    ).wait_for()
    assert page.evaluate("window.notReloaded") is True
    assert page.evaluate("document.activeElement.className") == "section-messages"
    assert "Et les données des auteurs ?" in page.locator("#reponses").inner_text()
    assert _violations(page) == []

    # Report it once: the link gives way to a message.
    page.locator(f"#contribution-{argument}").get_by_role(
        "link", name=re.compile("^Signaler")
    ).click()
    page.wait_for_load_state()
    assert _violations(page) == []
    page.get_by_label("Spam ou publicité").check(force=True)
    page.get_by_role("button", name="Envoyer le signalement").click()
    page.wait_for_load_state()
    own_card = page.locator(f"#contribution-{argument}")
    assert own_card.get_by_text("Vous avez signalé cette contribution.").count() == 1
    assert own_card.get_by_role("link", name=re.compile("^Signaler")).count() == 0
    assert _violations(page) == []

    # Edit one's own contribution: the earlier wording stays viewable.
    page.goto(live_server + f"/consultations/{slug}/contributions/{mine}")
    page.locator(f"#contribution-{mine}").get_by_role("link", name=re.compile("^Modifier")).click()
    page.wait_for_load_state()
    assert page.get_by_label("Votre contribution").input_value() == "Mon premier avis, à préciser."
    assert _violations(page) == []
    page.get_by_label("Votre contribution").fill("Mon avis, précisé : l'article est utile.")
    page.get_by_role("button", name="Enregistrer la modification").click()
    page.wait_for_load_state()
    content = page.content()
    assert "Votre contribution est modifiée" in content and "modifiée" in content
    assert (
        "Mon avis, précisé : l'article est utile."
        in page.locator(f"#contribution-{mine}").inner_text()
    )
    page.get_by_text("1 version antérieure").click()
    assert page.get_by_text("Mon premier avis, à préciser.").is_visible()
    assert _violations(page) == []

    # Withdraw it, through a confirmation page.
    page.locator(f"#contribution-{mine}").get_by_role("link", name=re.compile("^Retirer")).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Retirer la contribution")
    assert _violations(page) == []
    page.get_by_role("button", name="Retirer définitivement ma contribution").click()
    page.wait_for_load_state()
    assert "Votre contribution est retirée" in page.content()
    assert (
        page.locator(f"#contribution-{mine}")
        .get_by_text("Contribution retirée par son auteur")
        .count()
        == 1
    )
    assert "Mon avis, précisé" not in page.locator(f"#contribution-{mine}").inner_text()
    assert _violations(page) == []
