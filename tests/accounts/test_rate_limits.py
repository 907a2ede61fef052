"""Sign-in attempts are rate limited per address, with a French 429 page."""

from consultation import create_app
from consultation.extensions import db


def test_repeated_sign_in_attempts_get_429_with_retry_after(tmp_path):
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'limits.db'}", "RATELIMIT_ENABLED": True}
    )
    with app.app_context():
        db.create_all()
    client = app.test_client()
    form = {"email": "x@example.org", "password": "mauvais mot de passe"}
    statuses = [client.post("/connexion", data=form).status_code for _ in range(10)]
    assert statuses == [200] * 10
    refused = client.post("/connexion", data=form)
    assert refused.status_code == 429
    assert "Trop de requêtes" in refused.get_data(as_text=True)
    assert int(refused.headers["Retry-After"]) > 0
    forged = client.post("/connexion", data=form, headers={"X-Forwarded-For": "203.0.113.9"})
    assert forged.status_code == 429  # a forged header does not buy a new allowance
    with app.app_context():
        db.engine.dispose()
