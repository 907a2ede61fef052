"""Sign-in attempts are rate limited per address, with a French 429 page."""

import pytest

from consultation import create_app
from consultation.extensions import db, limiter


@pytest.fixture
def limited_app(tmp_path):
    """A separate application with rate limits on. The limiter extension is shared, so its
    switch is put back afterwards for the rest of the suite."""
    was_enabled = limiter.enabled
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'limits.db'}",
            "RATELIMIT_ENABLED": True,
        }
    )
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()
    limiter.enabled = was_enabled


def test_repeated_sign_in_attempts_get_429_with_retry_after(limited_app):
    client = limited_app.test_client()
    form = {"email": "x@example.org", "password": "mauvais mot de passe"}
    statuses = [client.post("/connexion", data=form).status_code for _ in range(10)]
    assert statuses == [200] * 10
    refused = client.post("/connexion", data=form)
    assert refused.status_code == 429
    assert "Trop de requêtes" in refused.get_data(as_text=True)
    assert int(refused.headers["Retry-After"]) > 0
    forged = client.post("/connexion", data=form, headers={"X-Forwarded-For": "203.0.113.9"})
    assert forged.status_code == 429  # a forged header does not buy a new allowance
