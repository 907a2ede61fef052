"""Acting on a contribution in place: what the server answers the requests sent by
static/js/participation.js (`X-Requested-With: fetch`) — a fragment rendered by the same
partials as the pages (the card, or the form with its errors) with the status the API gives —
and the reply form a card holds, which works without JavaScript too."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from consultation.moderation.models import Report
from consultation.participation import services
from consultation.participation.models import Contribution

IN_PLACE = {"X-Requested-With": "fetch"}


def _comment(author, consultation, body="Un commentaire.", now=None):
    return services.submit_contribution(author, consultation, kind="comment", body=body, now=now)


@pytest.fixture
def argument(db, opened, make_user):
    item = services.submit_contribution(
        make_user(),
        opened,
        kind="argument",
        position="for",
        body="Un argument pour.",
        article_id=opened.current_version.articles[0].id,
    )
    db.session.commit()
    return item


def _url(consultation, item) -> str:
    return f"/consultations/{consultation.slug}/contributions/{item.id}"


def _list(consultation) -> str:
    return f"/consultations/{consultation.slug}/contributions"


# --- Report -------------------------------------------------------------------------------------


def test_report_form_in_place_is_a_fragment_with_ids_of_its_own(
    client, db, login_as, opened, argument, make_user
):
    login_as(make_user())
    answer = client.get(f"/contributions/{argument.id}/signaler", headers=IN_PLACE)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "<html" not in html and "data-inplace-panel" in html
    assert f'id="signaler-{argument.id}-reason-0"' in html and 'name="reason"' in html
    assert "data-inplace-cancel" in html


def test_report_in_place_gives_way_to_the_message(
    client, db, login_as, opened, argument, make_user
):
    login_as(make_user())
    sent = client.post(
        f"/contributions/{argument.id}/signaler", data={"reason": "spam"}, headers=IN_PLACE
    )
    html = sent.get_data(as_text=True)
    assert sent.status_code == 200 and "<html" not in html
    assert "data-inplace-done" in html and "Vous avez signalé cette contribution." in html
    assert "Envoyer le signalement" not in html
    assert db.session.scalar(sa.select(sa.func.count(Report.id))) == 1
    # Nothing left waiting for the next page: the fragment said it.
    assert "transmis aux modérateurs" not in client.get(_url(opened, argument)).get_data(
        as_text=True
    )


def test_report_in_place_without_a_reason_keeps_the_details(
    client, db, login_as, opened, argument, make_user
):
    login_as(make_user())
    sent = client.post(
        f"/contributions/{argument.id}/signaler",
        data={"details": "Ce texte copie une publicité."},
        headers=IN_PLACE,
    )
    html = sent.get_data(as_text=True)
    assert sent.status_code == 422 and "<html" not in html
    assert "Choisissez un motif de signalement." in html
    assert f'id="signaler-{argument.id}-reason-error"' in html
    assert "Ce texte copie une publicité." in html
    assert db.session.scalar(sa.select(sa.func.count(Report.id))) == 0


def test_report_in_place_refused_as_the_api_refuses(
    client, db, login_as, opened, argument, make_user
):
    author = login_as(make_user())
    mine = _comment(author, opened)
    db.session.commit()
    own = client.post(
        f"/contributions/{mine.id}/signaler", data={"reason": "spam"}, headers=IN_PLACE
    )
    assert own.status_code == 409
    assert "votre propre contribution" in own.get_data(as_text=True)
    url = f"/contributions/{argument.id}/signaler"
    assert client.post(url, data={"reason": "spam"}, headers=IN_PLACE).status_code == 200
    again = client.post(url, data={"reason": "spam"}, headers=IN_PLACE)
    assert again.status_code == 409 and "Vous avez signalé cette contribution." in again.get_data(
        as_text=True
    )
    assert db.session.scalar(sa.select(sa.func.count(Report.id))) == 1


# --- Withdraw -----------------------------------------------------------------------------------


def test_withdraw_in_place_asks_then_answers_with_the_withdrawn_card(
    client, db, login_as, opened, make_user
):
    author = login_as(make_user())
    item = _comment(author, opened, "Mon texte à retirer.")
    db.session.commit()
    url = _url(opened, item)
    confirm = client.get(url + "/retirer", headers=IN_PLACE)
    html = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "<html" not in html
    assert "Confirmer le retrait" in html and "data-inplace-cancel" in html
    assert f'id="retirer-{item.id}-csrf_token"' in html or "csrf_token" not in html
    sent = client.post(url + "/retirer", data={"retour": _list(opened)}, headers=IN_PLACE)
    card = sent.get_data(as_text=True)
    assert sent.status_code == 200 and "<html" not in card
    assert f'id="contribution-{item.id}"' in card
    assert "Contribution retirée par son auteur" in card and "Mon texte à retirer." not in card
    assert "Votre contribution est retirée" in card
    db.session.expire_all()
    assert item.withdrawn_at is not None
    again = client.post(url + "/retirer", data={"retour": _list(opened)}, headers=IN_PLACE)
    assert again.status_code == 409 and "déjà retirée" in again.get_data(as_text=True)


def test_withdraw_and_edit_in_place_refused_to_another_participant(
    client, db, login_as, opened, argument, make_user
):
    login_as(make_user())
    url = _url(opened, argument)
    assert client.get(url + "/retirer", headers=IN_PLACE).status_code == 403
    assert client.post(url + "/retirer", headers=IN_PLACE).status_code == 403
    assert client.get(url + "/modifier", headers=IN_PLACE).status_code == 403
    edit = client.post(url + "/modifier", data={"body": "Pris."}, headers=IN_PLACE)
    assert edit.status_code == 403
    db.session.expire_all()
    assert argument.withdrawn_at is None and argument.body == "Un argument pour."


# --- Edit ---------------------------------------------------------------------------------------


def test_edit_in_place_answers_with_the_new_wording_and_the_mark(
    client, db, login_as, opened, make_user
):
    author = login_as(make_user())
    item = _comment(author, opened, "Mon premier avis.")
    db.session.commit()
    url = _url(opened, item)
    form = client.get(url + "/modifier", headers=IN_PLACE).get_data(as_text=True)
    assert "<html" not in form and "data-inplace-panel" in form
    assert f'id="modifier-{item.id}-body"' in form and "Mon premier avis." in form
    sent = client.post(
        url + "/modifier",
        data={"body": "Mon avis, précisé.", "retour": _list(opened)},
        headers=IN_PLACE,
    )
    card = sent.get_data(as_text=True)
    assert sent.status_code == 200 and "<html" not in card
    assert f'id="contribution-{item.id}"' in card and "Mon avis, précisé." in card
    assert "modifiée" in card and "Votre contribution est modifiée" in card
    # The card is rendered for the page it is on: its forms come back there.
    assert f'name="retour" value="{_list(opened)}"' in card
    db.session.expire_all()
    assert item.body == "Mon avis, précisé." and len(item.revisions) == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [("", "Écrivez votre contribution."), ("x" * 10_001, "pour 10\u202f000 au maximum")],
)
def test_an_invalid_edit_in_place_keeps_the_text_beside_its_error(
    client, db, login_as, opened, make_user, body, message
):
    author = login_as(make_user())
    item = _comment(author, opened, "Mon premier avis.")
    db.session.commit()
    sent = client.post(_url(opened, item) + "/modifier", data={"body": body}, headers=IN_PLACE)
    html = sent.get_data(as_text=True)
    assert sent.status_code == 422 and "<html" not in html
    assert f'id="modifier-{item.id}-body-error"' in html and message in html
    assert body in html
    db.session.expire_all()
    assert item.body == "Mon premier avis." and item.edited_at is None


def test_edit_in_place_after_closing_is_refused_with_409_keeping_the_text(
    client, db, login_as, make_consultation, make_user
):
    closed = make_consultation("closed")
    author = login_as(make_user())
    item = _comment(author, closed, now=closed.opens_at + timedelta(hours=1))
    db.session.commit()
    url = _url(closed, item) + "/modifier"
    shown = client.get(url, headers=IN_PLACE)
    assert shown.status_code == 409 and "n&#39;est pas ouverte" in shown.get_data(as_text=True)
    sent = client.post(url, data={"body": "Tapé trop tard."}, headers=IN_PLACE)
    html = sent.get_data(as_text=True)
    assert sent.status_code == 409 and "n&#39;est pas ouverte" in html and "Tapé trop tard." in html
    # Said in the fragment, not kept for the next page.
    assert "n&#39;est pas ouverte" not in client.get(_url(closed, item)).get_data(as_text=True)


# --- Reply from a card --------------------------------------------------------------------------


def test_list_cards_hold_the_reply_form_for_who_may_reply_only(
    client, db, login_as, opened, argument, make_user
):
    visitor = client.get(_list(opened)).get_data(as_text=True)
    assert "contribution__reply" not in visitor and "/reponses" not in visitor
    login_as(make_user())
    for path in (_list(opened), f"/consultations/{opened.slug}/articles/1"):
        page = client.get(path).get_data(as_text=True)
        assert f'id="contribution-{argument.id}-reponse"' in page
        assert f'action="{_url(opened, argument)}/reponses"' in page
        assert f'id="reponse-{argument.id}-body"' in page and f'value="{path}"' in page
        assert 'name="csrf_token"' in page


def test_reply_from_a_card_without_javascript_comes_back_to_the_card(
    client, db, login_as, opened, argument, make_user
):
    login_as(make_user())
    sent = client.post(
        _url(opened, argument) + "/reponses",
        data={"body": "Je réponds depuis la liste.", "retour": _list(opened) + "?ordre=recent"},
    )
    assert sent.status_code == 302
    assert sent.headers["Location"] == _list(opened) + f"?ordre=recent#contribution-{argument.id}"
    page = client.get(_list(opened) + "?ordre=recent").get_data(as_text=True)
    assert "Votre réponse est enregistrée sous le numéro" in page
    reply = db.session.scalar(sa.select(Contribution).where(Contribution.parent_id == argument.id))
    assert reply.body == "Je réponds depuis la liste."


def test_reply_from_a_card_to_another_site_comes_back_to_the_contribution(
    client, db, login_as, opened, argument, make_user
):
    login_as(make_user())
    sent = client.post(
        _url(opened, argument) + "/reponses",
        data={"body": "Une réponse.", "retour": "//ailleurs.example/piege"},
    )
    assert sent.status_code == 302
    assert sent.headers["Location"] == _url(opened, argument) + f"#contribution-{argument.id}"


def test_reply_in_place_answers_with_the_card_and_the_reply_under_it(
    client, db, login_as, opened, argument, make_user
):
    login_as(make_user())
    sent = client.post(
        _url(opened, argument) + "/reponses",
        data={"body": "Une réponse en place.", "retour": _list(opened)},
        headers=IN_PLACE,
    )
    html = sent.get_data(as_text=True)
    reply = db.session.scalar(sa.select(Contribution).where(Contribution.parent_id == argument.id))
    assert sent.status_code == 200 and "<html" not in html
    assert f'id="contribution-{argument.id}"' in html
    assert f'id="contribution-{argument.id}-nouvelles-reponses"' in html
    assert f'id="contribution-{reply.id}"' in html and "Une réponse en place." in html
    assert f"Votre réponse est enregistrée sous le numéro {reply.tracking_number}." in html


def test_a_refused_reply_in_place_keeps_the_text_beside_its_error(
    client, db, login_as, make_consultation, opened, argument, make_user
):
    login_as(make_user())
    empty = client.post(
        _url(opened, argument) + "/reponses",
        data={"body": "", "retour": _list(opened)},
        headers=IN_PLACE,
    )
    html = empty.get_data(as_text=True)
    assert empty.status_code == 422 and "<html" not in html
    assert "<details" in html and " open>" in html
    assert f'id="reponse-{argument.id}-body-error"' in html and "Écrivez votre commentaire." in html
    closed = make_consultation("closed")
    late = services.submit_contribution(
        make_user(), closed, kind="comment", body="Avant.", now=closed.opens_at + timedelta(hours=1)
    )
    db.session.commit()
    refused = client.post(
        _url(closed, late) + "/reponses",
        data={"body": "Ma réponse tardive.", "retour": _list(closed)},
        headers=IN_PLACE,
    )
    html = refused.get_data(as_text=True)
    assert refused.status_code == 409 and "Ma réponse tardive." in html
    assert "n&#39;est pas ouverte" in html
    assert db.session.scalar(sa.select(sa.func.count(Contribution.id))) == 2


def test_a_reply_in_place_without_its_csrf_token_is_refused(
    app, client, db, login_as, opened, argument, make_user
):
    login_as(make_user())
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        sent = client.post(
            _url(opened, argument) + "/reponses",
            data={"body": "Sans jeton.", "retour": _list(opened)},
            headers=IN_PLACE,
        )
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert sent.status_code == 422 and "Sans jeton." in sent.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Contribution.id))) == 1


# --- Vote (the same convention) -----------------------------------------------------------------


def test_vote_in_place_answers_with_the_card_and_refusals_with_their_status(
    client, db, login_as, make_consultation, opened, argument, make_user
):
    login_as(make_user())
    sent = client.post(
        _url(opened, argument) + "/avis",
        data={"value": "agree", "retour": _list(opened)},
        headers=IN_PLACE,
    )
    html = sent.get_data(as_text=True)
    assert sent.status_code == 200 and "<html" not in html
    assert "Votre avis « D&#39;accord » est enregistré." in html
    assert re.search(r"\b1 d(&#39;|')accord", html)
    closed = make_consultation("closed")
    late = services.submit_contribution(
        make_user(), closed, kind="comment", body="Avant.", now=closed.opens_at + timedelta(hours=1)
    )
    db.session.commit()
    refused = client.post(_url(closed, late) + "/avis", data={"value": "agree"}, headers=IN_PLACE)
    assert refused.status_code == 409 and f'id="contribution-{late.id}"' in refused.get_data(
        as_text=True
    )
