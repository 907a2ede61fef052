"""Opinion votes on articles: rules through the services, then the API and the page."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from consultation.core.errors import ConsultationNotOpen, NotAllowed, ValidationFailed
from consultation.participation import services
from consultation.participation.models import ArticleVote, Opinion


def _counts(article):
    return article.vote_counts


def test_one_vote_per_participant_changeable_and_removable(db, make_consultation, make_user):
    article = make_consultation("open").current_version.articles[0]
    alice, bob = make_user(), make_user()
    services.cast_article_vote(alice, article, "agree")
    services.cast_article_vote(bob, article, "disagree")
    services.cast_article_vote(alice, article, "mixed")
    db.session.commit()
    assert _counts(article) == {"agree": 0, "mixed": 1, "disagree": 1}
    assert db.session.scalar(sa.select(sa.func.count(ArticleVote.id))) == 2
    services.withdraw_article_vote(alice, article)
    db.session.commit()
    assert _counts(article) == {"agree": 0, "mixed": 0, "disagree": 1}
    assert services.my_article_vote(bob, article) is Opinion.disagree


def test_the_database_refuses_a_second_row(db, make_consultation, make_user):
    article = make_consultation("open").current_version.articles[0]
    user = make_user()
    db.session.add(ArticleVote(article_id=article.id, user_id=user.id, value=Opinion.agree))
    db.session.commit()
    db.session.add(ArticleVote(article_id=article.id, user_id=user.id, value=Opinion.mixed))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_vote_refused_outside_the_open_period(db, make_consultation, make_user):
    user = make_user()
    for status in ("scheduled", "closed"):
        article = make_consultation(status, title=status).current_version.articles[0]
        with pytest.raises(ConsultationNotOpen):
            services.cast_article_vote(user, article, "agree")


def test_vote_at_the_last_millisecond_counts_and_at_closing_is_refused(
    db, make_consultation, make_user
):
    consultation = make_consultation("open")
    article, user = consultation.current_version.articles[0], make_user()
    services.cast_article_vote(
        user, article, "agree", now=consultation.closes_at - timedelta(milliseconds=1)
    )
    with pytest.raises(ConsultationNotOpen, match="ne sont pas|n'est pas ouverte"):
        services.cast_article_vote(user, article, "mixed", now=consultation.closes_at)
    db.session.commit()
    assert _counts(article)["agree"] == 1


def test_unverified_accounts_do_not_vote_and_values_are_checked(db, make_consultation, make_user):
    article = make_consultation("open").current_version.articles[0]
    with pytest.raises(NotAllowed):
        services.cast_article_vote(make_user(verified=False), article, "agree")
    with pytest.raises(ValidationFailed):
        services.cast_article_vote(make_user(), article, "plutôt oui")


def test_api_vote_then_withdraw(client, db, make_consultation, make_user, bearer):
    consultation = make_consultation("open")
    article = consultation.current_version.articles[1]
    headers = bearer(make_user())
    url = f"/api/v1/articles/{article.id}/vote"
    assert client.post(url, json={"value": "agree"}).status_code == 401
    response = client.post(url, json={"value": "agree"}, headers=headers)
    assert response.status_code == 200
    assert response.json == {
        "article_id": article.id,
        "value": "agree",
        "votes": {"agree": 1, "mixed": 0, "disagree": 0},
    }
    again = client.post(url, json={"value": "agree"}, headers=headers)
    assert again.status_code == 200 and again.json["votes"]["agree"] == 1
    detail = client.get(f"/api/v1/consultations/{consultation.slug}").json
    assert detail["articles"][1]["votes"] == {"agree": 1, "mixed": 0, "disagree": 0}
    withdrawn = client.delete(url, headers=headers)
    assert withdrawn.status_code == 200 and withdrawn.json["votes"]["agree"] == 0


def test_api_vote_errors(client, db, make_consultation, make_user, bearer):
    headers = bearer(make_user())
    closed = make_consultation("closed", title="Close").current_version.articles[0]
    refused = client.post(
        f"/api/v1/articles/{closed.id}/vote", json={"value": "agree"}, headers=headers
    )
    assert refused.status_code == 409 and refused.json["error"]["code"] == "consultation_not_open"
    draft = make_consultation("draft", title="Brouillon").current_version.articles[0]
    assert (
        client.post(
            f"/api/v1/articles/{draft.id}/vote", json={"value": "agree"}, headers=headers
        ).status_code
        == 404
    )
    opened = make_consultation("open", title="Ouverte").current_version.articles[0]
    bad = client.post(f"/api/v1/articles/{opened.id}/vote", json={"value": "oui"}, headers=headers)
    assert bad.status_code == 422 and "value" in bad.json["error"]["fields"]
    assert (
        client.post(f"/api/v1/articles/{opened.id}/vote", data="x", headers=headers).status_code
        == 400
    )
    assert (
        client.post(
            "/api/v1/articles/999999/vote", json={"value": "agree"}, headers=headers
        ).status_code
        == 404
    )


def test_article_page_vote_form_and_split(client, db, login_as, make_consultation, make_user):
    consultation = make_consultation("open")
    url = f"/consultations/{consultation.slug}/articles/1"
    assert "Se connecter pour donner son avis" in client.get(url).get_data(as_text=True)
    login_as(make_user())
    response = client.post(url + "/avis", data={"value": "disagree"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/articles/1#avis")
    page = client.get(url).get_data(as_text=True)
    assert "1 avis exprimé" in page and "actuellement : Pas d&#39;accord" in page
    assert "<td>1</td><td>100 %</td>" in page
    client.post(url + "/avis/retirer")
    assert "Aucun avis pour le moment." in client.get(url).get_data(as_text=True)


def test_article_page_of_a_closed_consultation_says_votes_are_closed(client, make_consultation):
    consultation = make_consultation("closed")
    page = client.get(f"/consultations/{consultation.slug}/articles/1").get_data(as_text=True)
    assert "les avis ne sont plus reçus" in page
