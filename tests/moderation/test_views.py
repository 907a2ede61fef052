"""Moderation as people see it: reporting, the queue with bulk actions, hidden contributions
absent from every surface, blocks, the charter and public figures; and the API."""

import pytest

from consultation.moderation import services
from consultation.moderation.models import ModerationDecision, Report
from consultation.participation import services as participation
from consultation.participation.models import Contribution

SECRET = "Mon numéro est le 06 12 34 56 78"


@pytest.fixture
def article(opened):
    return opened.current_version.articles[0]


@pytest.fixture
def argument(db, opened, article, make_user):
    item = participation.submit_contribution(
        make_user(display_name="Auteur"),
        opened,
        kind="argument",
        position="against",
        article_id=article.id,
        body=SECRET,
    )
    db.session.commit()
    return item


def test_a_hidden_contribution_shows_only_its_reason_everywhere(
    client, db, opened, article, argument, moderator, make_user
):
    services.hide_contribution(moderator, argument, "personal_data")
    db.session.commit()
    notice = "Contribution masquée par la modération — motif : données personnelles"
    pages = [
        f"/consultations/{opened.slug}/articles/{article.slug}",
        f"/consultations/{opened.slug}/contributions?ordre=recent",
        f"/consultations/{opened.slug}/contributions/{argument.id}",
    ]
    for url in pages:
        page = client.get(url).get_data(as_text=True)
        assert SECRET not in page, url
        assert notice in page, url
    apis = [
        f"/api/v1/consultations/{opened.slug}/contributions?sort=recent",
        f"/api/v1/contributions/{argument.id}",
    ]
    for url in apis:
        body = client.get(url).get_data(as_text=True)
        assert "06 12 34 56 78" not in body, url
    data = client.get(f"/api/v1/contributions/{argument.id}").get_json()
    assert data["body"] is None
    assert data["moderation"] == {
        "hidden": True,
        "reason": "personal_data",
        "notice": notice,
        "duplicate_of": None,
    }
    # Still counted on the article.
    detail = client.get(f"/api/v1/consultations/{opened.slug}").get_json()
    assert detail["articles"][0]["contributions_count"] == 1


def test_every_contribution_form_links_to_the_consultation_charter(
    client, db, opened, article, argument, login_as, make_user
):
    comment = participation.submit_contribution(
        argument.author, opened, kind="comment", body="Un commentaire."
    )
    login_as(make_user())
    charter_link = f"/consultations/{opened.slug}/charte"
    for url in (
        f"/consultations/{opened.slug}/articles/{article.slug}",
        f"/consultations/{opened.slug}/contributions",
        f"/consultations/{opened.slug}/contributions/{comment.id}",  # reply form
        f"/contributions/{argument.id}/signaler",
    ):
        page = client.get(url).get_data(as_text=True)
        assert "<form" in page and charter_link in page, url
    charter = client.get(charter_link).get_data(as_text=True)
    assert opened.notice.moderation_charter.split(".")[0] in charter
    assert "Spam ou publicité" in charter


def test_reporting_from_the_page(client, db, opened, argument, login_as, make_user):
    url = f"/contributions/{argument.id}/signaler"
    assert client.get(url).status_code == 302  # sign in first
    login_as(make_user())
    form = client.get(url)
    assert form.status_code == 200 and "Pourquoi signalez-vous" in form.get_data(as_text=True)

    missing = client.post(url, data={"details": "Numéro de téléphone d'un tiers."})
    page = missing.get_data(as_text=True)
    assert missing.status_code == 422
    assert "Choisissez un motif de signalement." in page
    assert "Numéro de téléphone d&#39;un tiers." in page  # what was typed is kept

    sent = client.post(url, data={"reason": "personal_data", "details": "Un numéro."})
    assert sent.status_code == 302
    report = db.session.scalar(db.select(Report))
    assert (report.reason.value, report.details) == ("personal_data", "Un numéro.")
    again = client.post(url, data={"reason": "spam"}, follow_redirects=True)
    assert "déjà signalé" in again.get_data(as_text=True)


def test_the_report_form_states_the_limit_of_the_moment_in_the_readers_language(
    client, argument, login_as, make_user, monkeypatch
):
    from consultation.moderation import limits

    login_as(make_user())
    url = f"/contributions/{argument.id}/signaler"
    hint = "caractères au maximum. Visible des seuls modérateurs."
    page = client.get(url).get_data(as_text=True)
    assert f"1\u202f000 {hint}" in page  # DETAILS_MAX, a narrow no-break space apart
    monkeypatch.setattr(limits, "DETAILS_MAX", 12_345)
    assert f"12\u202f345 {hint}" in client.get(url).get_data(as_text=True)
    client.get(f"/langue/en?suivant={url}")
    english = client.get(url).get_data(as_text=True)
    assert "12,345 characters at most. Visible to moderators only." in english


def test_queue_is_for_moderators_of_the_institution(
    client, db, argument, moderator, login_as, make_user, make_institution, organiser
):
    services.report_contribution(make_user(), argument, "spam", "Encore de la publicité.")
    db.session.commit()
    assert client.get("/moderation/").status_code == 302
    for user in (make_user(), organiser):
        login_as(user)
        assert client.get("/moderation/").status_code == 403
    login_as(make_user("moderator", institution=make_institution()))
    assert argument.tracking_number not in client.get("/moderation/").get_data(as_text=True)
    assert client.get(f"/moderation/contributions/{argument.id}").status_code == 403

    login_as(moderator)
    page = client.get("/moderation/").get_data(as_text=True)
    assert argument.tracking_number in page and "Spam ou publicité : 1" in page
    assert "Encore de la publicité." in page
    filtered = client.get("/moderation/?reason=insult").get_data(as_text=True)
    assert argument.tracking_number not in filtered
    wrong = client.get("/moderation/?state=nimporte")
    assert wrong.status_code == 422
    assert "État inconnu" in wrong.get_data(as_text=True)


def test_bulk_action_from_the_queue(client, db, opened, moderator, login_as, make_user):
    spammer = make_user()
    items = [
        participation.submit_contribution(spammer, opened, kind="comment", body=f"Pub {n}")
        for n in range(120)
    ]
    keep = participation.submit_contribution(make_user(), opened, kind="comment", body="Utile")
    for item in [*items, keep]:
        services.report_contribution(make_user(), item, "spam")
    db.session.commit()
    login_as(moderator)
    page = client.get("/moderation/?taille=200").get_data(as_text=True)
    assert page.count('name="ids"') == 121

    no_reason = client.post(
        "/moderation/selection", data={"ids": [i.id for i in items], "action": "hide"}
    )
    assert no_reason.status_code == 302
    assert (
        db.session.scalar(db.select(db.func.count()).where(Contribution.hidden_at.is_not(None)))
        == 0
    )

    done = client.post(
        "/moderation/selection",
        data={"ids": [i.id for i in items], "action": "hide", "reason": "spam"},
        follow_redirects=True,
    )
    assert "120 contributions traitées." in done.get_data(as_text=True)
    hidden = db.session.scalar(
        db.select(db.func.count()).where(Contribution.hidden_at.is_not(None))
    )
    assert hidden == 120
    assert not db.session.get(Contribution, keep.id).is_hidden
    assert db.session.scalar(db.select(db.func.count()).select_from(ModerationDecision)) == 120
    queue = client.get("/moderation/").get_data(as_text=True)
    assert keep.tracking_number in queue and items[0].tracking_number not in queue


def test_decision_page_and_duplicate_errors(
    client, db, opened, argument, moderator, login_as, make_user, make_consultation
):
    other = make_consultation("open", title="Autre consultation")
    foreign = participation.submit_contribution(make_user(), other, kind="comment", body="Ail.")
    db.session.commit()
    login_as(moderator)
    url = f"/moderation/contributions/{argument.id}"
    page = client.get(url).get_data(as_text=True)
    assert SECRET in page  # moderators read the text

    wrong = client.post(
        url, data={"action": "duplicate", "duplicate_of": foreign.tracking_number, "note": "Vu"}
    )
    assert wrong.status_code == 422
    text = wrong.get_data(as_text=True)
    assert "doit appartenir à la même consultation" in text and foreign.tracking_number in text

    no_reason = client.post(url, data={"action": "hide"})
    assert no_reason.status_code == 422 and "Choisissez un motif." in no_reason.get_data(
        as_text=True
    )

    hidden = client.post(url, data={"action": "hide", "reason": "insult", "note": "Injure."})
    assert hidden.status_code == 302
    history = client.get(url).get_data(as_text=True)
    assert "Masquage (injure ou harcèlement) — Modératrice : « Injure. »" in history
    journal = client.get("/moderation/journal").get_data(as_text=True)
    assert argument.tracking_number in journal


def test_blocked_participant_sees_why_instead_of_the_forms(
    client, db, opened, article, argument, moderator, login_as
):
    services.moderate(moderator, argument, "block", reason="insult")
    db.session.commit()
    login_as(argument.author)
    page = client.get(f"/consultations/{opened.slug}/articles/{article.slug}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Vous ne pouvez plus écrire ici" in text and "injure ou harcèlement" in text
    assert "Envoyer ma contribution" not in text and "Enregistrer mon avis" not in text
    refused = client.post(
        f"/consultations/{opened.slug}/articles/{article.slug}/contributions",
        data={"kind": "comment", "body": "Je reviens."},
    )
    assert refused.status_code == 422
    assert db.session.scalar(db.select(db.func.count()).select_from(Contribution)) == 1

    login_as(moderator)
    blocks = client.get("/moderation/blocages").get_data(as_text=True)
    assert "Auteur" in blocks
    block_id = participation.active_block(argument.author, opened.institution_id).id
    assert client.post(f"/moderation/blocages/{block_id}/lever").status_code == 302
    assert participation.active_block(argument.author, opened.institution_id) is None


def test_public_figures_page(client, db, opened, argument, moderator, make_user):
    services.report_contribution(make_user(), argument, "spam")
    services.hide_contribution(moderator, argument, "spam")
    db.session.commit()
    page = client.get(f"/consultations/{opened.slug}/moderation").get_data(as_text=True)
    assert "1 contribution masquée à ce jour." in page
    assert '<th scope="row">Spam ou publicité</th><td>1</td><td>1</td>' in page
    data = client.get(f"/api/v1/consultations/{opened.slug}/moderation").get_json()
    assert data["hidden_by_reason"]["spam"] == 1 and data["reports"] == 1
    show = client.get(f"/consultations/{opened.slug}").get_data(as_text=True)
    assert f"/consultations/{opened.slug}/moderation" in show


def test_api_report_and_moderation(
    client, db, opened, argument, moderator, make_user, make_institution, make_consultation, bearer
):
    reporter = bearer(make_user())
    url = f"/api/v1/contributions/{argument.id}"
    missing = client.post(f"{url}/report", json={}, headers=reporter)
    assert missing.status_code == 422
    assert missing.get_json()["error"]["fields"]["reason"] == "Choisissez un motif."
    created = client.post(f"{url}/report", json={"reason": "spam"}, headers=reporter)
    assert created.status_code == 201 and created.get_json()["reason"] == "spam"
    again = client.post(f"{url}/report", json={"reason": "spam"}, headers=reporter)
    assert (again.status_code, again.get_json()["error"]["code"]) == (409, "already_reported")

    outsider = bearer(make_user("moderator", institution=make_institution()))
    forbidden = client.post(
        f"{url}/moderation", json={"action": "hide", "reason": "spam"}, headers=outsider
    )
    assert (forbidden.status_code, forbidden.get_json()["error"]["code"]) == (403, "forbidden")
    participant = client.post(
        f"{url}/moderation", json={"action": "hide", "reason": "spam"}, headers=reporter
    )
    assert participant.status_code == 403

    staff = bearer(moderator)
    other = make_consultation("open", title="Autre")
    foreign = participation.submit_contribution(make_user(), other, kind="comment", body="X.")
    db.session.commit()
    duplicate = client.post(
        f"{url}/moderation", json={"action": "duplicate", "duplicate_of": foreign.id}, headers=staff
    )
    assert duplicate.status_code == 422
    assert "même consultation" in duplicate.get_json()["error"]["fields"]["duplicate_of"]
    unknown = client.post(f"{url}/moderation", json={"action": "delete"}, headers=staff)
    assert unknown.status_code == 422 and "action" in unknown.get_json()["error"]["fields"]

    queue = client.get("/api/v1/moderation/queue", headers=staff).get_json()
    assert [i["contribution"]["id"] for i in queue["items"]] == [argument.id]
    assert queue["items"][0]["open_reports"] == {"spam": 1}

    hidden = client.post(
        f"{url}/moderation", json={"action": "hide", "reason": "spam"}, headers=staff
    )
    assert hidden.status_code == 200
    assert hidden.get_json()["hidden"] is True and hidden.get_json()["decision"]["action"] == "hide"
    restored = client.post(f"{url}/moderation", json={"action": "restore"}, headers=staff)
    assert restored.get_json()["hidden"] is False

    bulk = client.post(
        "/api/v1/moderation/bulk",
        json={"action": "hide", "reason": "spam", "ids": [argument.id, 999_999]},
        headers=staff,
    )
    assert bulk.status_code == 200
    assert bulk.get_json() == {
        "done": [argument.id],
        "skipped": [{"id": 999_999, "message": "Contribution introuvable."}],
    }
