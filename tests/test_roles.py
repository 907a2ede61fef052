"""Who may do what, route by route: deny by default, institution-scoped staff."""

import pytest

from consultation.accounts import services as accounts
from consultation.consultations.models import Consultation

ROLES = ["anonymous", "participant", "moderator", "other_organiser", "organiser", "admin"]

# (method, url template, expected status per role in ROLES order)
WEB_MATRIX = [
    ("GET", "/gestion/", [302, 403, 200, 200, 200, 200]),
    ("GET", "/gestion/consultations/nouvelle", [302, 403, 403, 200, 200, 200]),
    ("GET", "/gestion/consultations/{draft}", [302, 403, 200, 403, 200, 200]),
    ("GET", "/consultations/{draft}", [404, 404, 200, 404, 200, 200]),
    ("GET", "/consultations/{draft}/articles/1", [404, 404, 200, 404, 200, 200]),
    ("GET", "/consultations/{open}", [200, 200, 200, 200, 200, 200]),
    ("GET", "/compte", [302, 200, 200, 200, 200, 200]),
    ("POST", "/gestion/consultations/{draft}/publier", [302, 403, 403, 403, 302, 302]),
    ("POST", "/gestion/consultations/{open}/prolonger", [302, 403, 403, 403, 422, 422]),
]

API_MATRIX = [
    ("GET", "/api/v1/consultations/{draft}", [404, 404, 200, 404, 200, 200]),
    ("POST", "/api/v1/consultations/{draft}/publish", [401, 403, 403, 403, 200, 200]),
    ("PATCH", "/api/v1/consultations/{draft}", [401, 403, 403, 403, 200, 200]),
    ("PATCH", "/api/v1/consultations/{open}", [401, 403, 403, 403, 200, 200]),
    ("GET", "/api/v1/consultations?status=draft", [401, 403, 200, 200, 200, 200]),
]


@pytest.fixture
def actors(make_user, make_institution, organiser):
    other = make_institution()
    return {
        "anonymous": None,
        "participant": make_user("participant"),
        "moderator": make_user("moderator"),
        "other_organiser": make_user("organiser", institution=other),
        "organiser": organiser,
        "admin": make_user("admin"),
    }


@pytest.fixture
def targets(make_consultation):
    return {
        "draft": make_consultation("draft", title="Brouillon").slug,
        "open": make_consultation("open", title="Ouverte").slug,
    }


@pytest.mark.parametrize(("method", "url", "expected"), WEB_MATRIX)
@pytest.mark.parametrize("role", ROLES)
def test_web_route_rights(client, login_as, actors, targets, db, role, method, url, expected):
    user = actors[role]
    if user is not None:
        login_as(user)
    status_before = _statuses(db)
    response = client.open(url.format(**targets), method=method, data={})
    assert response.status_code == expected[ROLES.index(role)]
    if (
        response.status_code in (302, 403, 404)
        and method == "POST"
        and role not in ("organiser", "admin")
    ):
        assert _statuses(db) == status_before


@pytest.mark.parametrize(("method", "url", "expected"), API_MATRIX)
@pytest.mark.parametrize("role", ROLES)
def test_api_route_rights(client, actors, targets, db, role, method, url, expected):
    headers = {}
    if actors[role] is not None:
        _token, secret = accounts.create_api_token(actors[role])
        db.session.commit()
        headers["Authorization"] = f"Bearer {secret}"
    status_before = _statuses(db)
    response = client.open(
        url.format(**targets), method=method, json={} if method != "GET" else None, headers=headers
    )
    assert response.status_code == expected[ROLES.index(role)], response.json
    if response.status_code >= 400:
        assert response.json["error"]["code"]
        assert _statuses(db) == status_before


def _statuses(db):
    db.session.expire_all()
    return {
        c.slug: (c.published_at, c.closes_at, c.title)
        for c in db.session.scalars(db.select(Consultation))
    }
