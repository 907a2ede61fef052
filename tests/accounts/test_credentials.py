"""Credentials: a reset link works once and dies when another is used or the password changes;
a password change ends the other sessions and revokes the API tokens when asked; registration
and reset requests do the same work whether or not the address has an account."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from consultation.accounts import services
from consultation.accounts.models import ApiToken
from consultation.core import clock
from consultation.core.errors import ValidationFailed
from tests.helpers import PASSWORD

EMAIL = "claude@example.org"
NEW_PASSWORD = "une toute nouvelle phrase"
OTHER_PASSWORD = "encore une autre phrase"
DEAD = "ne fonctionne plus"


def _last_link(outbox) -> str:
    body = outbox()[-1][2]
    return next(w for w in body.split() if w.startswith("http")).replace("http://localhost", "")


def _ask_link(client, outbox, email=EMAIL) -> str:
    assert client.post("/mot-de-passe-oublie", data={"email": email}).status_code == 302
    return _last_link(outbox)


def _reset(client, link, password, **extra):
    return client.post(link, data={"password": password, "confirm": password, **extra})


def _signs_in(email, password) -> bool:
    try:
        services.authenticate(email, password)
    except ValidationFailed:
        return False
    return True


def _live_tokens(user) -> int:
    return len(services.api_tokens(user))


# --- Reset links --------------------------------------------------------------------------------


def test_a_reset_link_works_once(client, make_user, outbox):
    make_user(email=EMAIL)
    link = _ask_link(client, outbox)
    assert _reset(client, link, NEW_PASSWORD).status_code == 302
    again = client.get(link)
    assert again.status_code == 400
    page = again.get_data(as_text=True)
    assert "il a déjà servi" in page and "Demander un nouveau lien" in page
    assert _reset(client, link, OTHER_PASSWORD).status_code == 400
    assert _signs_in(EMAIL, NEW_PASSWORD) and not _signs_in(EMAIL, OTHER_PASSWORD)


def test_the_first_link_dies_once_a_second_one_is_used(client, make_user, outbox):
    make_user(email=EMAIL)
    first = _ask_link(client, outbox)
    second = _ask_link(client, outbox)
    assert first != second
    assert client.get(first).status_code == 200  # both work until one is used
    assert _reset(client, second, NEW_PASSWORD).status_code == 302
    refused = _reset(client, first, OTHER_PASSWORD)
    assert refused.status_code == 400 and DEAD in refused.get_data(as_text=True)
    assert _signs_in(EMAIL, NEW_PASSWORD)


def test_a_link_dies_when_the_password_is_changed_from_the_account_page(client, make_user, outbox):
    make_user(email=EMAIL)
    link = _ask_link(client, outbox)
    client.post("/connexion", data={"email": EMAIL, "password": PASSWORD})
    changed = client.post(
        "/compte/mot-de-passe",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    client.post("/deconnexion")
    page = client.get(link)
    assert page.status_code == 400 and DEAD in page.get_data(as_text=True)
    assert _reset(client, link, OTHER_PASSWORD).status_code == 400
    assert _signs_in(EMAIL, NEW_PASSWORD)


def test_a_link_that_dies_while_its_form_is_open_shows_why_not_the_form(client, make_user, outbox):
    user = make_user(email=EMAIL)
    link = _ask_link(client, outbox)
    assert client.get(link).status_code == 200
    services.change_password(user, PASSWORD, NEW_PASSWORD)  # elsewhere, meanwhile
    refused = _reset(client, link, OTHER_PASSWORD)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and DEAD in page and 'type="password"' not in page


def test_an_expired_link_is_refused_with_a_way_to_ask_for_another(db, make_user):
    user = make_user(email=EMAIL)
    sent = clock.now() - timedelta(hours=3)
    token = services.reset_token(user, now=sent)
    assert services.check_reset_token(token, now=sent + timedelta(hours=1)) == user
    with pytest.raises(ValidationFailed, match="a expiré"):
        services.reset_password(token, NEW_PASSWORD)
    assert _signs_in(EMAIL, PASSWORD)


@pytest.mark.parametrize(
    "token",
    [
        "x",
        "1.2",
        "1.2.3.4",
        "1.1700000000.abc.forged-signature",
        "99999999999999999999.1.a.b",
        "1.99999999999999999999.a.b",
        "-1.1700000000.a.b",
        "é.à.ü",
        "².1700000000.a.b",
        "١.١٧٠٠٠٠٠٠٠٠.a.b",
    ],
)
def test_a_malformed_or_forged_link_is_refused_without_error(client, make_user, token):
    make_user(email=EMAIL)
    for response in (
        client.get(f"/reinitialisation/{token}"),
        _reset(client, f"/reinitialisation/{token}", NEW_PASSWORD),
    ):
        assert response.status_code == 400
        assert "Demander un nouveau lien" in response.get_data(as_text=True)
    assert _signs_in(EMAIL, PASSWORD)


def test_a_link_is_bound_to_its_account(db, make_user):
    first, second = make_user(email=EMAIL), make_user(email="autre@example.org")
    token = services.reset_token(first)
    user_id, rest = token.split(".", 1)
    with pytest.raises(ValidationFailed):
        services.check_reset_token(f"{second.id}.{rest}")
    assert services.check_reset_token(token) == first


def test_a_link_of_an_erased_account_is_refused(db, make_user):
    user = make_user(email=EMAIL)
    token = services.reset_token(user)
    services.erase_account(user, PASSWORD)
    db.session.commit()
    with pytest.raises(ValidationFailed):
        services.check_reset_token(token)


def test_a_reset_ends_every_session(app, client, make_user, outbox):
    make_user(email=EMAIL)
    device = app.test_client()
    device.post("/connexion", data={"email": EMAIL, "password": PASSWORD, "remember": "y"})
    assert device.get("/compte").status_code == 200
    assert _reset(client, _ask_link(client, outbox), NEW_PASSWORD).status_code == 302
    assert device.get("/compte").status_code == 302


# --- API tokens on a password change or reset ---------------------------------------------------


def _signed_in_with_tokens(client, make_user, count=2):
    user = make_user(email=EMAIL)
    for n in range(count):
        services.create_api_token(user, f"script {n}")
    client.post("/connexion", data={"email": EMAIL, "password": PASSWORD})
    return user


def _change(client, **extra):
    return client.post(
        "/compte/mot-de-passe",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
        | extra,
    )


def test_the_account_page_offers_to_revoke_the_tokens_checked_with_their_number(client, make_user):
    _signed_in_with_tokens(client, make_user)
    page = client.get("/compte").get_data(as_text=True)
    assert "Révoquer aussi mes jetons d&#39;accès à l&#39;API (2)" in page
    box = re.search(r'<input[^>]*name="revoke_api_tokens"[^>]*>', page).group(0)
    assert 'type="checkbox"' in box and "checked" in box


def test_the_checkbox_is_not_offered_without_tokens(client, make_user):
    make_user(email=EMAIL)
    client.post("/connexion", data={"email": EMAIL, "password": PASSWORD})
    assert "revoke_api_tokens" not in client.get("/compte").get_data(as_text=True)


def test_a_password_change_revokes_the_tokens_when_asked(client, make_user, db):
    user = _signed_in_with_tokens(client, make_user)
    changed = _change(client, revoke_api_tokens="y")
    assert changed.status_code == 302
    assert _live_tokens(user) == 0
    assert "jetons d&#39;accès à l&#39;API révoqués" in client.get("/compte").get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).where(ApiToken.revoked_at.is_(None))) == 0


def test_a_password_change_keeps_the_tokens_when_not_asked(client, make_user):
    user = _signed_in_with_tokens(client, make_user)
    assert _change(client).status_code == 302  # the box unticked: the field is not sent
    assert _live_tokens(user) == 2
    assert _signs_in(EMAIL, NEW_PASSWORD)


def test_a_reset_revokes_the_tokens_when_asked_and_keeps_them_otherwise(client, make_user, outbox):
    user = make_user(email=EMAIL)
    services.create_api_token(user, "script")
    link = _ask_link(client, outbox)
    form = client.get(link).get_data(as_text=True)
    assert "Révoquer aussi mes jetons d&#39;accès à l&#39;API (1)" in form
    assert _reset(client, link, NEW_PASSWORD).status_code == 302
    assert _live_tokens(user) == 1
    assert _reset(client, _ask_link(client, outbox), OTHER_PASSWORD, revoke_api_tokens="y")
    assert _live_tokens(user) == 0


def test_a_refused_change_revokes_nothing(client, make_user):
    user = _signed_in_with_tokens(client, make_user)
    refused = client.post(
        "/compte/mot-de-passe",
        data={
            "current_password": "pas le bon",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
            "revoke_api_tokens": "y",
        },
    )
    assert refused.status_code == 422
    assert "Mot de passe actuel incorrect." in refused.get_data(as_text=True)
    assert _live_tokens(user) == 2


# --- Sessions ------------------------------------------------------------------------------------


def test_a_change_ends_the_other_sessions_and_keeps_this_one(app, client, make_user):
    _signed_in_with_tokens(client, make_user, count=0)
    other = app.test_client()
    other.post("/connexion", data={"email": EMAIL, "password": PASSWORD})
    assert other.get("/compte").status_code == 200
    assert _change(client).status_code == 302
    assert client.get("/compte").status_code == 200
    assert other.get("/compte").status_code == 302


def test_a_change_keeps_this_device_remembered(app, client, make_user):
    make_user(email=EMAIL)
    client.post("/connexion", data={"email": EMAIL, "password": PASSWORD, "remember": "y"})
    old = client.get_cookie("remember_token").value
    assert _change(client).status_code == 302
    renewed = client.get_cookie("remember_token").value
    assert renewed != old
    for cookie, status in ((renewed, 200), (old, 302)):
        browser = app.test_client()  # the browser reopened: only the remember cookie is left
        browser.set_cookie("remember_token", cookie)
        assert browser.get("/compte").status_code == status


# --- The form without JavaScript, and its CSRF token ---------------------------------------------


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def _csrf_token(page: str) -> str:
    start = page.index('name="csrf_token"')
    return page[start:].split('value="', 1)[1].split('"', 1)[0]


def test_the_change_form_is_a_plain_post_that_checks_its_csrf_token(client, make_user, csrf_on):
    user = make_user(email=EMAIL)
    services.create_api_token(user, "script")
    login = client.get("/connexion").get_data(as_text=True)
    client.post(
        "/connexion",
        data={"email": EMAIL, "password": PASSWORD, "csrf_token": _csrf_token(login)},
    )
    page = client.get("/compte").get_data(as_text=True)
    form = page[page.rindex("<form", 0, page.index('action="/compte/mot-de-passe"')) :]
    form = form.split("</form>", 1)[0]
    assert form.startswith('<form method="post"') and 'type="submit"' in form
    assert 'type="checkbox"' in form and "<script" not in form

    data = {
        "current_password": PASSWORD,
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
        "revoke_api_tokens": "y",
    }
    forged = client.post("/compte/mot-de-passe", data=data)
    assert forged.status_code == 422
    assert "Le formulaire a expiré" in forged.get_data(as_text=True)
    assert _signs_in(EMAIL, PASSWORD) and _live_tokens(user) == 1

    sent = client.post("/compte/mot-de-passe", data=data | {"csrf_token": _csrf_token(form)})
    assert sent.status_code == 302
    assert _signs_in(EMAIL, NEW_PASSWORD) and _live_tokens(user) == 0


# --- The same work whether or not the address has an account -------------------------------------


@pytest.fixture
def work(db, monkeypatch):
    """Counts what a request does: password hashes, e-mails composed and queued, writes."""
    from consultation.accounts import services as module

    seen = {"hashes": 0, "composed": 0, "queued": 0, "writes": 0}

    def counting(name, original):
        def wrapper(*args, **kwargs):
            seen[name] += 1
            return original(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(
        module, "generate_password_hash", counting("hashes", module.generate_password_hash)
    )
    monkeypatch.setattr(module, "compose_mail", counting("composed", module.compose_mail))
    monkeypatch.setattr(module, "queue_mail", counting("queued", module.queue_mail))

    def count_writes(_conn, _cursor, statement, *_args):
        if statement.split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            seen["writes"] += 1

    event.listen(db.engine, "before_cursor_execute", count_writes)

    def take():
        taken = dict(seen)
        for key in seen:
            seen[key] = 0
        return taken

    yield take
    event.remove(db.engine, "before_cursor_execute", count_writes)


def test_registration_does_the_same_work_for_a_known_and_a_new_address(client, make_user, work):
    make_user(email=EMAIL)
    form = {"display_name": "Claude", "password": NEW_PASSWORD, "accept_terms": "y"}
    work()
    assert client.post("/inscription", data=form | {"email": EMAIL}).status_code == 302
    known = work()
    assert client.post("/inscription", data=form | {"email": "new@example.org"}).status_code == 302
    new = work()
    assert known["hashes"] == new["hashes"] == 1
    assert known["composed"] == new["composed"] == 1
    assert known["queued"] == new["queued"] == 1
    assert known["writes"] >= 1 and new["writes"] >= 1  # each commit flushes to disk


def test_a_reset_request_does_the_same_work_for_a_known_and_an_unknown_address(
    client, make_user, outbox, work
):
    make_user(email=EMAIL)
    work()
    client.post("/mot-de-passe-oublie", data={"email": EMAIL})
    known = work()
    client.post("/mot-de-passe-oublie", data={"email": "personne@example.org"})
    unknown = work()
    assert known["composed"] == unknown["composed"] == 1
    assert known["writes"] == unknown["writes"] == 0  # the link is signed, not stored
    assert (known["queued"], unknown["queued"]) == (1, 0)
    assert [to for to, _subject, _body in outbox()] == [EMAIL]
