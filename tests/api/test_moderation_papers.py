"""The moderators read through the API the position papers they act on, under the rule of the
moderation page: the queue and the decision's answer give each contribution's paper (name,
size, SHA-256 and the moderators' address) whatever its state, and that address serves the
current file to a token whose user may moderate the contribution, hidden or withdrawn
included, as the web serves it and kept by no cache."""

from __future__ import annotations

import hashlib
import html
import re

from jsonschema import Draft202012Validator

from consultation.api.openapi import document
from consultation.moderation import services as moderation
from consultation.participation import services as participation
from tests.participation.paper_files import SECOND


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _url(item) -> str:
    return f"/api/v1/moderation/contributions/{item.id}/paper"


def _read(client, url: str, headers: dict, content: bytes) -> None:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response.headers["Content-Disposition"] == (
        "inline; filename=\"revue.pdf\"; filename*=UTF-8''revue.pdf"
    )
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Content-Length"] == str(len(content))
    assert response.get_data() == content
    response.close()


def _violations(instance, name: str) -> list[str]:
    schema = {"$ref": f"#/components/schemas/{name}", "components": document()["components"]}
    return [error.message for error in Draft202012Validator(schema).iter_errors(instance)]


def test_the_queue_gives_a_hidden_contributions_paper_and_its_address_serves_it(
    client, db, opened, papered, moderator, make_contribution, bearer
):
    plain = make_contribution(opened, body="Sans pièce jointe.")
    moderation.hide_contribution(moderator, papered, "insult")
    moderation.hide_contribution(moderator, plain, "insult")
    db.session.commit()
    headers = bearer(moderator)
    queue = client.get("/api/v1/moderation/queue?state=hidden", headers=headers).get_json()
    assert _violations(queue, "ModerationQueue") == []
    by_id = {item["contribution"]["id"]: item["contribution"] for item in queue["items"]}
    assert by_id[plain.id]["paper"] is None
    paper = by_id[papered.id]["paper"]
    assert paper == {
        "name": "revue.pdf",
        "size": len(SECOND),
        "sha256": _sha(SECOND),
        "url": f"http://localhost{_url(papered)}",
    }
    assert by_id[papered.id]["body"] == "Notre position, en pièce jointe."  # hidden, shown here
    # Gone for the public, as its text is.
    public = client.get(f"/api/v1/contributions/{papered.id}").get_json()["paper"]
    assert public == {"name": None, "size": None, "sha256": _sha(SECOND), "url": None}
    _read(client, paper["url"].removeprefix("http://localhost"), headers, SECOND)


def test_an_administrator_reads_a_withdrawn_contributions_paper(
    client, db, papered, make_user, bearer
):
    participation.withdraw_contribution(papered.author, papered)
    db.session.commit()
    _read(client, _url(papered), bearer(make_user("admin")), SECOND)


def test_a_published_contributions_paper_too_and_the_decision_answer_gives_it(
    client, db, papered, moderator, bearer
):
    headers = bearer(moderator)
    _read(client, _url(papered), headers, SECOND)
    answer = client.post(
        f"/api/v1/contributions/{papered.id}/moderation",
        json={"action": "hide", "reason": "insult"},
        headers=headers,
    )
    assert answer.status_code == 200
    assert _violations(answer.get_json(), "Moderated") == []
    assert answer.get_json()["hidden"] is True
    assert answer.get_json()["paper"]["sha256"] == _sha(SECOND)
    assert answer.get_json()["paper"]["url"].endswith(_url(papered))
    _read(client, _url(papered), headers, SECOND)  # still served, now hidden


def test_nobody_else_reads_it_and_the_web_and_the_api_agree(
    client,
    db,
    papered,
    moderator,
    organiser,
    make_user,
    make_institution,
    bearer,
    login_as,
):
    moderation.hide_contribution(moderator, papered, "insult")
    db.session.commit()
    anonymous = client.get(_url(papered))
    assert (anonymous.status_code, anonymous.get_json()["error"]["code"]) == (401, "unauthorized")
    other = make_institution()
    refused = {
        "the author": papered.author,
        "a participant": make_user(),
        "the institution's organiser": organiser,
        "an organiser of another institution": make_user("organiser", institution=other),
        "a moderator of another institution": make_user("moderator", institution=other),
    }
    web = f"/moderation/contributions/{papered.id}/contribution-ecrite/revue.pdf"
    for who, user in refused.items():
        response = client.get(_url(papered), headers=bearer(user))
        assert response.status_code == 403, who
        assert response.get_json()["error"]["code"] == "forbidden", who
        assert b"%PDF" not in response.get_data()
        login_as(user)
        assert client.get(web).status_code == 403, who  # the same rule on the web
    # A participant learns nothing of which contributions exist.
    unknown = client.get(
        "/api/v1/moderation/contributions/999999/paper", headers=bearer(make_user())
    )
    assert unknown.status_code == 403


def test_without_a_paper_or_a_contribution_it_is_not_found(
    client, db, opened, papered, moderator, bearer
):
    plain = participation.submit_contribution(
        papered.author, opened, kind="comment", body="Sans contribution écrite."
    )
    db.session.commit()
    headers = bearer(moderator)
    for url in (
        f"/api/v1/moderation/contributions/{plain.id}/paper",
        "/api/v1/moderation/contributions/999999/paper",
    ):
        response = client.get(url, headers=headers)
        assert (response.status_code, response.get_json()["error"]["code"]) == (404, "not_found")
    removed = client.get(f"/api/v1/moderation/contributions/{plain.id}/paper", headers=headers)
    assert removed.get_json()["error"]["message"] == (
        "Cette contribution n'a pas de contribution écrite jointe."
    )


def test_a_removed_paper_is_no_longer_served(client, db, papered, moderator, bearer):
    participation.edit_contribution(papered.author, papered, {}, remove_paper=True)
    db.session.commit()
    headers = bearer(moderator)
    assert client.get(_url(papered), headers=headers).status_code == 404
    queue = client.get("/api/v1/moderation/queue?state=all", headers=headers).get_json()
    [item] = [i for i in queue["items"] if i["contribution"]["id"] == papered.id]
    assert item["contribution"]["paper"] is None


def test_the_api_guide_gives_the_queues_paper_and_its_address(client):
    guide = re.sub(r"\s+", " ", html.unescape(client.get("/api").get_data(as_text=True)))
    assert "GET /api/v1/moderation/contributions/{id}/paper" in guide
    assert "sa contribution écrite jointe (paper : nom, taille, SHA-256 et adresse" in guide
    assert "Cache-Control: private, no-store" in guide
