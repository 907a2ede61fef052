"""Every e-mail in its recipient's language: each is sent through the service that sends it
(or, for the two sent by jobs over many people, rendered with the context that job gives) to
a participant who chose English and to one who kept French."""

from datetime import date
from types import SimpleNamespace

import pytest
from flask import render_template
from flask_babel import force_locale

from consultation import accounts
from consultation.moderation import appeals
from consultation.moderation import services as moderation
from consultation.participation import services as participation
from consultation.synthesis import services as synthesis
from tests.helpers import PASSWORD

NAME = "Dominique O'Brien & <Co>"
# Sentences a French e-mail has and an English one must not.
FRENCH = ["Bonjour", "Vous ", "vous ", "votre", "L'équipe", "heure de Paris"]


@pytest.fixture
def person(db, make_user, request):
    """The recipient, in the language the test is run for."""
    user = make_user(display_name=NAME)
    user.locale = request.param if hasattr(request, "param") else "fr"
    db.session.commit()
    return user


def _last_to(outbox, user):
    return [body for to, _subject, body in outbox() if to == user.email][-1]


def _contribution(db, author, opened):
    item = participation.submit_contribution(author, opened, kind="comment", body="Un avis.")
    db.session.commit()
    return item


def receipt(db, person, opened, outbox, **_):
    _contribution(db, person, opened)
    return _last_to(outbox, person)


def answer(db, person, opened, outbox, organiser, **_):
    item = _contribution(db, person, opened)
    synthesis.answer_contribution(organiser, item, "retained", "Retenu.")
    db.session.commit()
    return _last_to(outbox, person)


def hidden(db, person, opened, outbox, moderator, **_):
    item = _contribution(db, person, opened)
    moderation.hide_contribution(moderator, item, "off_topic")
    db.session.commit()
    return _last_to(outbox, person)


def bulk_hidden(db, person, opened, outbox, moderator, **_):
    items = [_contribution(db, person, opened) for _ in range(2)]
    moderation.bulk_moderate(
        moderator, [item.id for item in items], "hide", reason="off_topic", notify=True
    )
    db.session.commit()
    return _last_to(outbox, person)


def appeal_decided(db, person, opened, outbox, moderator, **_):
    item = _contribution(db, person, opened)
    moderation.hide_contribution(moderator, item, "off_topic")
    db.session.commit()
    appeals.appeal_hiding(person, item, "Mon avis porte sur le texte.")
    db.session.commit()
    moderation.restore_contribution(moderator, item)
    db.session.commit()
    return _last_to(outbox, person)


def blocked(db, person, opened, outbox, moderator, **_):
    item = _contribution(db, person, opened)
    moderation.moderate(moderator, item, "block", reason="insult")
    db.session.commit()
    return _last_to(outbox, person)


def reset_password(db, person, outbox, **_):
    accounts.services.request_password_reset(person.email)
    db.session.commit()
    return _last_to(outbox, person)


def verify_email(db, person, outbox, **_):
    accounts.services.send_verification(person)
    db.session.commit()
    return _last_to(outbox, person)


def account_exists(db, person, outbox, **_):
    accounts.services.register_participant(person.email, "Autre nom", PASSWORD)
    db.session.commit()
    return _last_to(outbox, person)


def _render(app, template, person, **context):
    with app.test_request_context("/"), force_locale(person.locale):
        return render_template(f"emails/{template}.txt", user=person, reply_to=None, **context)


def follow_up_changed(app, person, opened, **_):
    """The context synthesis.follow_ups.tell_followers gives, for a changed follow-up."""
    label = SimpleNamespace(label="Prévue")
    return _render(
        app,
        "follow_up_changed",
        person,
        consultation=opened,
        follow_up=SimpleNamespace(title="Décret", status=label, due_date=date(2030, 6, 1)),
        created=False,
        changes=[("Titre", "Arrêté", "Décret")],
        note=None,
        link="http://localhost/suites",
    )


def adopted_text(app, person, opened, **_):
    """The context synthesis.adoption.tell_retained_authors gives, for two contributions."""
    contributions = [
        SimpleNamespace(tracking_number=n, answer=None) for n in ("C-AAAA1111", "C-BBBB2222")
    ]
    return _render(
        app,
        "adopted_text",
        person,
        consultation=opened,
        contributions=contributions,
        article=None,
        link="http://localhost/texte-adopte",
    )


# (how the e-mail is made, what the French one says, what the English one says)
EMAILS = {
    "contribution_receipt": (receipt, "est enregistrée", "is recorded"),
    "contribution_answered": (answer, "L'administration a répondu", "has answered"),
    "contribution_hidden": (hidden, "a été masquée par la modération", "was hidden by"),
    "contributions_hidden": (bulk_hidden, "La modération a masqué 2", "have hidden 2"),
    "appeal_decided": (appeal_decided, "est rétablie", "is restored"),
    "participant_blocked": (blocked, "a bloqué votre compte", "blocked your account"),
    "reset_password": (reset_password, "choisir un nouveau mot de passe", "choose a new"),
    "verify_email": (verify_email, "Pour confirmer votre adresse", "To confirm your"),
    "account_exists": (account_exists, "qui en possède déjà un", "which already has one"),
    "follow_up_changed": (follow_up_changed, "a changé :", "has changed:"),
    "adopted_text": (adopted_text, "Vos contributions retenues", "Your contributions taken"),
}


def test_every_email_template_is_covered():
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "templates" / "emails"
    assert {path.stem for path in templates.glob("*.txt")} == set(EMAILS)


@pytest.mark.parametrize("person", ["fr", "en"], indirect=True)
@pytest.mark.parametrize("email", list(EMAILS))
def test_each_email_is_written_in_its_recipients_language(
    app, db, person, opened, outbox, make_user, organiser, email
):
    make, french, english = EMAILS[email]
    body = make(
        app=app,
        db=db,
        person=person,
        opened=opened,
        outbox=outbox,
        organiser=organiser,
        moderator=make_user("moderator"),
    )
    if person.locale == "en":
        assert body.startswith(f"Hello {NAME},")  # a plain-text e-mail: nothing escaped
        assert english in body and body.rstrip().endswith("The Consultation team")
        assert [word for word in FRENCH if word in body] == []
    else:
        assert body.startswith(f"Bonjour {NAME},")
        assert french in body and body.rstrip().endswith("L'équipe Consultation")
    assert "\n\n\n" not in body  # paragraphs apart by one blank line
