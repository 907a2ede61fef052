"""Sign-in attempts are rate limited per address, with a French 429 page."""


def test_repeated_sign_in_attempts_get_429_with_retry_after(client, rate_limits, make_user):
    make_user(email="x@example.org")  # a known address: the wrong password is checked cheaply
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
    form = {"email": "x@example.org"}  # limited to 5 per minute when the switch is on
    assert {client.post("/mot-de-passe-oublie", data=form).status_code for _ in range(7)} == {302}


def test_counters_live_in_memory_unless_redis_is_configured(monkeypatch, tmp_path):
    from config import DevelopmentConfig, ProductionConfig

    monkeypatch.delenv("REDIS_URL", raising=False)
    development = DevelopmentConfig()
    development.init_instance(tmp_path)
    assert development.RATELIMIT_STORAGE_URI == "memory://"
    monkeypatch.setenv("REDIS_URL", "redis://cache.internal:6379/2")
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    monkeypatch.setenv("VOTE_LIMITS_PER_ADDRESS", "")
    production = ProductionConfig()
    production.init_instance(tmp_path)
    assert production.RATELIMIT_STORAGE_URI == "redis://cache.internal:6379/2"
    assert production.RATE_LIMITS_ENABLED is True and production.VOTE_LIMITS_PER_ADDRESS == ""
    assert production.VOTE_LIMITS_PER_ACCOUNT == "120 per minute;1000 per hour"
