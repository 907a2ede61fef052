"""Acting on a contribution from the website — vote, change and withdraw the vote, reply,
edit, withdraw, report — under the same rules as the API: one predicate per action in the
services, whose flags the pages show (`participation.queries.contribution_actions`)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from consultation.accounts import services as accounts
from consultation.moderation import services as moderation
from consultation.moderation.models import Report
from consultation.participation import services
from consultation.participation.models import Contribution, ContributionVote

KINDS = {
    "argument": {"position": "for", "body": "Un argument pour."},
    "amendment": {"proposed_text": "Une rédaction nouvelle.", "body": "Pour être plus clair."},
    "new_article": {"proposed_text": "Article nouveau.", "body": "Il manque un article."},
    "source": {"title": "Une étude", "url": "https://example.org/etude", "body": "À lire."},
    "comment": {"body": "Un commentaire."},
}
STATES = ("published", "edited", "withdrawn", "hidden")
# The author comes last: their withdrawal changes the contribution for whoever would follow.
ROLES = ("visitor", "other", "unverified", "blocked", "moderator", "author")


def _submit(author, consultation, kind: str, now=None):
    values = dict(KINDS[kind])
    if kind != "source" and kind != "comment":
        values["article_id"] = consultation.current_version.articles[0].id
    return services.submit_contribution(author, consultation, kind=kind, now=now, **values)


def _page_offers(client, slug: str, item_id: int) -> dict[str, bool]:
    page = client.get(f"/consultations/{slug}/contributions/{item_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    base = f"/consultations/{slug}/contributions/{item_id}"
    return {
        "vote": f'action="{base}/avis"' in html,
        "reply": f'action="{base}/reponses' in html,
        "edit": f'href="{base}/modifier"' in html,
        "withdraw": f'href="{base}/retirer"' in html,
        "report": f'href="/contributions/{item_id}/signaler"' in html,
    }


def _api_accepts(client, slug: str, item_id: int, headers: dict, body: str) -> dict[str, bool]:
    url = f"/api/v1/contributions/{item_id}"
    voted = client.post(url + "/vote", json={"value": "agree"}, headers=headers)
    if voted.status_code == 200:  # leave the counts as they were
        assert client.delete(url + "/vote", headers=headers).status_code == 200
    replied = client.post(
        f"/api/v1/consultations/{slug}/contributions",
        json={"kind": "comment", "body": "Une réponse.", "parent_id": item_id},
        headers=headers,
    )
    edited = client.patch(url, json={"body": body + " Complément."}, headers=headers)
    reported = client.post(url + "/report", json={"reason": "spam"}, headers=headers)
    withdrawn = client.delete(url, headers=headers)  # last: it changes the contribution
    return {
        "vote": voted.status_code == 200,
        "reply": replied.status_code == 201,
        "edit": edited.status_code == 200,
        "withdraw": withdrawn.status_code == 200,
        "report": reported.status_code == 201,
    }


@pytest.mark.parametrize("status", ["open", "closed"])
def test_each_page_offers_exactly_what_the_api_accepts(
    client, db, login_as, make_consultation, make_user, status
):
    """Every kind × state × role: the contribution's page shows the form (or the link to it)
    of an action exactly when the API accepts that action from the same person."""
    consultation = make_consultation(status)
    during = consultation.opens_at + timedelta(hours=1)
    moderator = make_user("moderator")
    author, other = make_user(), make_user()
    unverified = make_user(verified=False)
    blocked = make_user()
    noisy = _submit(blocked, consultation, "comment", now=during)
    db.session.flush()
    moderation.moderate(moderator, noisy, "block", reason="spam", notify=False)
    items = {}
    for kind in KINDS:
        for state in STATES:
            item = _submit(author, consultation, kind, now=during)
            if state == "edited":
                services.edit_contribution(author, item, {"body": "Précisé."}, now=during)
            elif state == "withdrawn":
                services.withdraw_contribution(author, item, now=during)
            elif state == "hidden":
                db.session.flush()
                moderation.moderate(moderator, item, "hide", reason="spam", notify=False)
            items[kind, state] = item
    people = {
        "visitor": None,
        "other": other,
        "unverified": unverified,
        "blocked": blocked,
        "moderator": moderator,
        "author": author,
    }
    tokens = {role: accounts.create_api_token(user)[1] for role, user in people.items() if user}
    db.session.commit()
    wrong = []
    offered_somewhere = set()
    for (kind, state), item in items.items():
        item_id, body = item.id, item.body
        for role in ROLES:
            user = people[role]
            if user is None:
                with client.session_transaction() as session:
                    session.clear()
            else:
                login_as(user)
            offers = _page_offers(client, consultation.slug, item_id)
            headers = {"Authorization": f"Bearer {tokens[role]}"} if user else {}
            accepts = _api_accepts(client, consultation.slug, item_id, headers, body)
            offered_somewhere |= {action for action, shown in offers.items() if shown}
            if offers != accepts:
                wrong.append(f"{status} {kind} {state} as {role}: page {offers}, API {accepts}")
    assert wrong == [], "\n".join(wrong)
    expected = {"report"} if status == "closed" else {"vote", "reply", "edit", "withdraw", "report"}
    assert offered_somewhere == expected


# --- The actions, one by one -----------------------------------------------------------------


@pytest.fixture
def argument(db, opened, make_user):
    item = _submit(make_user(), opened, "argument")
    db.session.commit()
    return item


def _card_url(opened, item) -> str:
    return f"/consultations/{opened.slug}/contributions/{item.id}"


def test_vote_change_and_withdraw_from_a_list_card(
    client, db, login_as, opened, argument, make_user
):
    voter = login_as(make_user())
    listing = f"/consultations/{opened.slug}/contributions?ordre=recent"
    page = client.get(listing).get_data(as_text=True)
    assert f'action="{_card_url(opened, argument)}/avis"' in page and ">Voter<" in page

    sent = client.post(
        _card_url(opened, argument) + "/avis", data={"value": "agree", "retour": listing}
    )
    assert sent.status_code == 302
    assert sent.headers["Location"] == f"{listing}#contribution-{argument.id}"
    page = client.get(listing).get_data(as_text=True)
    assert "Votre avis « D&#39;accord » est enregistré." in page
    assert "actuellement : D&#39;accord" in page and "Retirer mon avis" in page
    db.session.expire_all()
    assert argument.vote_counts == {"agree": 1, "mixed": 0, "disagree": 0}
    # The confirmation is shown once, on the card.
    assert "est enregistré" not in client.get(listing).get_data(as_text=True)

    client.post(
        _card_url(opened, argument) + "/avis", data={"value": "disagree", "retour": listing}
    )
    vote = db.session.scalar(
        sa.select(ContributionVote).where(ContributionVote.user_id == voter.id)
    )
    assert vote.value.value == "disagree"
    db.session.expire_all()
    assert argument.vote_counts == {"agree": 0, "mixed": 0, "disagree": 1}

    withdrawn = client.post(_card_url(opened, argument) + "/avis/retirer", data={"retour": listing})
    assert withdrawn.status_code == 302
    page = client.get(listing).get_data(as_text=True)
    assert "Votre avis sur cette contribution est retiré." in page
    assert db.session.scalar(sa.select(sa.func.count(ContributionVote.id))) == 0


def test_vote_from_the_article_page_comes_back_to_the_card(
    client, db, login_as, opened, argument, make_user
):
    login_as(make_user())
    article = f"/consultations/{opened.slug}/articles/1"
    assert f'action="{_card_url(opened, argument)}/avis"' in client.get(article).get_data(
        as_text=True
    )
    sent = client.post(
        _card_url(opened, argument) + "/avis", data={"value": "mixed", "retour": article}
    )
    assert sent.headers["Location"] == f"{article}#contribution-{argument.id}"
    assert "Votre avis « Mitigé » est enregistré." in client.get(article).get_data(as_text=True)


def test_vote_without_a_value_or_to_another_site_is_refused_in_french(
    client, db, login_as, opened, argument, make_user
):
    login_as(make_user())
    sent = client.post(
        _card_url(opened, argument) + "/avis", data={"retour": "https://evil.example/"}
    )
    assert sent.status_code == 302 and sent.headers["Location"].startswith("/")
    assert "evil.example" not in sent.headers["Location"]
    page = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Choisissez un avis" in page
    assert db.session.scalar(sa.select(sa.func.count(ContributionVote.id))) == 0


def test_a_visitor_is_sent_to_sign_in(client, db, opened, argument):
    for path in ("/avis", "/avis/retirer", "/modifier", "/retirer"):
        response = client.post(_card_url(opened, argument) + path, data={"value": "agree"})
        assert response.status_code == 302 and "/connexion" in response.headers["Location"], path
    page = client.get(_card_url(opened, argument)).get_data(as_text=True)
    assert '/avis"' not in page and "/modifier" not in page
    assert db.session.scalar(sa.select(sa.func.count(ContributionVote.id))) == 0


def test_vote_refused_after_closing_with_a_french_message(
    client, db, login_as, make_consultation, make_user
):
    closed = make_consultation("closed")
    item = _submit(make_user(), closed, "comment", now=closed.opens_at + timedelta(hours=1))
    db.session.commit()
    login_as(make_user())
    page = client.get(_card_url(closed, item)).get_data(as_text=True)
    assert '/avis"' not in page
    sent = client.post(_card_url(closed, item) + "/avis", data={"value": "agree"})
    assert "La consultation n&#39;est pas ouverte" in client.get(sent.headers["Location"]).get_data(
        as_text=True
    )
    assert db.session.scalar(sa.select(sa.func.count(ContributionVote.id))) == 0


def test_author_edits_and_earlier_wording_stays_viewable(client, db, login_as, opened, make_user):
    author = login_as(make_user())
    item = _submit(author, opened, "amendment")
    db.session.commit()
    url = _card_url(opened, item)
    page = client.get(url).get_data(as_text=True)
    assert f'href="{url}/modifier"' in page and f'href="{url}/retirer"' in page
    form = client.get(url + "/modifier").get_data(as_text=True)
    assert "Une rédaction nouvelle." in form and 'name="url"' not in form
    sent = client.post(
        url + "/modifier",
        data={"title": "", "body": "Pour être encore plus clair.", "proposed_text": "Mieux dit."},
    )
    assert sent.status_code == 302 and sent.headers["Location"].endswith(f"#contribution-{item.id}")
    db.session.expire_all()
    assert (item.body, item.proposed_text) == ("Pour être encore plus clair.", "Mieux dit.")
    assert [r.body for r in item.revisions] == ["Pour être plus clair."]
    page = client.get(url).get_data(as_text=True)
    assert "modifiée" in page and "1 version antérieure" in page
    assert "Pour être plus clair." in page and "Votre contribution est modifiée" in page
    assert "Une rédaction nouvelle." in page  # the earlier proposed wording too


def test_an_invalid_edit_keeps_what_was_typed(client, db, login_as, opened, make_user):
    author = login_as(make_user())
    item = _submit(author, opened, "amendment")
    db.session.commit()
    sent = client.post(
        _card_url(opened, item) + "/modifier",
        data={"body": "Mon nouveau texte.", "proposed_text": ""},
    )
    page = sent.get_data(as_text=True)
    assert sent.status_code == 422 and "Proposez une rédaction." in page
    assert "Mon nouveau texte." in page
    db.session.expire_all()
    assert item.body == "Pour être plus clair." and item.edited_at is None


def test_an_edit_that_changes_nothing_is_refused_beside_the_wording(
    client, db, login_as, opened, make_user
):
    author = login_as(make_user())
    item = _submit(author, opened, "amendment")
    db.session.commit()
    sent = client.post(
        _card_url(opened, item) + "/modifier",
        data={"body": item.body, "proposed_text": item.proposed_text},
    )
    page = sent.get_data(as_text=True)
    assert sent.status_code == 422 and "Vous n&#39;avez rien modifié." in page
    db.session.expire_all()
    assert item.edited_at is None and item.revisions == []


def test_edit_refused_after_closing_keeps_what_was_typed(
    client, db, login_as, make_consultation, make_user
):
    closed = make_consultation("closed")
    author = login_as(make_user())
    item = _submit(author, closed, "comment", now=closed.opens_at + timedelta(hours=1))
    db.session.commit()
    url = _card_url(closed, item)
    assert f'href="{url}/modifier"' not in client.get(url).get_data(as_text=True)
    assert client.get(url + "/modifier").status_code == 409
    sent = client.post(url + "/modifier", data={"body": "Mon texte tapé trop tard."})
    page = sent.get_data(as_text=True)
    assert sent.status_code == 409
    assert "La consultation n&#39;est pas ouverte" in page and "Mon texte tapé trop tard." in page
    db.session.expire_all()
    assert item.body == "Un commentaire."


def test_another_participant_can_neither_edit_nor_withdraw(
    client, db, login_as, opened, argument, make_user
):
    login_as(make_user())
    url = _card_url(opened, argument)
    page = client.get(url).get_data(as_text=True)
    assert "/modifier" not in page and f'href="{url}/retirer"' not in page
    for path in ("/modifier", "/retirer"):
        assert client.get(url + path).status_code == 403, path
    assert client.post(url + "/modifier", data={"body": "Réécrit."}).status_code == 403
    assert client.post(url + "/retirer").status_code == 403
    db.session.expire_all()
    assert argument.body == "Un argument pour." and argument.withdrawn_at is None


def test_author_withdraws_after_a_confirmation_step(client, db, login_as, opened, make_user):
    author = login_as(make_user())
    item = _submit(author, opened, "comment")
    db.session.commit()
    url = _card_url(opened, item)
    confirm = client.get(url + "/retirer")
    assert confirm.status_code == 200
    assert "Retirer définitivement ma contribution" in confirm.get_data(as_text=True)
    db.session.expire_all()
    assert item.withdrawn_at is None  # asking is not withdrawing
    sent = client.post(url + "/retirer")
    assert sent.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert (
        "Contribution retirée par son auteur" in page and "Votre contribution est retirée" in page
    )
    assert "Un commentaire." not in page
    db.session.expire_all()
    assert item.withdrawn_at is not None
    again = client.post(url + "/retirer")
    assert again.status_code == 409 and "déjà retirée" in again.get_data(as_text=True)


def test_reply_to_any_kind_one_level_deep(client, db, login_as, opened, argument, make_user):
    login_as(make_user())
    url = _card_url(opened, argument)
    page = client.get(url).get_data(as_text=True)
    assert f'action="{url}/reponses#repondre"' in page
    listing = client.get(f"/consultations/{opened.slug}/contributions").get_data(as_text=True)
    assert f'action="{url}/reponses"' in listing  # the card holds the reply form
    sent = client.post(url + "/reponses", data={"body": "Je ne suis pas d'accord."})
    assert sent.status_code == 302
    reply = db.session.scalar(sa.select(Contribution).where(Contribution.parent_id == argument.id))
    assert reply.body == "Je ne suis pas d'accord." and reply.kind.value == "comment"
    reply_page = client.get(_card_url(opened, reply)).get_data(as_text=True)
    assert "/reponses#repondre" not in reply_page  # one level deep
    nested = client.post(_card_url(opened, reply) + "/reponses", data={"body": "Trop profond."})
    assert nested.status_code == 422 and "Trop profond." in nested.get_data(as_text=True)


def test_reply_refused_after_closing_keeps_what_was_typed(
    client, db, login_as, make_consultation, make_user
):
    closed = make_consultation("closed")
    item = _submit(make_user(), closed, "argument", now=closed.opens_at + timedelta(hours=1))
    db.session.commit()
    login_as(make_user())
    sent = client.post(_card_url(closed, item) + "/reponses", data={"body": "Ma réponse tardive."})
    page = sent.get_data(as_text=True)
    assert sent.status_code == 422 and "Ma réponse tardive." in page
    assert "La consultation n&#39;est pas ouverte" in page


def test_report_once_then_the_link_gives_way_to_a_message(
    client, db, login_as, opened, argument, make_user
):
    login_as(make_user())
    url = _card_url(opened, argument)
    assert f'href="/contributions/{argument.id}/signaler"' in client.get(url).get_data(as_text=True)
    sent = client.post(f"/contributions/{argument.id}/signaler", data={"reason": "spam"})
    assert sent.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Vous avez signalé cette contribution." in page
    assert f'href="/contributions/{argument.id}/signaler"' not in page
    form = client.get(f"/contributions/{argument.id}/signaler").get_data(as_text=True)
    assert "Vous avez signalé cette contribution." in form and "Envoyer le signalement" not in form
    again = client.post(f"/contributions/{argument.id}/signaler", data={"reason": "spam"})
    assert again.status_code == 422 and "déjà signalé" in again.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Report.id))) == 1


def test_api_withdraws_a_vote_on_a_contribution(client, db, opened, argument, make_user):
    voter = make_user()
    _token, secret = accounts.create_api_token(voter)
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    url = f"/api/v1/contributions/{argument.id}/vote"
    assert client.post(url, json={"value": "agree"}, headers=headers).json["votes"]["agree"] == 1
    withdrawn = client.delete(url, headers=headers)
    assert withdrawn.status_code == 200 and withdrawn.json["my_vote"] is None
    assert withdrawn.json["votes"]["agree"] == 0
    assert client.delete(url, headers=headers).status_code == 200  # nothing to withdraw


def test_who_may_not_reply_is_told_how_to(client, db, login_as, opened, argument, make_user):
    url = _card_url(opened, argument)
    visitor = client.get(url).get_data(as_text=True)
    assert "Se connecter pour participer" in visitor and "/reponses" not in visitor
    login_as(make_user(verified=False))
    unverified = client.get(url).get_data(as_text=True)
    assert "Confirmez votre adresse e-mail pour participer." in unverified
    assert "/reponses" not in unverified
