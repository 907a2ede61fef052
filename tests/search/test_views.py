"""The results page /recherche, the header's search box, and GET /api/v1/search."""

import re

import pytest

from consultation.participation import services as participation


@pytest.fixture
def searchable(make_consultation):
    """An open consultation (shared factory) whose title the search tests look for."""
    return make_consultation("open", title="Projet de loi pour une République numérique")


@pytest.fixture
def items(db, searchable, make_user):
    author = make_user()
    made = [
        participation.submit_contribution(
            author, searchable, kind="comment", body=f"Les données publiques n° {n}."
        )
        for n in range(3)
    ]
    db.session.commit()
    return made


def test_every_page_has_the_search_box_in_its_header(client, db):
    page = client.get("/").get_data(as_text=True)
    assert 'role="search"' in page and 'action="/recherche"' in page
    assert '<label class="fr-label" for="recherche-entete-q">' in page


def test_the_page_without_a_query_shows_the_form_only(client, db):
    response = client.get("/recherche")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="recherche-q"' in page
    assert "résultat" not in page


def test_the_page_shows_counts_highlighted_extracts_and_pages(client, db, searchable, items):
    response = client.get("/recherche?q=donnee")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "3 résultats" in page
    assert "<mark>données</mark>" in page
    assert f'href="/consultations/{searchable.slug}/contributions/{items[0].id}"' in page
    first = client.get("/recherche?q=donnee&kind=comment&consultation=" + searchable.slug)
    assert "3 résultats" in first.get_data(as_text=True)


def test_the_page_pages_with_a_cursor_link(client, db, searchable, items, monkeypatch):
    from consultation.search import services

    monkeypatch.setattr(services, "PAGE_SIZE", 2)
    page = client.get("/recherche?q=donnee").get_data(as_text=True)
    assert page.count("<mark>données</mark>") == 2
    cursor = re.search(r'cursor=([\w-]+)[^"]*">Résultats suivants', page).group(1)
    rest = client.get(f"/recherche?q=donnee&cursor={cursor}").get_data(as_text=True)
    assert rest.count("<mark>données</mark>") == 1 and "Résultats suivants" not in rest


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("q=loi&status=draft", "Statut inconnu"),
        ("q=loi&kind=poem", "Type inconnu"),
        ("q=loi&consultation=nowhere", "Consultation inconnue"),
        ("q=" + "x" * 201, "limitée à 200 caractères"),
        ("q=loi&cursor=garbage", "Curseur de pagination invalide"),
    ],
)
def test_a_bad_parameter_is_said_in_french_and_the_query_kept(
    client, db, searchable, query, message
):
    response = client.get("/recherche?" + query)
    page = response.get_data(as_text=True)
    assert response.status_code in (400, 422)
    assert message in page
    assert 'name="q" value="' + query.split("&")[0][2:] + '"' in page


def test_a_draft_never_appears_in_the_page(client, db, make_consultation):
    make_consultation("draft", title="Projet confidentiel des licornes")
    page = client.get("/recherche?q=licorne").get_data(as_text=True)
    assert "0 résultat" in page and "confidentiel" not in page


def test_the_api_answers_pages_of_results(client, db, searchable, items):
    response = client.get("/api/v1/search?q=donnees+publiques&limit=2")
    assert response.status_code == 200
    body = response.json
    assert body["total"] == 3 and body["total_capped"] is False
    assert len(body["results"]) == 2 and body["next_cursor"]
    result = body["results"][0]
    assert result["kind"] == "comment" and result["consultation"]["slug"] == searchable.slug
    assert "<mark>données</mark>" in result["extract_html"]
    assert "<mark>" not in result["extract"] and "données" in result["extract"]
    assert result["url"].startswith("http://localhost/consultations/")
    rest = client.get(f"/api/v1/search?q=donnees+publiques&limit=2&cursor={body['next_cursor']}")
    ids = {r["contribution_id"] for r in body["results"] + rest.json["results"]}
    assert ids == {item.id for item in items} and rest.json["next_cursor"] is None


@pytest.mark.parametrize(
    ("query", "status", "code", "field"),
    [
        ("", 422, "invalid", "q"),
        ("q=", 422, "invalid", "q"),
        ("q=loi&status=draft", 422, "invalid", "status"),
        ("q=loi&kind=<script>", 422, "invalid", "kind"),
        ("q=loi&consultation=nowhere", 422, "invalid", "consultation"),
        ("q=loi&limit=0", 422, "invalid", "limit"),
        ("q=loi&cursor=garbage", 400, "invalid_cursor", "cursor"),
        ("q=loi&cursor=WzEuNSwtMV0", 400, "invalid_cursor", "cursor"),
        ("q=loi&cursor=WyIxIiwtMV0", 400, "invalid_cursor", "cursor"),
    ],
)
def test_the_api_refuses_bad_parameters_with_the_error_envelope(
    client, db, searchable, query, status, code, field
):
    response = client.get("/api/v1/search?" + query)
    assert response.status_code == status
    assert response.json["error"]["code"] == code
    assert field in response.json["error"]["fields"]
