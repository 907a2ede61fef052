"""E-mails queued during a request leave after the answer (with SMTP), and only if it succeeded."""

import pytest
from flask import Response

from consultation.core import mail
from tests.helpers import PASSWORD


@pytest.fixture
def smtp(app, monkeypatch):
    """SMTP configured; what would have been sent is recorded instead."""
    sent = []
    app.config["MAIL_URL"] = "smtp://127.0.0.1:2525"
    monkeypatch.setattr(mail, "_send_smtp", lambda _url, message: sent.append(message))
    return sent


def test_a_reset_email_leaves_once_the_answer_is_sent(client, make_user, smtp):
    make_user(email="dominique@example.org")
    response = client.post("/mot-de-passe-oublie", data={"email": "dominique@example.org"})
    assert response.status_code == 302
    assert smtp == []  # the answer is complete, nothing sent yet
    response.close()  # what the WSGI server does after sending it
    assert [m["To"] for m in smtp] == ["dominique@example.org"]


def test_registration_emails_leave_after_the_answer_for_known_and_new_addresses(
    client, make_user, smtp
):
    make_user(email="connu@example.org")
    form = {"display_name": "Dominique", "password": PASSWORD, "accept_terms": "y"}
    for email in ("connu@example.org", "nouveau@example.org"):
        response = client.post("/inscription", data=form | {"email": email})
        assert response.status_code == 302 and smtp == []
        response.close()
        assert smtp.pop()["To"] == email


def test_a_failed_request_sends_nothing(app, smtp):
    with app.test_request_context("/"):
        mail.queue_mail(mail.compose_mail("a@example.org", "Objet", "account_exists", user=None))
        response = app.process_response(Response("erreur", status=500))
    response.close()
    assert smtp == []


def test_a_failure_to_send_after_the_answer_is_logged_not_raised(app, smtp, monkeypatch, caplog):
    def refuse(_url, _message):
        raise OSError("connection refused")

    monkeypatch.setattr(mail, "_send_smtp", refuse)
    with app.test_request_context("/"):
        mail.queue_mail(mail.compose_mail("a@example.org", "Objet", "account_exists", user=None))
        response = app.process_response(Response("ok"))
    response.close()
    assert "mail not sent after the response" in caplog.text


def test_outside_a_request_or_without_smtp_a_queued_email_leaves_at_once(app, smtp, outbox):
    mail.queue_mail(mail.compose_mail("a@example.org", "Objet", "account_exists", user=None))
    assert len(smtp) == 1
    app.config["MAIL_URL"] = None
    with app.test_request_context("/"):
        mail.queue_mail(mail.compose_mail("b@example.org", "Objet", "account_exists", user=None))
    assert [to for to, _subject, _body in outbox()] == ["b@example.org"]


def test_a_message_leaves_only_when_its_transaction_commits(app, db, outbox, make_user):
    """A receipt for an act that was rolled back never leaves; one for a committed act does."""
    from consultation.core.mail import send_mail

    user = make_user()
    db.session.commit()
    user.display_name = "Changé"  # a transaction is open
    send_mail(user.email, "Annulé", "account_exists", user=user, login_link="", reset_link="")
    assert outbox() == []
    db.session.rollback()
    assert outbox() == []
    user.display_name = "Changé"
    send_mail(user.email, "Confirmé", "account_exists", user=user, login_link="", reset_link="")
    assert outbox() == []
    db.session.commit()
    assert [subject for _to, subject, _body in outbox()] == ["Confirmé"]
