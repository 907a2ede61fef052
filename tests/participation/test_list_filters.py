"""The contributions list narrowed to an article and one of its alinéas (page and API), its
compact filter bar, and the article addresses people type (« 1er »)."""

from __future__ import annotations

import pytest

from consultation.participation import services as participation


@pytest.fixture
def spread(db, make_consultation, make_user):
    """Comments on article 1er alinéa 1, on article 1er alinéa 2, on article 2, and on the
    whole text."""
    consultation = make_consultation("open")
    articles = {a.slug: a for a in consultation.current_version.articles}

    def comment(body, **place):
        return participation.submit_contribution(
            make_user(), consultation, kind="comment", body=body, **place
        )

    items = {
        "first": comment("Sur le premier alinéa.", article_id=articles["1"].id, paragraph=1),
        "second": comment("Sur le second alinéa.", article_id=articles["1"].id, paragraph=2),
        "other": comment("Sur l'article deux.", article_id=articles["2"].id),
        "whole": comment("Sur tout le texte."),
    }
    db.session.commit()
    return consultation, articles, items


def _page(client, consultation, query: str) -> str:
    response = client.get(f"/consultations/{consultation.slug}/contributions?{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_list_is_narrowed_to_an_article_then_to_one_of_its_alineas(client, spread):
    consultation, _articles, _items = spread
    by_article = _page(client, consultation, "article=1")
    assert "Sur le premier alinéa." in by_article and "Sur le second alinéa." in by_article
    assert "Sur l&#39;article deux." not in by_article and "Sur tout le texte." not in by_article
    by_alinea = _page(client, consultation, "article=1&alinea=2")
    assert "Sur le second alinéa." in by_alinea
    assert "Sur le premier alinéa." not in by_alinea
    # The bar keeps the choices, and offers the chosen article's alinéas.
    assert '<option value="1" selected>Article 1er</option>' in by_alinea
    assert '<option value="2" selected>Alinéa 2</option>' in by_alinea
    # « 1er », as people write it, is the same article.
    assert "Sur le second alinéa." in _page(client, consultation, "article=1er&alinea=2")


def test_the_next_page_keeps_the_article_and_the_alinea(client, db, spread, make_user):
    consultation, articles, _items = spread
    for n in range(25):
        participation.submit_contribution(
            make_user(),
            consultation,
            kind="comment",
            body=f"Encore {n}.",
            article_id=articles["1"].id,
            paragraph=2,
        )
    db.session.commit()
    text = _page(client, consultation, "article=1&alinea=2&ordre=recent")
    assert "article=1&amp;alinea=2" in text and "suite=" in text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("article=99", "Cet article n&#39;existe pas dans le texte consulté."),
        ("alinea=2", "Choisissez aussi l&#39;article : ses alinéas sont numérotés."),
        ("article=2&alinea=7", "L&#39;article 2 n&#39;a pas d&#39;alinéa 7."),
        ("article=2&alinea=x", "L&#39;article 2 n&#39;a pas d&#39;alinéa x."),
    ],
)
def test_a_filter_that_cannot_be_used_says_why_next_to_its_field(client, spread, query, message):
    consultation, _articles, _items = spread
    text = _page(client, consultation, query)
    assert message in text
    assert "fr-select-group--error" in text
    assert "Sur tout le texte." in text or "article=2" in query  # the list shows, unfiltered


def test_the_filter_bar_is_one_compact_row_with_a_search_within_the_consultation(client, spread):
    consultation, _articles, _items = spread
    text = _page(client, consultation, "")
    bar = text[
        text.index("contributions-filters") : text.index(
            "</section>", text.index("contributions-filters")
        )
    ]
    assert bar.count("fr-col-lg-2") == 6  # six small selects side by side on a wide screen
    for name in ("article", "alinea", "type", "position", "auteur", "ordre"):
        assert f'name="{name}"' in bar
    assert 'action="/recherche"' in bar
    assert f'name="consultation" value="{consultation.slug}"' in bar


def test_the_api_filters_by_article_and_alinea(client, spread):
    consultation, articles, items = spread
    base = f"/api/v1/consultations/{consultation.slug}/contributions?sort=recent"
    listed = client.get(f"{base}&article={articles['1'].id}&paragraph=2").get_json()
    assert [c["id"] for c in listed["contributions"]] == [items["second"].id]
    listed = client.get(f"{base}&article={articles['1'].id}").get_json()
    assert {c["id"] for c in listed["contributions"]} == {items["first"].id, items["second"].id}


@pytest.mark.parametrize("query", ["paragraph=2", "article=1&paragraph=x", "paragraph=-1"])
def test_the_api_refuses_an_alinea_without_its_article_or_not_a_number(client, spread, query):
    consultation, articles, _items = spread
    query = query.replace("article=1", f"article={articles['1'].id}")
    response = client.get(f"/api/v1/consultations/{consultation.slug}/contributions?{query}")
    assert response.status_code == 422
    assert "paragraph" in response.get_json()["error"]["fields"]


def test_the_openapi_document_lists_the_paragraph_filter(client):
    document = client.get("/api/v1/openapi.json").get_json()
    parameters = document["paths"]["/consultations/{slug}/contributions"]["get"]["parameters"]
    assert "paragraph" in {p["name"] for p in parameters}


@pytest.mark.parametrize("typed", ["1er", "1ER", "premier", "Ier"])
def test_an_article_typed_as_people_write_it_redirects_to_its_address(client, spread, typed):
    consultation, _articles, _items = spread
    response = client.get(f"/consultations/{consultation.slug}/articles/{typed}?type=comment")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(
        f"/consultations/{consultation.slug}/articles/1?type=comment"
    )
    assert client.get(response.headers["Location"]).status_code == 200


def test_an_unknown_article_is_still_a_404(client, spread):
    consultation, _articles, _items = spread
    assert client.get(f"/consultations/{consultation.slug}/articles/99").status_code == 404


def test_the_search_field_finds_within_the_consultation(client, spread):
    consultation, _articles, items = spread
    found = client.get(
        "/recherche", query_string={"q": "second", "consultation": consultation.slug}
    )
    assert found.status_code == 200
    text = found.get_data(as_text=True)
    assert f"/contributions/{items['second'].id}" in text
    assert f"/contributions/{items['first'].id}" not in text
