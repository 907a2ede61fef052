"""Rate limits on contributing, voting and reporting: per account and per address, shared by
the web pages and the API, with a French 429 and Retry-After, and no way round them with a
forged X-Forwarded-For."""

import sqlalchemy as sa
from werkzeug.middleware.proxy_fix import ProxyFix

from consultation.participation.models import ArticleVote, Contribution


def _assert_json_429(response):
    assert response.status_code == 429
    assert response.json["error"]["code"] == "rate_limited"
    assert "Trop de requêtes" in response.json["error"]["message"]
    assert int(response.headers["Retry-After"]) > 0


def test_votes_per_account_are_shared_by_the_pages_and_the_api(
    app, client, db, rate_limits, login_as, opened, make_user, bearer
):
    app.config["VOTE_LIMITS_PER_ACCOUNT"] = "4 per minute"
    article = opened.current_version.articles[0]
    voter, neighbour = make_user(), make_user()
    login_as(voter)
    page = f"/consultations/{opened.slug}/articles/1/avis"
    assert [client.post(page, data={"value": v}).status_code for v in ("agree", "mixed")] == [
        302
    ] * 2
    api = f"/api/v1/articles/{article.id}/vote"
    headers = bearer(voter)
    assert client.post(api, json={"value": "agree"}, headers=headers).status_code == 200
    assert client.delete(api, headers=headers).status_code == 200

    _assert_json_429(client.post(api, json={"value": "disagree"}, headers=headers))
    refused = client.post(page, data={"value": "disagree"})
    assert refused.status_code == 429
    assert "Trop de requêtes" in refused.get_data(as_text=True)
    assert int(refused.headers["Retry-After"]) > 0
    assert (
        db.session.scalar(sa.select(sa.func.count(ArticleVote.id))) == 0
    )  # withdrawn, then refused

    # Another account from the same address keeps its own allowance.
    assert client.post(api, json={"value": "agree"}, headers=bearer(neighbour)).status_code == 200


def test_votes_per_address_hold_across_accounts_and_forged_forwarded_for(
    app, client, db, rate_limits, opened, make_user, bearer
):
    app.config["VOTE_LIMITS_PER_ADDRESS"] = "5 per minute"
    first, second = opened.current_version.articles[:2]
    statuses = [
        client.post(
            f"/api/v1/articles/{first.id}/vote",
            json={"value": "agree"},
            headers=bearer(make_user()) | {"X-Forwarded-For": f"198.51.100.{n}"},
        ).status_code
        for n in range(5)
    ]
    assert statuses == [200] * 5
    for n in range(10):
        forged = {"X-Forwarded-For": f"203.0.113.{n}, 192.0.2.{n}", "X-Real-IP": f"192.0.2.{n}"}
        _assert_json_429(
            client.post(
                f"/api/v1/articles/{second.id}/vote",
                json={"value": "mixed"},
                headers=bearer(make_user()) | forged,
            )
        )
    assert db.session.scalar(sa.select(sa.func.count(ArticleVote.id))) == 5


def test_behind_a_declared_proxy_only_its_own_forwarded_address_counts(
    app, client, db, rate_limits, opened, make_user, bearer
):
    """With PROXY_COUNT=1 the proxy appends the client's address: what the client wrote
    before it is ignored, so rotating it changes nothing."""
    app.config["VOTE_LIMITS_PER_ADDRESS"] = "3 per minute"
    original = app.wsgi_app
    app.wsgi_app = ProxyFix(original, x_for=1, x_proto=1, x_host=1)
    try:
        article = opened.current_version.articles[0]
        url = f"/api/v1/articles/{article.id}/vote"
        statuses = [
            client.post(
                url,
                json={"value": "agree"},
                headers=bearer(make_user()) | {"X-Forwarded-For": f"10.0.0.{n}, 198.51.100.7"},
            ).status_code
            for n in range(6)
        ]
        assert statuses == [200, 200, 200, 429, 429, 429]
        other_client = client.post(
            url,
            json={"value": "agree"},
            headers=bearer(make_user()) | {"X-Forwarded-For": "198.51.100.8"},
        )
        assert other_client.status_code == 200
    finally:
        app.wsgi_app = original


def test_contributions_per_account_keep_the_text_on_the_429_page(
    app, client, db, rate_limits, login_as, opened, make_user, bearer
):
    app.config["CONTRIBUTION_LIMITS_PER_ACCOUNT"] = "2 per minute"
    author = make_user()
    login_as(author)
    listing = f"/consultations/{opened.slug}/contributions"
    assert client.post(listing, data={"body": "Premier commentaire."}).status_code == 302
    api = f"/api/v1/consultations/{opened.slug}/contributions"
    sent = client.post(api, json={"kind": "comment", "body": "Deuxième."}, headers=bearer(author))
    assert sent.status_code == 201

    _assert_json_429(
        client.post(api, json={"kind": "comment", "body": "Troisième."}, headers=bearer(author))
    )
    refused = client.post(
        f"/consultations/{opened.slug}/articles/1/contributions",
        data={"kind": "comment", "body": "Un texte <long> et précieux.", "title": "Mon titre"},
    )
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "Trop de requêtes" in page and "Votre texte n'a pas été envoyé" in page
    assert "Un texte &lt;long&gt; et précieux." in page and "Mon titre" in page
    assert db.session.scalar(sa.select(sa.func.count(Contribution.id))) == 2


def test_reports_are_limited_per_account_on_the_pages_and_the_api(
    app, client, db, rate_limits, login_as, opened, make_user, bearer
):
    from consultation.participation.services import submit_contribution

    app.config["REPORT_LIMITS_PER_ACCOUNT"] = "2 per minute"
    items = [
        submit_contribution(make_user(), opened, kind="comment", body=f"Avis {n}.")
        for n in range(4)
    ]
    db.session.commit()
    reporter = login_as(make_user())
    web = client.post(f"/contributions/{items[0].id}/signaler", data={"reason": "off_topic"})
    api = client.post(
        f"/api/v1/contributions/{items[1].id}/report",
        json={"reason": "spam"},
        headers=bearer(reporter),
    )
    assert (web.status_code, api.status_code) == (302, 201)
    _assert_json_429(
        client.post(
            f"/api/v1/contributions/{items[2].id}/report",
            json={"reason": "spam"},
            headers=bearer(reporter),
        )
    )
    refused = client.post(
        f"/contributions/{items[3].id}/signaler",
        data={"reason": "other", "details": "Mes précisions."},
    )
    assert refused.status_code == 429 and "Mes précisions." in refused.get_data(as_text=True)
    assert (
        client.get(f"/contributions/{items[3].id}/signaler").status_code == 200
    )  # reading is free


def test_default_limits_leave_room_for_real_use(client, db, rate_limits, opened, make_user, bearer):
    """A participant giving their opinion on every article of a long text in a few minutes, and
    a few contributions, is not refused."""
    articles = opened.current_version.articles
    headers = bearer(make_user())
    statuses = [
        client.post(
            f"/api/v1/articles/{articles[n % len(articles)].id}/vote",
            json={"value": ("agree", "mixed", "disagree")[n % 3]},
            headers=headers,
        ).status_code
        for n in range(60)
    ]
    statuses += [
        client.post(
            f"/api/v1/consultations/{opened.slug}/contributions",
            json={"kind": "comment", "body": f"Commentaire {n}."},
            headers=headers,
        ).status_code
        for n in range(8)
    ]
    assert set(statuses) <= {200, 201}
