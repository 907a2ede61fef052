"""A draft may have no dates yet: writing in it is refused as not open, never a server error
(found by the type checker: the refusal's message formatted the missing dates)."""

import pytest


@pytest.fixture
def undated(make_consultation, db):
    consultation = make_consultation("draft")
    consultation.opens_at = consultation.closes_at = None
    db.session.commit()
    return consultation


def test_vote_on_undated_draft_refused_as_not_open(client, organiser, undated, bearer):
    article = undated.current_version.articles[0]
    response = client.post(
        f"/api/v1/articles/{article.id}/vote", json={"value": "agree"}, headers=bearer(organiser)
    )
    assert response.status_code == 409
    assert response.json["error"]["code"] == "consultation_not_open"


def test_contribution_to_undated_draft_refused_as_not_open(client, organiser, undated, bearer):
    response = client.post(
        f"/api/v1/consultations/{undated.slug}/contributions",
        json={"kind": "comment", "body": "Un avis."},
        headers=bearer(organiser),
    )
    assert response.status_code == 409
    assert response.json["error"]["code"] == "consultation_not_open"
