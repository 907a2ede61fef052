"""Account erasure and personal data download (GDPR): the account goes, counts and
published contributions stay, the tamper-evident record gains an entry."""

import json

import pytest

from consultation.accounts import services as accounts
from consultation.accounts.models import User
from consultation.core.errors import NotAllowed, ValidationFailed
from consultation.ledger.models import LedgerEntry
from consultation.participation import services
from tests.helpers import PASSWORD


@pytest.fixture
def participant(db, opened, make_user):
    user = make_user(display_name="Claire Dupont", email="claire@example.org")
    article = opened.current_version.articles[0]
    services.cast_article_vote(user, article, "disagree")
    services.submit_contribution(user, opened, kind="comment", body="Mon avis détaillé.")
    db.session.commit()
    return user


def test_erasure_anonymises_and_keeps_counts_and_contributions(db, client, opened, participant):
    article = opened.current_version.articles[0]
    _token, secret = accounts.create_api_token(participant)
    db.session.commit()
    with pytest.raises(ValidationFailed) as wrong:
        services.erase_participant(participant, "pas le bon")
    assert wrong.value.fields == {"password": "Mot de passe incorrect."}
    db.session.rollback()

    services.erase_participant(participant, PASSWORD)
    db.session.commit()

    user = db.session.get(User, participant.id)
    assert (user.display_name, user.password_hash, user.erased_at is not None) == (
        "Participant supprimé",
        None,
        True,
    )
    assert "claire" not in user.email
    assert accounts.find_user("claire@example.org") is None
    db.session.refresh(article)
    assert article.vote_counts == {"agree": 0, "mixed": 0, "disagree": 1}
    page = client.get(f"/consultations/{opened.slug}/contributions").get_data(as_text=True)
    assert "Mon avis détaillé." in page and "Participant supprimé" in page
    assert "Claire Dupont" not in page
    assert (
        client.get(
            "/api/v1/consultations", headers={"Authorization": f"Bearer {secret}"}
        ).status_code
        == 401
    )
    last = db.session.scalar(
        db.select(LedgerEntry)
        .where(LedgerEntry.consultation_id == opened.id)
        .order_by(LedgerEntry.leaf_index.desc())
    )
    assert last.kind == "erasure"
    assert json.loads(last.leaf)["data"]["contributions"] == [
        services.participant_activity(user)[0][0].tracking_number
    ]


def test_staff_accounts_are_not_erased_by_themselves(db, make_user):
    with pytest.raises(NotAllowed):
        services.erase_participant(make_user("moderator"), PASSWORD)


def test_erasing_from_the_account_page_signs_out(db, client, login_as, participant):
    login_as(participant)
    page = client.get("/compte").get_data(as_text=True)
    assert "/compte/suppression" in page and "/compte/mes-donnees.json" in page

    unconfirmed = client.post("/compte/suppression", data={"password": PASSWORD})
    assert unconfirmed.status_code == 422
    assert "Cochez la case pour confirmer la suppression." in unconfirmed.get_data(as_text=True)
    assert db.session.get(User, participant.id).erased_at is None

    done = client.post("/compte/suppression", data={"password": PASSWORD, "confirm": "y"})
    assert done.status_code == 302
    assert client.get("/compte").status_code == 302  # the session is over
    assert db.session.get(User, participant.id).erased_at is not None


def test_personal_data_download(db, client, login_as, opened, participant):
    login_as(participant)
    response = client.get("/compte/mes-donnees.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_json()
    assert data["account"]["email"] == "claire@example.org"
    assert [c["body"] for c in data["contributions"]] == ["Mon avis détaillé."]
    assert data["opinions_on_articles"][0]["value"] == "disagree"
    assert data["opinions_on_articles"][0]["consultation"] == opened.slug
