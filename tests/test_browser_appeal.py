"""End to end in headless Chromium: the author of a hidden contribution follows the link of the
moderation e-mail, appeals, and a moderator finds the appeal first in the queue; the pages pass
axe-core's WCAG 2.1 A/AA rules."""

import re

from tests.test_browser import (  # noqa: F401 (fixtures)
    _sign_in,
    _violations,
    live_server,
    pytestmark,
)

WHY = "Je critique le projet, je n'insulte personne : relisez mon texte."


def test_the_author_appeals_from_the_email_link(live_server, page, db, outbox):  # noqa: F811
    from consultation.accounts.services import find_user
    from consultation.consultations.models import Consultation
    from consultation.moderation import services as moderation
    from consultation.participation import services as participation

    consultation = db.session.scalar(
        db.select(Consultation).where(Consultation.title.like("Projet de loi pour une%"))
    )
    author = find_user("camille@demo.consultation.localhost")
    moderator = find_user("moderateur@demo.consultation.localhost")
    item = participation.submit_contribution(
        author, consultation, kind="comment", body="Ce projet est une erreur complète."
    )
    db.session.commit()
    moderation.hide_contribution(moderator, item, "insult")
    db.session.commit()
    number, item_id = item.tracking_number, item.id
    db.session.close()  # the server's requests write: this session holds nothing
    _to, _subject, body = outbox()[-1]
    link = re.search(r"http://\S+/recours", body).group(0)
    path = link[link.index("/consultations/") :]

    _sign_in(page, live_server, "camille")
    page.goto(live_server + path)
    assert page.locator("h1").inner_text() == f"Contester le masquage de la contribution {number}"
    assert "Ce projet est une erreur complète." in page.content()
    assert _violations(page) == []

    page.get_by_role("button", name="Envoyer le recours").click()
    page.wait_for_load_state()
    assert "Expliquez en quoi votre contribution respecte la charte." in page.content()
    assert _violations(page) == []

    page.get_by_label("En quoi votre contribution respecte-t-elle la charte ?").fill(WHY)
    page.get_by_role("button", name="Envoyer le recours").click()
    page.wait_for_load_state()
    assert f"/contributions/{item_id}" in page.url
    assert "Votre recours est transmis à la modération" in page.content()
    assert _violations(page) == []

    page.goto(live_server + path)  # once only
    assert "Vous avez déjà formé un recours" in page.content()
    assert page.get_by_role("button", name="Envoyer le recours").count() == 0
    assert _violations(page) == []

    page.context.clear_cookies()
    _sign_in(page, live_server, "moderateur")
    page.goto(live_server + "/moderation/")
    page.get_by_role("link", name="Examiner les recours").click()
    page.wait_for_load_state()
    assert number in page.content() and "relisez mon texte" in page.content()
    assert _violations(page) == []
