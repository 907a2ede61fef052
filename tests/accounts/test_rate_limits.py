"""Sign-in attempts are rate limited per address, with a French 429 page."""


def test_repeated_sign_in_attempts_get_429_with_retry_after(client, rate_limits):
    form = {"email": "x@example.org", "password": "mauvais mot de passe"}
    statuses = [client.post("/connexion", data=form).status_code for _ in range(10)]
    assert statuses == [200] * 10
    refused = client.post("/connexion", data=form)
    assert refused.status_code == 429
    assert "Trop de requêtes" in refused.get_data(as_text=True)
    assert int(refused.headers["Retry-After"]) > 0
    forged = client.post("/connexion", data=form, headers={"X-Forwarded-For": "203.0.113.9"})
    assert forged.status_code == 429  # a forged header does not buy a new allowance


def test_limits_are_off_when_the_switch_is_off(client, app):
    assert app.config["RATE_LIMITS_ENABLED"] is False
    form = {"email": "x@example.org", "password": "mauvais mot de passe"}
    assert {client.post("/connexion", data=form).status_code for _ in range(12)} == {200}
