"""Accounts rules through the service layer."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from consultation.accounts import services
from consultation.accounts.models import Role, User
from consultation.core import clock
from consultation.core.errors import Conflict, ValidationFailed
from tests.helpers import PASSWORD


def _link(body: str) -> str:
    return next(word for word in body.split() if word.startswith("http"))


def test_registration_sends_a_single_use_verification_link(db, outbox):
    user = services.register_participant("Camille@Example.org ", "Camille", PASSWORD)
    db.session.commit()
    assert user.email == "camille@example.org" and not user.is_verified
    to, subject, body = outbox()[-1]
    assert to == "camille@example.org" and "Confirmez" in subject
    token = _link(body).rsplit("/", 1)[1]
    services.verify_email(token)
    assert user.is_verified
    with pytest.raises(ValidationFailed, match="déjà été utilisé"):
        services.verify_email(token)


def test_verification_link_expires(db, outbox):
    now = clock.now()
    services.register_participant("late@example.org", "Tard", PASSWORD, now=now)
    db.session.commit()  # e-mails leave when their transaction commits
    token = _link(outbox()[-1][2]).rsplit("/", 1)[1]
    with pytest.raises(ValidationFailed, match="expiré"):
        services.verify_email(token, now=now + timedelta(hours=49))


@pytest.mark.parametrize(
    "password",
    ["court", "a" * 11, "aaaaaaaaaaaaaaaa", "motdepasse123", "x" * 257],
)
def test_weak_passwords_are_refused_without_composition_rules(db, password):
    with pytest.raises(ValidationFailed) as refused:
        services.register_participant("weak@example.org", "Weak", password)
    assert "password" in refused.value.fields


def test_a_long_passphrase_without_digits_or_symbols_is_accepted(db):
    assert services.register_participant(
        "phrase@example.org", "Phrase", "cheval correct pile agrafe"
    )


def test_registering_an_existing_address_creates_nothing_and_warns_its_owner(db, make_user, outbox):
    existing = make_user(email="deja@example.org")
    assert services.register_participant("deja@example.org", "Autre", PASSWORD) is None
    db.session.commit()
    to, subject, _ = outbox()[-1]
    assert to == existing.email and "existe déjà" in subject


def test_authentication_gives_the_same_answer_for_unknown_address_and_wrong_password(db, make_user):
    user = make_user(email="a@example.org")
    assert services.authenticate("A@example.org", PASSWORD) == user
    with pytest.raises(ValidationFailed) as wrong:
        services.authenticate("a@example.org", "mauvais mot de passe")
    with pytest.raises(ValidationFailed) as unknown:
        services.authenticate("nobody@example.org", PASSWORD)
    assert wrong.value.message == unknown.value.message


def test_password_reset_link_changes_password_and_ends_sessions(db, make_user, outbox):
    user = make_user(email="reset@example.org")
    old_session = user.get_id()
    services.request_password_reset("reset@example.org")
    db.session.commit()
    token = _link(outbox()[-1][2]).rsplit("/", 1)[1]
    services.reset_password(token, "une toute nouvelle phrase")
    assert services.authenticate("reset@example.org", "une toute nouvelle phrase") == user
    assert services.load_session_user(old_session) is None
    with pytest.raises(ValidationFailed):
        services.reset_password(token, "encore une autre phrase")


def test_reset_for_unknown_address_sends_nothing(db, outbox):
    services.request_password_reset("inconnu@example.org")
    db.session.commit()
    assert outbox() == []


def test_staff_roles_need_an_institution(db):
    with pytest.raises(ValidationFailed):
        services.create_user("orga@example.org", role=Role.organiser)


def test_institution_slugs_are_unique(db, institution):
    with pytest.raises(Conflict):
        services.create_institution(institution.slug, "Doublon")


def test_api_tokens_are_stored_hashed_and_can_be_revoked(db, make_user):
    user = make_user()
    token, secret = services.create_api_token(user, "script")
    assert secret not in (token.token_hash, token.prefix) and secret.startswith(token.prefix)
    assert services.user_for_api_token(secret) == user
    services.revoke_api_token(user, token.id)
    assert services.user_for_api_token(secret) is None
    assert services.user_for_api_token("cst_not-a-token") is None


def test_staff_act_only_within_their_institution(db, make_user, make_institution, institution):
    other = make_institution()
    organiser, moderator, admin = make_user("organiser"), make_user("moderator"), make_user("admin")
    assert organiser.can_organise(institution.id) and not organiser.can_organise(other.id)
    assert moderator.acts_for(institution.id) and not moderator.can_organise(institution.id)
    assert admin.can_organise(other.id)
    assert not make_user("participant").acts_for(institution.id)


def test_an_address_taken_between_the_check_and_the_insert_is_a_conflict(db, monkeypatch):
    """Two registrations of one new address at the same moment: both pass the lookup, the
    unique constraint refuses the second, which is answered as a known address (no 500)."""
    services.create_user("course@example.org", display_name="Première")
    db.session.commit()
    real, calls = services.find_user, []

    def late_lookup(email):  # the first lookup runs before the other request's commit
        calls.append(email)
        return None if len(calls) == 1 else real(email)

    monkeypatch.setattr(services, "find_user", late_lookup)
    assert services.register_participant("course@example.org", "Seconde", PASSWORD) is None
    db.session.commit()
    count = db.session.scalar(
        sa.select(sa.func.count()).select_from(User).where(User.email == "course@example.org")
    )
    assert count == 1
