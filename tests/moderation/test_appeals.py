"""Appeals against a hiding: the e-mail's way to appeal (a link to the form, a Reply-To to the
moderators), the author's appeal landing first in the moderators' queue, restored or rejected,
once per hiding and by the author alone; the same through the API."""

import re
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from consultation.moderation import appeals, services
from consultation.moderation.models import Appeal
from consultation.participation import services as participation

WHY = "Mon texte critique le projet sans insulter personne."


@pytest.fixture
def author(make_user):
    return make_user(display_name="Autrice")


@pytest.fixture
def hidden(db, opened, author, moderator):
    item = participation.submit_contribution(
        author, opened, kind="comment", body="Ce projet est une erreur."
    )
    db.session.commit()
    services.hide_contribution(moderator, item, "insult")
    db.session.commit()
    return item


def _messages(app) -> list:
    folder = Path(app.config["MAIL_OUTBOX"])
    return [
        BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        for path in sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
    ]


def _appeal_url(hidden, opened) -> str:
    return f"/consultations/{opened.slug}/contributions/{hidden.id}/recours"


def test_the_hiding_email_links_to_the_appeal_form(app, db, opened, author, moderator):
    item = participation.submit_contribution(author, opened, kind="comment", body="Un avis.")
    db.session.commit()
    services.hide_contribution(moderator, item, "off_topic")
    db.session.commit()
    message = _messages(app)[-1]
    body = message.get_content()
    assert message["To"] == author.email and "masquée" in message["Subject"]
    assert f"http://localhost/consultations/{opened.slug}/contributions/{item.id}/recours" in body
    assert message["Reply-To"] is None  # no moderation address configured
    assert "répondre à ce courriel" not in body


def test_with_a_moderation_address_the_email_can_be_answered(app, db, opened, author, moderator):
    app.config["MODERATION_REPLY_TO"] = "moderation@ministere.example.org"
    item = participation.submit_contribution(author, opened, kind="comment", body="Un avis.")
    db.session.commit()
    services.hide_contribution(moderator, item, "off_topic")
    db.session.commit()
    message = _messages(app)[-1]
    assert message["Reply-To"] == "moderation@ministere.example.org"
    assert "/recours" in message.get_content() and "répondre à ce courriel" in (
        message.get_content()
    )
    receipt = _messages(app)[0]
    assert receipt["Reply-To"] is None  # other e-mails are not moderation's


def test_the_author_appeals_and_a_moderator_restores(
    app, client, db, opened, hidden, author, moderator, login_as
):
    link = re.search(r"http://localhost(\S+/recours)", _messages(app)[-1].get_content()).group(1)
    login_as(author)
    page = client.get(link)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Contester le masquage" in text and "Ce projet est une erreur." in text
    empty = client.post(link, data={"body": "  "})
    assert empty.status_code == 422
    assert "Expliquez en quoi votre contribution respecte la charte." in empty.get_data(
        as_text=True
    )
    sent = client.post(link, data={"body": WHY})
    assert sent.status_code == 302
    assert sent.headers["Location"].endswith(f"/contributions/{hidden.id}")
    assert "Votre recours est transmis" in client.get(sent.headers["Location"]).get_data(
        as_text=True
    )

    again = client.post(link, data={"body": "Encore."})
    assert again.status_code == 409
    assert "déjà formé un recours" in again.get_data(as_text=True)
    assert db.session.query(Appeal).count() == 1

    login_as(moderator)
    queue = client.get("/moderation/").get_data(as_text=True)
    assert "1 recours d'auteur contre un masquage attend votre examen." in queue
    appealed = client.get("/moderation/?state=appealed").get_data(as_text=True)
    assert hidden.tracking_number in appealed and WHY.replace("'", "&#39;") in appealed
    detail = client.get(f"/moderation/contributions/{hidden.id}").get_data(as_text=True)
    assert WHY.replace("'", "&#39;") in detail
    restored = client.post(
        f"/moderation/contributions/{hidden.id}", data={"action": "restore", "note": "Recevable."}
    )
    assert restored.status_code == 302
    client.get(restored.headers["Location"])  # shows (and spends) the confirmation
    db.session.expire_all()
    assert not hidden.is_hidden
    assert db.session.get(Appeal, 1).resolution == "restored"
    told = _messages(app)[-1]
    assert told["To"] == author.email and "rétablie" in told.get_content()
    assert hidden.tracking_number not in client.get("/moderation/?state=appealed").get_data(
        as_text=True
    )
    assert "attend votre examen" not in client.get("/moderation/").get_data(as_text=True)


def test_a_moderator_rejects_the_appeal_and_the_author_is_told(app, db, hidden, author, moderator):
    appeals.appeal_hiding(author, hidden, WHY)
    db.session.commit()
    services.moderate(moderator, hidden, "dismiss", note="Insultant.")
    db.session.commit()
    assert hidden.is_hidden
    appeal = db.session.query(Appeal).one()
    assert (appeal.resolution, appeal.resolved_at is not None) == ("rejected", True)
    told = _messages(app)[-1]
    assert told["To"] == author.email and "reste masquée" in told.get_content()
    with pytest.raises(appeals.AlreadyAppealed):  # once per hiding, even after the decision
        appeals.appeal_hiding(author, hidden, "Encore.")


def test_a_new_hiding_can_be_appealed_again(db, hidden, author, moderator):
    appeals.appeal_hiding(author, hidden, WHY)
    db.session.commit()
    services.restore_contribution(moderator, hidden)
    db.session.commit()
    services.hide_contribution(moderator, hidden, "spam")
    db.session.commit()
    assert appeals.can_appeal(author, hidden)
    appeals.appeal_hiding(author, hidden, "Ce n'est pas de la publicité.")
    db.session.commit()
    assert db.session.query(Appeal).count() == 2


def test_nobody_else_appeals_and_nothing_public_is_appealed(
    client, db, opened, hidden, author, moderator, make_user, login_as
):
    url = _appeal_url(hidden, opened)
    assert client.get(url).status_code == 302  # sign in first
    for someone in (make_user(), moderator, make_user("admin")):
        login_as(someone)
        assert client.get(url).status_code == 404
        assert client.post(url, data={"body": WHY}).status_code == 404
    login_as(author)
    assert client.get(f"/consultations/autre/contributions/{hidden.id}/recours").status_code == 404
    public = participation.submit_contribution(author, opened, kind="comment", body="Publié.")
    db.session.commit()
    refused = client.post(_appeal_url(public, opened), data={"body": WHY})
    assert refused.status_code == 409
    assert "n&#39;est pas masquée" in refused.get_data(as_text=True)
    assert db.session.query(Appeal).count() == 0


def test_appeal_through_the_api(client, db, hidden, author, make_user, moderator, bearer):
    url = f"/api/v1/contributions/{hidden.id}/appeal"
    assert client.post(url, json={"body": WHY}).status_code == 401
    other = client.post(url, json={"body": WHY}, headers=bearer(make_user()))
    assert other.status_code == 404
    headers = bearer(author)
    empty = client.post(url, json={}, headers=headers)
    assert empty.status_code == 422 and "body" in empty.get_json()["error"]["fields"]
    made = client.post(url, json={"body": WHY}, headers=headers)
    assert made.status_code == 201 and made.get_json()["contribution_id"] == hidden.id
    twice = client.post(url, json={"body": WHY}, headers=headers)
    assert twice.status_code == 409
    assert twice.get_json()["error"]["code"] == "already_appealed"
    assert "déjà formé un recours" in twice.get_json()["error"]["message"]
    queue = client.get("/api/v1/moderation/queue?state=appealed", headers=bearer(moderator))
    [item] = queue.get_json()["items"]
    assert item["open_appeal"]["body"] == WHY


def test_the_contribution_page_offers_the_author_the_appeal_while_it_can_be_made(
    client, db, hidden, opened, author, login_as, make_user
):
    page = f"/consultations/{opened.slug}/contributions/{hidden.id}"
    link = _appeal_url(hidden, opened)
    assert link not in client.get(page).get_data(as_text=True)  # a visitor
    login_as(make_user())
    assert link not in client.get(page).get_data(as_text=True)  # someone else
    login_as(author)
    shown = client.get(page).get_data(as_text=True)
    assert "Contester le masquage" in shown and link in shown
    appeals.appeal_hiding(author, hidden, "Elle respecte la charte.")
    db.session.commit()
    assert link not in client.get(page).get_data(as_text=True)  # once per hiding
