"""Registration, verification, sign-in, sign-out and password reset through the pages."""

from consultation.accounts import services
from tests.helpers import PASSWORD


def _link(body: str) -> str:
    return next(word for word in body.split() if word.startswith("http"))


def test_register_verify_and_sign_in(client, outbox, db):
    response = client.post(
        "/inscription",
        data={
            "email": "lea@example.org",
            "display_name": "Léa",
            "password": PASSWORD,
            "accept_terms": "y",
        },
    )
    assert response.status_code == 302
    link = _link(outbox()[-1][2])
    assert link.startswith("http://localhost/verification/")
    assert client.get(link.replace("http://localhost", "")).status_code == 302
    assert services.find_user("lea@example.org").is_verified
    signed_in = client.post("/connexion", data={"email": "lea@example.org", "password": PASSWORD})
    assert signed_in.status_code == 302
    assert "Léa" in client.get("/compte").get_data(as_text=True)


def test_registration_errors_are_shown_next_to_fields_and_input_kept(client, db):
    response = client.post(
        "/inscription",
        data={"email": "pas-une-adresse", "display_name": "Nom gardé", "password": "court"},
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Adresse e-mail invalide." in page
    assert 'value="Nom gardé"' in page and 'value="pas-une-adresse"' in page
    assert "Vous devez accepter les conditions d&#39;utilisation." in page
    assert services.find_user("pas-une-adresse") is None


def test_weak_password_message_is_next_to_the_password_field(client, db):
    page = client.post(
        "/inscription",
        data={
            "email": "x@example.org",
            "display_name": "X",
            "password": "trop court",
            "accept_terms": "y",
        },
    ).get_data(as_text=True)
    assert "au moins 12 caractères" in page and 'id="password-error"' in page


def test_wrong_password_gives_a_french_error(client, make_user):
    make_user(email="a@example.org")
    page = client.post(
        "/connexion", data={"email": "a@example.org", "password": "pas le bon"}
    ).get_data(as_text=True)
    assert "Adresse e-mail ou mot de passe incorrect." in page


def test_logout_ends_the_session_even_for_a_copied_cookie(client, make_user, app):
    make_user(email="b@example.org")
    client.post("/connexion", data={"email": "b@example.org", "password": PASSWORD})
    cookie = client.get_cookie("session").value
    assert client.get("/compte").status_code == 200
    client.post("/deconnexion")
    assert client.get("/compte").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    assert thief.get("/compte").status_code == 302


def test_password_reset_through_the_pages(client, make_user, outbox):
    make_user(email="c@example.org")
    client.post("/mot-de-passe-oublie", data={"email": "c@example.org"})
    path = _link(outbox()[-1][2]).replace("http://localhost", "")
    assert client.get(path).status_code == 200
    mismatch = client.post(
        path, data={"password": "nouvelle phrase solide", "confirm": "autre chose"}
    )
    assert "Les deux mots de passe diffèrent." in mismatch.get_data(as_text=True)
    done = client.post(
        path, data={"password": "nouvelle phrase solide", "confirm": "nouvelle phrase solide"}
    )
    assert done.status_code == 302
    assert services.authenticate("c@example.org", "nouvelle phrase solide")
    assert client.get(path).status_code == 400  # single use


def test_safe_redirect_after_login_only_to_local_paths(client, make_user):
    make_user(email="d@example.org")
    for target, expected in (
        ("/compte", "/compte"),
        ("https://evil.example/", "/"),
        ("//evil.example", "/"),
    ):
        client.post("/deconnexion")
        response = client.post(
            f"/connexion?next={target}", data={"email": "d@example.org", "password": PASSWORD}
        )
        assert response.headers["Location"] == expected


def test_api_tokens_from_the_account_page(client, login_as, make_user, db):
    user = login_as(make_user())
    created = client.post("/compte/jetons", data={"name": "mon script"})
    secret = next(
        w for w in created.get_data(as_text=True).replace('"', " ").split() if w.startswith("cst_")
    )
    assert services.user_for_api_token(secret) == user
    assert "mon script" in client.get("/compte").get_data(as_text=True)
