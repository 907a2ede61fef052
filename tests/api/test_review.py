"""The review of the themes through the API: the workbench with each theme's provenance, the
same actions as the pages, refusals with a French message per field, rights checked first."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consultation.synthesis import review
from consultation.synthesis.review_models import ReviewTheme, ThemeAssignment


@pytest.fixture
def bench(db, closed, make_contribution):
    items = [
        make_contribution(closed, body=f"Avis {n}.", now=closed.opens_at + timedelta(days=1))
        for n in range(4)
    ]
    data = {
        "themes": [
            {"label": "trains", "contribution_ids": [items[0].id, items[1].id]},
            {"label": "vélo", "contribution_ids": [items[2].id]},
        ]
    }
    trains, bikes = review.import_draft_themes(closed, data, closed.closes_at + timedelta(days=1))
    db.session.commit()
    return closed, items, trains, bikes


def test_the_workbench_document_gives_provenance_assignments_and_figures(
    client, bench, organiser, bearer
):
    consultation, items, trains, _bikes = bench
    review.rename_theme(organiser, trains, "Trains du matin")
    review.mark_read(organiser, consultation, items[0])
    review.db.session.commit()
    response = client.get(
        f"/api/v1/consultations/{consultation.slug}/synthesis/themes", headers=bearer(organiser)
    )
    assert response.status_code == 200
    body = response.get_json()
    first = body["themes"][0]
    assert (first["name"], first["origin"], first["renamed_by"]) == (
        "Trains du matin",
        "machine",
        organiser.display_name,
    )
    assert (first["contribution_count"], first["read_count"], first["active"]) == (2, 1, True)
    assert body["themes"][1]["renamed_by"] is None and body["themes"][1]["drafted_at"]
    assert {"contribution_id": items[2].id, "theme_id": body["themes"][1]["id"]}.items() <= (
        body["assignments"][2].items()
    )
    assert body["assignments"][0]["origin"] == "machine"
    assert body["read_contribution_ids"] == [items[0].id]
    assert body["figures"]["themes_reviewed"] == 1 and body["figures"]["contributions_read"] == 1


def test_every_action_through_the_api(client, db, bench, organiser, bearer):
    consultation, items, trains, bikes = bench
    headers = bearer(organiser)
    base = f"/api/v1/consultations/{consultation.slug}/synthesis"
    created = client.post(f"{base}/themes", json={"name": "Tarifs"}, headers=headers)
    assert created.status_code == 201
    assert created.get_json()["origin"] == "person"
    assert created.get_json()["created_by"] == organiser.display_name
    renamed = client.post(
        f"/api/v1/synthesis/themes/{trains.id}/rename", json={"name": "Trains"}, headers=headers
    )
    assert renamed.status_code == 200 and renamed.get_json()["name"] == "Trains"
    moved = client.post(
        f"{base}/contributions/{items[0].id}/theme", json={"theme_id": None}, headers=headers
    )
    assert moved.status_code == 200
    assert moved.get_json()["theme_id"] is None and moved.get_json()["origin"] == "person"
    read = client.post(f"{base}/contributions/{items[1].id}/read", json={}, headers=headers)
    assert read.status_code == 200 and read.get_json()["read"] is True
    merged = client.post(
        f"/api/v1/synthesis/themes/{trains.id}/merge", json={"into": bikes.id}, headers=headers
    )
    assert merged.status_code == 200 and merged.get_json()["contribution_count"] == 2
    deleted = client.post(f"/api/v1/synthesis/themes/{bikes.id}/delete", headers=headers)
    assert deleted.status_code == 200 and deleted.get_json()["active"] is False
    assert db.session.get(ThemeAssignment, items[1].id).theme_id is None


@pytest.mark.parametrize(
    ("path", "body", "field", "message"),
    [
        ("rename", {"name": ""}, "name", "Donnez un nom au thème."),
        ("rename", {"name": 5}, "name", "Texte attendu."),
        ("rename", {"name": "x" * 201}, "name", "200 caractères au maximum"),
        ("merge", {}, "into", "Choisissez un thème."),
        ("merge", {"into": "deux"}, "into", "Thème inconnu dans cette consultation."),
        ("merge", {"into": 2**40}, "into", "Thème inconnu dans cette consultation."),
        ("merge", {"into": "{self}"}, "into", "avec lui-même"),
    ],
)
def test_bad_input_is_refused_with_a_french_message(
    client, db, bench, organiser, bearer, path, body, field, message
):
    _consultation, _items, trains, _bikes = bench
    if body.get("into") == "{self}":
        body = {"into": trains.id}
    response = client.post(
        f"/api/v1/synthesis/themes/{trains.id}/{path}", json=body, headers=bearer(organiser)
    )
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid" and message in error["fields"][field]
    theme = db.session.get(ReviewTheme, trains.id)
    assert (theme.name, theme.deleted_at) == ("trains", None)


def test_moving_needs_the_theme_named_and_refuses_unknown_ones(
    client, db, bench, organiser, bearer
):
    consultation, items, trains, _bikes = bench
    url = f"/api/v1/consultations/{consultation.slug}/synthesis/contributions/{items[0].id}/theme"
    for body, message in (({}, "null : sans thème"), ({"theme_id": 999_999}, "Thème inconnu")):
        response = client.post(url, json=body, headers=bearer(organiser))
        assert response.status_code == 422
        assert message in response.get_json()["error"]["fields"]["theme_id"]
    assert db.session.get(ThemeAssignment, items[0].id).theme_id == trains.id
    missing = url.replace(f"/{items[0].id}/", "/999999/")
    assert client.post(missing, json={"theme_id": None}, headers=bearer(organiser)).status_code == (
        404
    )
    read = url.replace("/theme", "/read")
    response = client.post(read, json={"read": "oui"}, headers=bearer(organiser))
    assert response.status_code == 422 and "read" in response.get_json()["error"]["fields"]


def test_rights_are_checked_before_the_body(client, db, bench, bearer, make_user, make_institution):
    consultation, _items, trains, _bikes = bench
    outsider = bearer(make_user("organiser", institution=make_institution()))
    participant = bearer(make_user())
    for headers in (outsider, participant):
        response = client.post(
            f"/api/v1/synthesis/themes/{trains.id}/rename", data="not json", headers=headers
        )
        assert response.status_code == 403
        listing = client.get(
            f"/api/v1/consultations/{consultation.slug}/synthesis/themes", headers=headers
        )
        assert listing.status_code == 403
    assert client.post(f"/api/v1/synthesis/themes/{trains.id}/delete").status_code == 401
    assert db.session.get(ReviewTheme, trains.id).deleted_at is None
