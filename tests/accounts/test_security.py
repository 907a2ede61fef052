"""Security events are logged without secrets; sessions end on sign-out and password change;
cookies carry their flags; redirects go only to local paths."""

import logging
import re

import pytest
from flask import url_for

from consultation import create_app
from consultation.accounts import services
from consultation.accounts.models import ApiToken
from consultation.core.redirects import safe_next
from consultation.extensions import limiter
from tests.helpers import PASSWORD

EMAIL = "camille.dupont@example.org"
NEW_PASSWORD = "une toute nouvelle phrase"
RESET_PASSWORD = "encore une autre phrase"


def _link(body: str) -> str:
    return next(w for w in body.split() if w.startswith("http")).replace("http://localhost", "")


def _events(caplog) -> list[tuple[str, dict]]:
    return [
        (r.security_event, r.security_details)
        for r in caplog.records
        if hasattr(r, "security_event")
    ]


def _everything_logged(caplog) -> str:
    return "\n".join(f"{r.getMessage()} {r.args!r} {vars(r)!r}" for r in caplog.records)


def test_account_flows_log_security_events_and_never_a_secret(client, db, outbox, caplog):
    caplog.set_level(logging.DEBUG)
    secrets = [PASSWORD, NEW_PASSWORD, RESET_PASSWORD, EMAIL, "bad-guess-password"]

    client.post(
        "/inscription",
        data={"email": EMAIL, "display_name": "Camille", "password": PASSWORD, "accept_terms": "y"},
    )
    verify = _link(outbox()[-1][2])
    secrets.append(verify.rsplit("/", 1)[1])
    assert client.get(verify).status_code == 302
    client.post("/connexion", data={"email": EMAIL, "password": "bad-guess-password"})
    assert client.post("/connexion", data={"email": EMAIL, "password": PASSWORD}).status_code == 302
    secrets.append(client.get_cookie("session").value)

    page = client.post("/compte/jetons", data={"name": "script"}).get_data(as_text=True)
    token = re.search(r"cst_[\w-]+", page).group(0)
    secrets += [token, "cst_forged-token-value"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/consultations?status=draft", headers=bearer).status_code == 403
    forged = {"Authorization": "Bearer cst_forged-token-value"}
    assert client.get("/api/v1/consultations", headers=forged).status_code == 401
    token_id = db.session.scalar(db.select(ApiToken.id))
    assert client.post(f"/compte/jetons/{token_id}/revoquer").status_code == 302

    changed = client.post(
        "/compte/mot-de-passe",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    secrets.append(client.get_cookie("session").value)
    assert client.post("/deconnexion").status_code == 302

    client.post("/mot-de-passe-oublie", data={"email": EMAIL})
    reset = _link(outbox()[-1][2])
    secrets.append(reset.rsplit("/", 1)[1])
    assert client.get("/reinitialisation/un-faux-jeton-secret").status_code == 400
    secrets.append("un-faux-jeton-secret")
    done = client.post(reset, data={"password": RESET_PASSWORD, "confirm": RESET_PASSWORD})
    assert done.status_code == 302

    events = _events(caplog)
    names = [name for name, _details in events]
    for expected in (
        "email_verified",
        "login_failed",
        "login_succeeded",
        "api_token_created",
        "access_denied",
        "api_token_refused",
        "api_token_revoked",
        "password_changed",
        "logout",
        "password_reset_requested",
        "password_reset_link_refused",
        "password_reset",
    ):
        assert expected in names, expected
    failed = dict(events)["login_failed"]
    assert failed["email"] == "c***@example.org" and failed["address"] == "127.0.0.1"
    user_id = services.find_user(EMAIL).id
    assert dict(events)["password_changed"]["user"] == user_id
    assert dict(events)["access_denied"]["user"] == user_id

    logged = _everything_logged(caplog)
    for secret in secrets:
        assert secret not in logged, secret


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True


def test_refusals_are_logged(client, db, login_as, make_user, csrf_on, rate_limits, caplog):
    caplog.set_level(logging.INFO)
    participant = login_as(make_user())
    assert client.get("/gestion/").status_code == 403
    assert client.post("/deconnexion").status_code == 400  # no CSRF token
    stale = client.post("/compte/profil", data={"csrf_token": "périmé", "display_name": "X"})
    assert stale.status_code == 422
    form = {"email": "x@example.org", "password": "mauvais"}
    statuses = [client.post("/connexion", data=form).status_code for _ in range(11)]
    assert statuses[-1] == 429
    events = _events(caplog)
    denied = [d for name, d in events if name == "access_denied"]
    assert (
        denied and denied[0]["user"] == participant.id and denied[0]["request"] == "GET /gestion/"
    )
    csrf = {d["request"] for name, d in events if name == "csrf_failed"}
    assert {"POST /deconnexion", "POST /compte/profil"} <= csrf
    limited = [d for name, d in events if name == "rate_limited"]
    assert limited and limited[0]["limit"] == "10 per 1 minute"


# --- Sessions and cookies -----------------------------------------------------------------------


def test_a_password_change_ends_every_other_session(app, client, make_user):
    make_user(email="e@example.org")
    other_device = app.test_client()
    form = {"email": "e@example.org", "password": PASSWORD, "remember": "y"}
    assert other_device.post("/connexion", data=form).status_code == 302
    assert other_device.get_cookie("remember_token") is not None
    assert client.post("/connexion", data=form).status_code == 302
    old_cookie = client.get_cookie("session").value

    changed = client.post(
        "/compte/mot-de-passe",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    assert client.get("/compte").status_code == 200  # the session that changed it goes on
    assert other_device.get("/compte").status_code == 302  # session and remember cookie refused
    replay = app.test_client()
    replay.set_cookie("session", old_cookie)
    assert replay.get("/compte").status_code == 302


def test_sign_out_refuses_the_old_remember_cookie_too(app, client, make_user):
    make_user(email="f@example.org")
    form = {"email": "f@example.org", "password": PASSWORD, "remember": "y"}
    client.post("/connexion", data=form)
    remember = client.get_cookie("remember_token").value
    assert client.post("/deconnexion").status_code == 302
    thief = app.test_client()
    thief.set_cookie("remember_token", remember)
    assert thief.get("/compte").status_code == 302


def test_production_cookies_are_secure_httponly_and_lax(app, make_user, monkeypatch, tmp_path):
    make_user(email="g@example.org")
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    production = create_app("production")
    was_enabled = limiter.enabled
    try:
        client = production.test_client()
        https = {"base_url": "https://consultation.example"}
        page = client.get("/connexion", **https).get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = client.post(
            "/connexion",
            data={
                "csrf_token": csrf,
                "email": "g@example.org",
                "password": PASSWORD,
                "remember": "y",
            },
            **https,
        )
        assert response.status_code == 302
        cookies = response.headers.getlist("Set-Cookie")
        cookies += client.get("/langue/en", **https).headers.getlist("Set-Cookie")
        names = {cookie.split("=", 1)[0] for cookie in cookies}
        assert {"session", "remember_token", "lang"} <= names
        for cookie in cookies:
            assert "; Secure" in cookie and "; HttpOnly" in cookie, cookie
            assert "; SameSite=Lax" in cookie, cookie
    finally:
        with production.app_context():
            from consultation.extensions import db

            db.engine.dispose()
        limiter.enabled = was_enabled


# --- Redirects ----------------------------------------------------------------------------------


HOSTILE_TARGETS = [
    "//evil.example",
    "///evil.example",
    "https://evil.example",
    "http:evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/\t/evil.example",
    "/\x00/evil.example",
    " //evil.example",
    "evil.example",
]


def test_redirects_go_only_to_local_paths(app, client, make_user):
    make_user(email="h@example.org")
    credentials = {"email": "h@example.org", "password": PASSWORD}
    with app.test_request_context():
        home = url_for("consultations.index")
    for target in HOSTILE_TARGETS:
        with app.test_request_context():
            assert safe_next(target) == home, target
        client.post("/deconnexion")
        signed_in = client.post("/connexion", query_string={"next": target}, data=credentials)
        language = client.get("/langue/fr", query_string={"suivant": target})
        if "\x00" in target:  # refused before any view: no redirect at all
            assert (signed_in.status_code, language.status_code) == (400, 400)
            continue
        assert signed_in.headers["Location"] == home, target
        assert language.headers["Location"] == home, target


def test_a_local_path_is_kept(app):
    with app.test_request_context():
        assert (
            safe_next("/consultations/loi?ordre=recent#avis")
            == "/consultations/loi?ordre=recent#avis"
        )
