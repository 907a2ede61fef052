"""The hostile-input corpus on the search box: hostile words searched, hostile filters and
cursors, and hostile stored text found — every answer inert, never a 500, the words kept."""

from urllib.parse import quote

from tests.test_hostile_input import (  # noqa: F401 (fixture)
    MARK,
    PAYLOADS,
    SHORT,
    executable_markup,
    world,
)


def test_hostile_words_are_searched_as_words(client, db, world):  # noqa: F811
    for payload in [*PAYLOADS, SHORT, "\"'*:^-()NEAR AND OR NOT {title_terms}"]:
        page = client.get("/recherche", query_string={"q": payload[:200]})
        assert page.status_code == 200, payload
        html = page.get_data(as_text=True)
        assert executable_markup(html) == [], payload
        api = client.get("/api/v1/search", query_string={"q": payload[:200]})
        assert api.status_code == 200 and api.mimetype == "application/json", payload


def test_hostile_filters_and_cursors_are_refused_in_french(client, db, world):  # noqa: F811
    for name in ("consultation", "status", "kind", "cursor"):
        for value in (SHORT, "{{7*7777}}", "%00", "\u202e"):
            query = f"q=loi&{name}={quote(value)}"
            page = client.get(f"/recherche?{query}")
            assert page.status_code in (400, 422), query
            assert executable_markup(page.get_data(as_text=True)) == [], query
            api = client.get(f"/api/v1/search?{query}")
            assert api.status_code in (400, 422), query
            assert api.json["error"]["code"] in ("invalid", "invalid_cursor", "bad_request")


def test_hostile_stored_text_is_found_and_shown_inert(client, db, world):  # noqa: F811
    for surface in ("title", "summary", "comment", "argument", "proposed", "stitle"):
        page = client.get("/recherche", query_string={"q": f"{MARK}{surface}"})
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and executable_markup(html) == [], surface
        assert f"<mark>{MARK}{surface}</mark>" in html, surface
        api = client.get("/api/v1/search", query_string={"q": f"{MARK}{surface}"})
        assert api.json["total"] >= 1, surface
        for result in api.json["results"]:
            assert "<script" not in result["extract_html"] + result["title_html"]
