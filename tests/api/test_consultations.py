"""/api/v1/consultations: contract of SPEC §7."""

from datetime import timedelta

from consultation.core import clock
from tests.helpers import SAMPLE_TEXT


def _payload(institution, days=21, **overrides):
    opens = clock.now() + timedelta(days=2)
    opens_paris = clock.to_paris(opens).replace(second=0, microsecond=0)
    closes_paris = clock.to_paris(clock.add_paris_days(opens, days)).replace(
        second=0, microsecond=0
    )
    payload = {
        "institution": institution.slug,
        "title": "Projet de loi sur l'eau",
        "summary": "Le projet organise le partage de l'eau.",
        "legal_basis": "crpa_l131_1",
        "opens_at": opens_paris.isoformat(),
        "closes_at": closes_paris.isoformat(),
        "text": SAMPLE_TEXT,
        "notice": {
            "object": "Recueillir l'avis du public.",
            "explanatory_note": "Le projet vise à partager l'eau.",
            "synthesis_expected_on": (closes_paris.date() + timedelta(days=30)).isoformat(),
        },
    }
    payload.update(overrides)
    return payload


def test_organiser_creates_then_publishes_a_consultation(client, organiser, institution, bearer):
    headers = bearer(organiser)
    created = client.post("/api/v1/consultations", json=_payload(institution), headers=headers)
    assert created.status_code == 201, created.json
    body = created.json
    assert body["status"] == "draft" and body["minimum_days"] == 15
    assert [a["number"] for a in body["articles"]] == ["1er", "2", "3"]
    assert body["articles"][0]["paragraphs"][1] == "Elle s'applique aux administrations de l'État."
    assert body["articles"][0]["votes"] == {"agree": 0, "mixed": 0, "disagree": 0}
    assert body["divisions"][0]["label"] == "TITRE Ier"
    assert body["opens_at"].endswith(("+01:00", "+02:00"))
    assert client.get(f"/api/v1/consultations/{body['slug']}").status_code == 404  # draft: hidden
    published = client.post(f"/api/v1/consultations/{body['slug']}/publish", headers=headers)
    assert published.status_code == 200, published.json
    assert published.json["status"] == "scheduled"
    assert len(published.json["text_sha256"]) == 64
    public = client.get(f"/api/v1/consultations/{body['slug']}")
    assert public.status_code == 200 and public.json["text_sha256"] == published.json["text_sha256"]


def test_publication_below_minimum_is_refused_with_duration_too_short(
    client, organiser, institution, bearer
):
    headers = bearer(organiser)
    slug = client.post(
        "/api/v1/consultations", json=_payload(institution, days=14), headers=headers
    ).json["slug"]
    refused = client.post(f"/api/v1/consultations/{slug}/publish", headers=headers)
    assert refused.status_code == 422
    error = refused.json["error"]
    assert error["code"] == "duration_too_short"
    assert "15 jours" in error["message"] and "closes_at" in error["fields"]


def test_unparseable_text_is_refused_with_invalid_text(client, organiser, institution, bearer):
    response = client.post(
        "/api/v1/consultations",
        json=_payload(institution, text="Un texte sans aucun article."),
        headers=bearer(organiser),
    )
    assert response.status_code == 422
    assert response.json["error"]["code"] == "invalid_text"
    assert "text" in response.json["error"]["fields"]


def test_writes_need_a_token_and_the_right_role(
    client, make_user, make_institution, institution, bearer
):
    assert client.post("/api/v1/consultations", json=_payload(institution)).status_code == 401
    bad = client.post(
        "/api/v1/consultations",
        json=_payload(institution),
        headers={"Authorization": "Bearer nope"},
    )
    assert bad.status_code == 401 and bad.json["error"]["code"] == "unauthorized"
    for user in (
        make_user("participant"),
        make_user("moderator"),
        make_user("organiser", institution=make_institution()),
    ):
        response = client.post(
            "/api/v1/consultations", json=_payload(institution), headers=bearer(user)
        )
        assert response.status_code == 403
        assert response.json["error"]["code"] == "forbidden"


def test_open_consultation_accepts_only_a_later_closing(
    client, organiser, make_consultation, bearer
):
    consultation = make_consultation("open")
    headers, url = bearer(organiser), f"/api/v1/consultations/{consultation.slug}"
    closes = consultation.closes_at
    earlier = client.patch(
        url, json={"closes_at": clock.isoformat(closes - timedelta(days=1))}, headers=headers
    )
    assert earlier.status_code == 422 and earlier.json["error"]["code"] == "closing_not_later"
    retitled = client.patch(url, json={"title": "Nouveau titre"}, headers=headers)
    assert retitled.status_code == 409 and "title" in retitled.json["error"]["fields"]
    later = client.patch(
        url, json={"closes_at": clock.isoformat(closes + timedelta(days=3))}, headers=headers
    )
    assert later.status_code == 200
    assert later.json["closes_at"] == clock.isoformat(closes + timedelta(days=3))
    assert len(later.json["extensions"]) == 1


def test_draft_patch_ignores_unknown_fields(client, organiser, make_consultation, bearer):
    consultation = make_consultation("draft")
    response = client.patch(
        f"/api/v1/consultations/{consultation.slug}",
        json={
            "title": "Titre revu",
            "published_at": "2020-01-01T00:00:00Z",
            "status": "open",
            "slug": "x",
        },
        headers=bearer(organiser),
    )
    assert response.status_code == 200
    assert (response.json["title"], response.json["status"], response.json["slug"]) == (
        "Titre revu",
        "draft",
        consultation.slug,
    )


def test_list_shows_published_consultations_by_status(client, make_consultation):
    make_consultation("draft", title="Brouillon secret")
    opened = make_consultation("open", title="Ouverte")
    make_consultation("scheduled", title="À venir")
    everything = client.get("/api/v1/consultations").json["consultations"]
    assert sorted(c["title"] for c in everything) == ["Ouverte", "À venir"]
    only_open = client.get("/api/v1/consultations?status=open").json["consultations"]
    assert [c["slug"] for c in only_open] == [opened.slug]


def test_bad_input_gets_json_errors_never_500(client, organiser, institution, bearer):
    headers = bearer(organiser)
    assert client.get("/api/v1/consultations?status=nimporte").status_code == 422
    assert client.get("/api/v1/consultations/inconnue").json["error"]["code"] == "not_found"
    not_json = client.post(
        "/api/v1/consultations", data="{", headers=headers, content_type="application/json"
    )
    assert not_json.status_code == 400 and not_json.json["error"]["code"] == "bad_request"
    bad_date = client.post(
        "/api/v1/consultations", json=_payload(institution, opens_at="demain"), headers=headers
    )
    assert bad_date.status_code == 422 and "opens_at" in bad_date.json["error"]["fields"]
    wrong_types = client.post(
        "/api/v1/consultations", json=_payload(institution, title=12, notice=[]), headers=headers
    )
    assert wrong_types.status_code == 422
    assert set(wrong_types.json["error"]["fields"]) >= {"title", "notice"}


def test_the_list_pages_by_cursor_without_overlap(client, make_consultation):
    slugs = {make_consultation("open", title=f"Consultation {n}").slug for n in range(5)}
    seen, cursor, pages = [], None, 0
    while True:
        url = "/api/v1/consultations?limit=2" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(url).json
        seen += [c["slug"] for c in body["consultations"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == 3 and len(seen) == 5 and set(seen) == slugs


def test_a_bad_cursor_or_limit_is_a_json_error_not_a_crash(client, make_consultation):
    make_consultation("open")
    for query, status, code, field in (
        ("cursor=nimportequoi", 400, "invalid_cursor", "cursor"),
        ("cursor=WzEsMiwzXQ", 400, "invalid_cursor", "cursor"),  # [1,2,3]: does not fit
        ("cursor=WyJoaWVyIiwxXQ", 400, "invalid_cursor", "cursor"),  # ["hier",1]: not a date
        ("limit=0", 422, "invalid", "limit"),
        ("limit=99999999999999", 422, "invalid", "limit"),
        ("status=ouverte", 422, "invalid", "status"),
    ):
        response = client.get(f"/api/v1/consultations?{query}")
        assert response.status_code == status, query
        assert response.json["error"]["code"] == code, query
        assert field in response.json["error"]["fields"], query
