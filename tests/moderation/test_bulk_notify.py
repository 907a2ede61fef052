"""A bulk decision tells the authors, sensibly: one e-mail per author of the contributions
hidden (or blocked), with the reason, the charter and an appeal link each, sent by a job once
the transaction commits; by default not for spam; never to offline observations nor erased
accounts; the same choice on the queue's form and in the API."""

import re
from datetime import timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from consultation.core import clock
from consultation.core.errors import ValidationFailed
from consultation.moderation import services
from consultation.participation import services as participation
from consultation.participation.models import Contribution
from tests.helpers import PASSWORD


@pytest.fixture
def selection(db, opened, organiser, make_user):
    """Two contributions by Anne, one by Bruno, one by an account erased since, one
    observation received by letter."""
    anne, bruno, gone = (
        make_user(display_name=name) for name in ("Anne", "Bruno", "Compte effacé")
    )
    items = {
        "anne": [
            participation.submit_contribution(anne, opened, kind="comment", body=f"Anne {n}")
            for n in range(2)
        ],
        "bruno": [participation.submit_contribution(bruno, opened, kind="comment", body="B.")],
        "gone": [participation.submit_contribution(gone, opened, kind="comment", body="G.")],
        "offline": [
            participation.record_offline_observation(
                organiser,
                opened,
                channel="letter",
                author_name="Mme Martin",
                body="Par courrier.",
                received_at=clock.now() - timedelta(hours=1),
            )
        ],
    }
    db.session.commit()
    participation.erase_participant(gone, PASSWORD)
    db.session.commit()
    return {"people": {"anne": anne, "bruno": bruno, "organiser": organiser}, "items": items}


def _ids(selection) -> list[int]:
    return [c.id for items in selection["items"].values() for c in items]


def _messages(app) -> list:
    folder = Path(app.config["MAIL_OUTBOX"])
    if not folder.exists():
        return []
    return [
        BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        for path in sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
    ]


def _appeal_link(opened, item) -> str:
    return f"http://localhost/consultations/{opened.slug}/contributions/{item.id}/recours"


def test_a_bulk_hiding_mails_each_active_author_once_after_the_commit(
    app, db, opened, moderator, selection
):
    app.config["MODERATION_REPLY_TO"] = "moderation@ministere.example.org"
    before = len(_messages(app))
    result = services.bulk_moderate(moderator, _ids(selection), "hide", reason="off_topic")
    assert len(result.done) == 5
    assert len(_messages(app)) == before  # nothing inside the transaction
    db.session.commit()

    sent = _messages(app)[before:]
    people = selection["people"]
    assert sorted(m["To"] for m in sent) == sorted([people["anne"].email, people["bruno"].email])
    by_to = {m["To"]: m for m in sent}
    anne = by_to[people["anne"].email]
    assert anne["Subject"] == "2 de vos contributions ont été masquées"
    assert anne["Reply-To"] == "moderation@ministere.example.org"
    body = anne.get_content()
    for item in selection["items"]["anne"]:
        assert item.tracking_number in body and _appeal_link(opened, item) in body
    assert "Motif : Hors sujet" in body and f"/consultations/{opened.slug}/charte" in body
    assert "répondre à ce courriel" in body
    bruno_item = selection["items"]["bruno"][0]
    bruno = by_to[people["bruno"].email]
    assert bruno["Subject"] == f"Votre contribution {bruno_item.tracking_number} a été masquée"
    assert _appeal_link(opened, bruno_item) in bruno.get_content()


def test_a_rolled_back_bulk_hiding_sends_nothing(app, db, opened, moderator, selection):
    before = len(_messages(app))
    services.bulk_moderate(moderator, _ids(selection), "hide", reason="insult", notify=True)
    db.session.rollback()
    db.session.commit()  # a later transaction does not send what was rolled back
    assert len(_messages(app)) == before
    assert not db.session.get(Contribution, selection["items"]["bruno"][0].id).is_hidden


def test_spam_is_cleared_silently_unless_the_moderator_asks(app, db, opened, moderator, selection):
    assert services.notify_by_default("spam") is False
    assert services.notify_by_default("insult") is True
    anne = selection["items"]["anne"]
    before = len(_messages(app))
    services.bulk_moderate(moderator, [anne[0].id], "hide", reason="spam")
    db.session.commit()
    assert len(_messages(app)) == before

    services.bulk_moderate(moderator, [anne[1].id], "hide", reason="spam", notify=True)
    db.session.commit()
    assert [m["To"] for m in _messages(app)[before:]] == [selection["people"]["anne"].email]


def test_notify_off_sends_nothing(app, db, opened, moderator, selection):
    before = len(_messages(app))
    services.bulk_moderate(moderator, _ids(selection), "hide", reason="insult", notify=False)
    db.session.commit()
    assert len(_messages(app)) == before


def test_notify_must_be_a_boolean_and_nothing_changes_otherwise(db, opened, moderator, selection):
    for value in ("oui", 1, [], {}):
        with pytest.raises(ValidationFailed) as refused:
            services.bulk_moderate(
                moderator, _ids(selection), "hide", reason="insult", notify=value
            )
        assert set(refused.value.fields) == {"notify"}
    db.session.rollback()
    assert (
        db.session.scalar(db.select(db.func.count()).where(Contribution.hidden_at.is_not(None)))
        == 0
    )


def test_a_bulk_block_tells_each_blocked_author_once(app, db, opened, moderator, selection):
    before = len(_messages(app))
    result = services.bulk_moderate(moderator, _ids(selection), "block", reason="insult")
    db.session.commit()
    # Anne's second contribution: already blocked; the letter: no author to block; the erased
    # account is blocked but not told.
    people = selection["people"]
    sent = _messages(app)[before:]
    assert sorted(m["To"] for m in sent) == sorted([people["anne"].email, people["bruno"].email])
    assert all("Motif : Injure ou harcèlement" in m.get_content() for m in sent)
    assert len(result.done) == 3


# --- The queue's form and the API ------------------------------------------------------------


@pytest.fixture
def reported(db, opened, selection, make_user):
    reporter = make_user()
    for item in selection["items"]["anne"] + selection["items"]["bruno"]:
        services.report_contribution(reporter, item, "insult")
    db.session.commit()
    return selection


def test_queue_form_notify_box_is_ticked_and_sends_when_ticked(
    app, client, db, opened, moderator, login_as, reported
):
    login_as(moderator)
    page = client.get("/moderation/").get_data(as_text=True)
    assert 'name="notify"' in page and "Prévenir les auteurs par e-mail" in page
    assert re.search(r'<input[^>]* checked [^>]*name="notify"', page)
    anne = reported["items"]["anne"]
    before = len(_messages(app))
    unticked = client.post(
        "/moderation/selection", data={"ids": [anne[0].id], "action": "hide", "reason": "insult"}
    )
    assert unticked.status_code == 302
    assert len(_messages(app)) == before  # an unticked box sends nothing

    ticked = client.post(
        "/moderation/selection",
        data={"ids": [anne[1].id], "action": "hide", "reason": "insult", "notify": "y"},
        follow_redirects=True,
    )
    assert "1 contribution traitée." in ticked.get_data(as_text=True)
    sent = _messages(app)[before:]
    assert [m["To"] for m in sent] == [reported["people"]["anne"].email]
    assert _appeal_link(opened, anne[1]) in sent[0].get_content()


def test_api_notify_parameter(app, client, db, opened, moderator, selection, bearer):
    headers = bearer(moderator)
    anne, bruno = selection["items"]["anne"], selection["items"]["bruno"]
    before = len(_messages(app))
    for value in ("oui", 1, 0, [], {"a": 1}):
        refused = client.post(
            "/api/v1/moderation/bulk",
            json={"action": "hide", "reason": "insult", "ids": [anne[0].id], "notify": value},
            headers=headers,
        )
        assert refused.status_code == 422, value
        error = refused.get_json()["error"]
        assert error["code"] == "invalid" and "notify" in error["fields"]
    assert not db.session.get(Contribution, anne[0].id).is_hidden

    quiet = client.post(
        "/api/v1/moderation/bulk",
        json={"action": "hide", "reason": "spam", "ids": [anne[0].id]},
        headers=headers,
    )
    assert quiet.status_code == 200 and quiet.get_json()["done"] == [anne[0].id]
    off = client.post(
        "/api/v1/moderation/bulk",
        json={"action": "hide", "reason": "insult", "ids": [anne[1].id], "notify": False},
        headers=headers,
    )
    assert off.status_code == 200
    assert len(_messages(app)) == before

    told = client.post(
        "/api/v1/moderation/bulk",
        json={"action": "hide", "reason": "spam", "ids": [bruno[0].id], "notify": True},
        headers=headers,
    )
    assert told.status_code == 200
    sent = _messages(app)[before:]
    assert [m["To"] for m in sent] == [selection["people"]["bruno"].email]
    assert _appeal_link(opened, bruno[0]) in sent[0].get_content()


def test_the_openapi_document_describes_notify(client):
    document = client.get("/api/v1/openapi.json").get_json()
    reference = document["paths"]["/moderation/bulk"]["post"]["requestBody"]["content"][
        "application/json"
    ]["schema"]["$ref"]
    body = document["components"]["schemas"][reference.rsplit("/", 1)[-1]]
    assert body["properties"]["notify"]["type"] == ["boolean", "null"]
    assert "spam" in body["properties"]["notify"]["description"]
