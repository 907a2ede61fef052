"""Follow-ups: their public history, who is told when they change, dates typed in French,
links to articles and retained contributions, deletion, following a consultation."""

from datetime import date, timedelta

import pytest

from consultation.core import clock
from consultation.core.errors import InvalidState, NotAllowed, ValidationFailed
from consultation.participation import services as participation
from consultation.synthesis import follow_ups, publishing
from consultation.synthesis.models import FollowUp, FollowUpEvent, FollowUpStatus, Subscription
from consultation.synthesis.services import answer_contribution


def _contribute(db, consultation, author, body="Allonger le délai à trente jours."):
    item = participation.submit_contribution(
        author,
        consultation,
        kind="comment",
        body=body,
        now=consultation.opens_at + timedelta(days=1),
    )
    db.session.commit()
    return item


def _publish(db, actor, consultation):
    publishing.save_synthesis(actor, consultation, body="La synthèse.")
    if not follow_ups.list_follow_ups(consultation):
        follow_ups.create_follow_up(actor, consultation, title="Première suite")
    publishing.publish_synthesis(actor, consultation, "")
    db.session.commit()


def _about_follow_ups(outbox) -> list:
    """The e-mails about follow-ups (contributions also get their receipts)."""
    return [mail for mail in outbox() if "suite" in mail[1].lower()]


def test_each_change_is_kept_in_the_public_history(db, client, closed, organiser, outbox):
    item = follow_ups.create_follow_up(
        organiser, closed, title="Publier le décret", due_date="15/03/2027"
    )
    db.session.commit()
    assert [e.kind for e in item.events] == ["created"]
    assert item.events[0].changes["due_date"] == [None, "2027-03-15"]

    event = follow_ups.update_follow_up(
        organiser,
        item,
        {"status": "in_progress", "due_date": "2027-04-30", "title": "Publier le décret"},
        note="Le Conseil d'État est saisi.",
    )
    db.session.commit()
    assert event.changes == {
        "status": ["announced", "in_progress"],
        "due_date": ["2027-03-15", "2027-04-30"],
    }
    assert event.note == "Le Conseil d'État est saisi." and event.actor_id == organiser.id

    unchanged = follow_ups.update_follow_up(
        organiser, item, {"status": "in_progress", "due_date": "30/04/2027"}, note="Rien."
    )
    db.session.commit()
    assert unchanged is None
    assert db.session.scalar(db.select(db.func.count()).select_from(FollowUpEvent)) == 2

    _publish(db, organiser, closed)
    page = client.get(f"/consultations/{closed.slug}/synthese").get_data(as_text=True)
    assert "Publier le décret" in page and "En cours" in page
    assert "Le Conseil d&#39;État est saisi." in page or "Le Conseil d'État est saisi." in page
    assert "15/03/2027" in page and "30/04/2027" in page  # before → after, in the history
    assert outbox() == []  # nobody follows, nothing linked


def test_subscribers_and_authors_of_linked_contributions_are_told_once(
    db, closed, organiser, make_user, outbox
):
    follower, author, both, erased = (
        make_user(display_name=name) for name in ("Suiveur", "Autrice", "Les deux", "Effacé")
    )
    linked = [
        _contribute(db, closed, person, f"Avis de {person.display_name}.")
        for person in (author, both, erased)
    ]
    offline = participation.record_offline_observation(
        organiser,
        closed,
        channel="letter",
        author_name="Courrier de M. Martin",
        body="Par courrier.",
        received_at=closed.opens_at + timedelta(days=2),
    )
    for person in (follower, both):
        follow_ups.follow(person, closed)
    erased.erased_at = clock.now()
    db.session.commit()
    item = follow_ups.create_follow_up(
        organiser,
        closed,
        title="Allonger le délai",
        contribution_ids=[c.id for c in linked] + [offline.id],
    )
    db.session.commit()
    assert _about_follow_ups(outbox) == []  # nothing is public yet: nobody is told

    _publish(db, organiser, closed)
    follow_ups.update_follow_up(organiser, item, {"status": "done"}, note="Fait par décret.")
    db.session.commit()
    mails = _about_follow_ups(outbox)
    assert sorted(to for to, _subject, _body in mails) == sorted(
        [follower.email, author.email, both.email]
    )
    _to, subject, body = mails[0]
    assert subject == "Suite mise à jour : Allonger le délai"
    assert "Statut : Annoncée → Réalisée" in body and "Fait par décret." in body
    assert f"/consultations/{closed.slug}/synthese" in body

    follow_ups.update_follow_up(organiser, item, {"status": "done"})
    db.session.commit()
    assert len(_about_follow_ups(outbox)) == 3  # unchanged: no event, no e-mail

    follow_ups.create_follow_up(organiser, closed, title="Une nouvelle suite")
    db.session.commit()
    new = _about_follow_ups(outbox)[3:]
    assert sorted(to for to, _s, _b in new) == sorted([follower.email, both.email])
    assert new[0][1] == "Nouvelle suite annoncée : Une nouvelle suite"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("15/03/2027", date(2027, 3, 15)),
        ("2027-03-15", date(2027, 3, 15)),
        ("", None),
        ("1/3/2027", date(2027, 3, 1)),
    ],
)
def test_due_dates_in_french_or_iso(typed, expected):
    assert follow_ups.parse_due_date(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/02/2027", "Cette date n'existe pas : « 31/02/2027 »."),
        ("2027-13-01", "Cette date n'existe pas : « 2027-13-01 »."),
        ("demain", "Date attendue au format JJ/MM/AAAA, par exemple 15/03/2027."),
        ("15/03/1027", "Année attendue entre 2000 et 2200."),
    ],
)
def test_an_impossible_due_date_gets_a_french_message(typed, message):
    with pytest.raises(ValidationFailed) as error:
        follow_ups.parse_due_date(typed)
    assert error.value.fields == {"due_date": message}


def test_an_impossible_date_in_the_form_keeps_what_was_typed(
    db, client, closed, organiser, login_as
):
    login_as(organiser)
    url = f"/gestion/consultations/{closed.slug}/synthese/suites/nouvelle"
    refused = client.post(
        url,
        data={"title": "Publier le décret", "due_date": "31/02/2027", "status": "announced"},
    )
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "Cette date n&#39;existe pas" in page or "Cette date n'existe pas" in page
    assert 'value="31/02/2027"' in page and 'value="Publier le décret"' in page
    assert "Le formulaire contient des erreurs" in page
    assert db.session.scalar(db.select(db.func.count()).select_from(FollowUp)) == 0

    created = client.post(
        url, data={"title": "Publier le décret", "due_date": "28/02/2027", "status": "announced"}
    )
    assert created.status_code == 302
    item = db.session.scalar(db.select(FollowUp))
    edit = f"/gestion/suites/{item.id}"
    assert 'value="28/02/2027"' in client.get(edit).get_data(as_text=True)
    changed = client.post(
        edit,
        data={
            "title": "Publier le décret",
            "due_date": "31/03/2027",
            "status": "in_progress",
            "note": "Saisine du Conseil d'État.",
        },
    )
    assert changed.status_code == 302
    db.session.expire_all()
    assert item.status is FollowUpStatus.in_progress and item.due_date == date(2027, 3, 31)
    assert item.events[-1].note == "Saisine du Conseil d'État."


def test_an_impossible_date_through_the_api(db, client, closed, organiser, bearer):
    headers = bearer(organiser)
    item = follow_ups.create_follow_up(organiser, closed, title="Décret")
    db.session.commit()
    patched = client.patch(
        f"/api/v1/follow-ups/{item.id}", json={"due_date": "30/02/2027"}, headers=headers
    )
    assert patched.status_code == 422
    assert patched.get_json()["error"]["fields"]["due_date"].startswith("Cette date n'existe pas")
    put = client.put(
        f"/api/v1/consultations/{closed.slug}/synthesis",
        json={
            "body": "Texte.",
            "follow_ups": [{"id": item.id, "title": "Décret", "due_date": "2027-02-30"}],
        },
        headers=headers,
    )
    assert put.status_code == 422
    assert "follow_ups[0].due_date" in put.get_json()["error"]["fields"]
    assert publishing.get_synthesis(closed) is None  # nothing half-written
    ok = client.patch(
        f"/api/v1/follow-ups/{item.id}",
        json={"due_date": "28/02/2027", "status": "in_progress", "note": "Calendrier fixé."},
        headers=headers,
    )
    assert ok.status_code == 200
    assert ok.get_json()["history"][-1]["changes"]["due_date"] == [None, "2027-02-28"]


def test_links_only_web_addresses_and_what_belongs_to_the_consultation(
    db, closed, make_consultation, organiser, make_user
):
    other = make_consultation("closed", title="Autre")
    foreign = _contribute(db, other, make_user())
    with pytest.raises(ValidationFailed) as error:
        follow_ups.create_follow_up(
            organiser,
            closed,
            title="Décret",
            url="javascript:alert(1)",
            article_ids=[other.current_version.articles[0].id],
            contribution_ids=[foreign.id],
        )
    assert set(error.value.fields) == {"url", "article_ids", "contribution_ids"}
    article = closed.current_version.articles[1]
    item = follow_ups.create_follow_up(
        organiser,
        closed,
        title="Décret",
        url="https://www.legifrance.gouv.fr/",
        article_ids=[article.id],
    )
    assert item.articles == [article]


def test_the_form_suggests_the_retained_contributions(
    db, client, closed, organiser, make_user, login_as
):
    retained = _contribute(db, closed, make_user(), "Retenez ceci.")
    refused = _contribute(db, closed, make_user(), "Pas ceci.")
    answer_contribution(organiser, retained, "retained", "Retenue.")
    answer_contribution(organiser, refused, "not_retained", "Non.")
    db.session.commit()
    login_as(organiser)
    url = f"/gestion/consultations/{closed.slug}/synthese/suites/nouvelle"
    page = client.get(url).get_data(as_text=True)
    assert retained.tracking_number in page and refused.tracking_number not in page
    article = closed.current_version.articles[0]
    created = client.post(
        url,
        data={
            "title": "Intégrer la proposition",
            "status": "announced",
            "contribution_ids": [str(retained.id)],
            "article_ids": [str(article.id)],
        },
    )
    assert created.status_code == 302
    item = db.session.scalar(db.select(FollowUp))
    assert item.contributions == [retained] and item.articles == [article]
    _publish(db, organiser, closed)
    public = client.get(f"/consultations/{closed.slug}/synthese").get_data(as_text=True)
    assert f"/consultations/{closed.slug}/contributions/{retained.id}" in public
    assert article.label in public


def test_follow_ups_are_deleted_only_before_publication(
    db, client, closed, organiser, make_user, login_as, bearer
):
    draft_item = follow_ups.create_follow_up(organiser, closed, title="À retirer")
    db.session.commit()
    follow_ups.delete_follow_up(organiser, draft_item)
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(FollowUp)) == 0

    _publish(db, organiser, closed)
    item = follow_ups.list_follow_ups(closed)[0]
    with pytest.raises(InvalidState, match="Abandonnée"):
        follow_ups.delete_follow_up(organiser, item)
    login_as(organiser)
    refused = client.post(f"/gestion/suites/{item.id}/supprimer")
    assert refused.status_code == 302
    assert db.session.get(FollowUp, item.id) is not None
    api = client.put(
        f"/api/v1/consultations/{closed.slug}/synthesis",
        json={"body": "La synthèse.", "follow_ups": []},
        headers=bearer(organiser),
    )
    assert (api.status_code, api.get_json()["error"]["code"]) == (409, "invalid_state")
    assert db.session.get(FollowUp, item.id) is not None
    abandoned = client.put(
        f"/api/v1/consultations/{closed.slug}/synthesis",
        json={
            "body": "La synthèse.",
            "follow_ups": [{"id": item.id, "status": "abandoned", "note": "Remplacée par la loi."}],
        },
        headers=bearer(organiser),
    )
    assert abandoned.status_code == 200
    assert abandoned.get_json()["follow_ups"][0]["status"] == "abandoned"


def test_only_the_institution_staff_manage_follow_ups(
    db, closed, organiser, make_user, make_institution
):
    item = follow_ups.create_follow_up(make_user("moderator"), closed, title="Décret")
    for outsider in (make_user(), make_user("organiser", institution=make_institution())):
        with pytest.raises(NotAllowed):
            follow_ups.create_follow_up(outsider, closed, title="Autre")
        with pytest.raises(NotAllowed):
            follow_ups.update_follow_up(outsider, item, {"status": "done"})
        with pytest.raises(NotAllowed):
            follow_ups.delete_follow_up(outsider, item)


def test_following_a_consultation_from_its_page(db, client, closed, make_user, login_as):
    page = f"/consultations/{closed.slug}"
    anonymous = client.get(page).get_data(as_text=True)
    assert "Suivre cette consultation" in anonymous
    refused = client.post(f"{page}/suivre")
    assert refused.status_code == 302 and refused.headers["Location"].startswith("/connexion")

    person = login_as(make_user())
    assert "Suivre cette consultation" in client.get(page).get_data(as_text=True)
    followed = client.post(f"{page}/suivre")
    assert followed.status_code == 302
    assert db.session.get(Subscription, (person.id, closed.id)) is not None
    again = client.post(f"{page}/suivre")  # idempotent
    assert again.status_code == 302
    text = client.get(page).get_data(as_text=True)
    assert "Ne plus suivre" in text and "Vous suivez cette consultation" in text
    client.post(f"{page}/ne-plus-suivre")
    assert db.session.get(Subscription, (person.id, closed.id)) is None


def test_an_english_reader_is_told_of_a_change_in_english(db, closed, organiser, make_user, outbox):
    reader = make_user(display_name="Reader")
    reader.locale = "en"
    follow_ups.follow(reader, closed)
    db.session.commit()
    item = follow_ups.create_follow_up(organiser, closed, title="Allonger le délai")
    _publish(db, organiser, closed)
    follow_ups.update_follow_up(organiser, item, {"status": "in_progress"})
    db.session.commit()
    (_to, _subject, body), *_ = [m for m in outbox() if m[0] == reader.email][-1:]
    assert "Status: Announced → In progress" in body, body
    assert "Statut" not in body and "Annoncée" not in body
