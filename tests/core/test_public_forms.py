"""Public forms keep simple bots out with a honeypot and a minimum fill time, never a CAPTCHA:
a refused submission comes back with a French message and everything that was typed."""

import re
import time
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from consultation.accounts.models import User
from consultation.core.forms import (
    HONEYPOT_MESSAGE,
    TOO_FAST_MESSAGE,
    UNSIGNED_MESSAGE,
    form_started_token,
)
from consultation.participation.models import Contribution
from consultation.participation.services import submit_contribution


def _escaped(message: str) -> str:
    return message.replace("'", "&#39;")


class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inputs, self.labels, self.stack = {}, {}, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name"):
            self.inputs[attrs["name"]] = attrs | {"_wrappers": list(self.stack)}
        if tag == "div":
            self.stack.append(attrs.get("class") or "")
        if tag == "label":
            self.labels[attrs.get("for")] = ""
            self._label = attrs.get("for")

    def handle_endtag(self, tag):
        if tag == "div" and self.stack:
            self.stack.pop()
        if tag == "label":
            self._label = None

    def handle_data(self, data):
        if getattr(self, "_label", None):
            self.labels[self._label] += data


def _inputs(page: str) -> _Inputs:
    parser = _Inputs()
    parser.feed(page)
    return parser


@pytest.fixture
def min_time(app):
    app.config["FORM_MIN_FILL_SECONDS"] = 3


def _registration(**extra):
    return {
        "email": "nouvelle@example.org",
        "display_name": "Nouvelle Personne",
        "password": "une phrase de passe solide",
        "accept_terms": "y",
    } | extra


def test_public_forms_carry_a_hidden_honeypot_and_a_signed_start(
    client, db, login_as, opened, make_user
):
    pages = ["/inscription"]
    comment = submit_contribution(make_user(), opened, kind="comment", body="À signaler.")
    db.session.commit()
    login_as(make_user())
    pages += [
        f"/consultations/{opened.slug}/articles/1",
        f"/consultations/{opened.slug}/contributions",
        f"/consultations/{opened.slug}/contributions/{comment.id}",
        f"/contributions/{comment.id}/signaler",
    ]
    for url in pages:
        parsed = _inputs(client.get(url).get_data(as_text=True))
        honeypot = parsed.inputs["website"]
        assert honeypot["tabindex"] == "-1" and honeypot["autocomplete"] == "off", url
        assert honeypot.get("value", "") == "" and honeypot["type"] == "text"
        assert any("fr-sr-only" in wrapper for wrapper in honeypot["_wrappers"]), url
        assert parsed.labels[honeypot["id"]] == "Ne pas remplir ce champ"
        started = parsed.inputs["form_started"]
        assert started["type"] == "hidden" and re.fullmatch(r"[\d.]+\.[\w-]+", started["value"])
    # The sign-in form is not a public contribution form: no honeypot there.
    assert "website" not in _inputs(client.get("/connexion").get_data(as_text=True)).inputs


def test_registration_sent_too_fast_is_refused_with_what_was_typed(client, db, min_time):
    shown = _inputs(client.get("/inscription").get_data(as_text=True))
    response = client.post(
        "/inscription", data=_registration(form_started=shown.inputs["form_started"]["value"])
    )
    page = response.get_data(as_text=True)
    assert _escaped(TOO_FAST_MESSAGE) in page
    assert 'value="nouvelle@example.org"' in page and 'value="Nouvelle Personne"' in page
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0

    # The form comes back with a fresh start; sent after the minimum time, it is accepted.
    assert _inputs(page).inputs["form_started"]["value"] != ""
    sent = client.post(
        "/inscription", data=_registration(form_started=form_started_token(time.time() - 10))
    )
    assert sent.status_code == 302
    assert db.session.scalar(sa.select(User.display_name)) == "Nouvelle Personne"


@pytest.mark.parametrize("started", [None, "", "1700000000.000.forged", "n'importe quoi ∞"])
def test_a_missing_or_forged_start_is_refused_never_a_500(client, db, min_time, started):
    data = _registration() if started is None else _registration(form_started=started)
    response = client.post("/inscription", data=data)
    assert response.status_code == 200
    assert _escaped(UNSIGNED_MESSAGE) in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_a_filled_honeypot_refuses_the_contribution_and_keeps_the_text(
    client, db, login_as, opened, make_user, caplog
):
    author = login_as(make_user())
    url = f"/consultations/{opened.slug}/articles/1/contributions"
    typed = {"kind": "comment", "title": "Mon titre", "body": "Un texte écrit avec soin."}
    refused = client.post(url, data=typed | {"website": "http://spam.example"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert _escaped(HONEYPOT_MESSAGE) in page
    assert "Un texte écrit avec soin." in page and 'value="Mon titre"' in page
    assert "http://spam.example" not in page  # the honeypot comes back empty
    assert db.session.scalar(sa.select(sa.func.count(Contribution.id))) == 0
    refused_events = [
        r.security_details
        for r in caplog.records
        if getattr(r, "security_event", None) == "public_form_refused"
    ]
    assert refused_events and refused_events[0]["check"] == "honeypot"
    assert refused_events[0]["user"] == author.id
    assert client.post(url, data=typed).status_code == 302
    assert db.session.scalar(sa.select(Contribution.body)) == "Un texte écrit avec soin."


def test_comments_and_replies_are_guarded_too(client, db, login_as, opened, make_user, min_time):
    comment = submit_contribution(make_user(), opened, kind="comment", body="À discuter.")
    db.session.commit()
    login_as(make_user())
    listing = f"/consultations/{opened.slug}/contributions"
    replies = f"{listing}/{comment.id}/reponses"
    for url in (listing, replies):
        fast = client.post(url, data={"body": "Ma réponse.", "form_started": form_started_token()})
        assert fast.status_code == 422
        assert _escaped(TOO_FAST_MESSAGE) in fast.get_data(as_text=True)
        assert "Ma réponse." in fast.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Contribution.id))) == 1
    later = form_started_token(time.time() - 5)
    assert (
        client.post(replies, data={"body": "Ma réponse.", "form_started": later}).status_code == 302
    )


def test_the_api_is_not_subject_to_the_form_checks(client, db, opened, make_user, bearer, min_time):
    response = client.post(
        f"/api/v1/consultations/{opened.slug}/contributions",
        json={"kind": "comment", "body": "Par l'API.", "website": "rempli"},
        headers=bearer(make_user()),
    )
    assert response.status_code == 201


def test_a_report_with_a_filled_honeypot_is_refused_and_kept(
    client, db, login_as, opened, make_user
):
    from consultation.moderation.models import Report

    comment = submit_contribution(make_user(), opened, kind="comment", body="À signaler.")
    db.session.commit()
    login_as(make_user())
    url = f"/contributions/{comment.id}/signaler"
    typed = {"reason": "spam", "details": "Publicité déguisée."}
    refused = client.post(url, data=typed | {"website": "x"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert _escaped(HONEYPOT_MESSAGE) in page and "Publicité déguisée." in page
    assert db.session.scalar(sa.select(sa.func.count(Report.id))) == 0
    assert client.post(url, data=typed).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Report.id))) == 1
