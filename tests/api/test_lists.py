"""Every list of the API pages the same way (`limit`, `cursor` → `next_cursor`) and refuses an
unknown filter value, a malformed cursor or a bad page size with the JSON error of SPEC §7."""

import pytest

from consultation.core import clock
from consultation.ledger import services as ledger
from consultation.participation import services as participation


@pytest.fixture
def busy(db, make_consultation, make_user):
    """An open consultation with 5 comments, 3 votes and 3 checkpoints."""
    consultation = make_consultation("open")
    for number in range(5):
        participation.submit_contribution(
            make_user(), consultation, kind="comment", body=f"Avis numéro {number}."
        )
    article = consultation.current_version.articles[0]
    for value in ("agree", "mixed", "disagree"):
        participation.cast_article_vote(make_user(), article, value)
    for reason in ("opening", "hourly", "closing"):
        ledger.make_checkpoint(consultation, clock.now(), reason)
    db.session.commit()
    return consultation


def _walk(client, url: str, key: str, headers=None) -> list:
    """Every item of a list, page after page; each page at most 2 items."""
    items, cursor, pages = [], None, 0
    while True:
        separator = "&" if "?" in url else "?"
        page_url = f"{url}{separator}limit=2" + (f"&cursor={cursor}" if cursor else "")
        response = client.get(page_url, headers=headers)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        assert len(body[key]) <= 2
        items += body[key]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return items
        assert pages < 20, "the cursor does not advance"


def test_every_list_walks_to_its_end_by_cursor(client, db, busy, make_user, bearer):
    base = f"/api/v1/consultations/{busy.slug}"
    contributions = _walk(client, f"{base}/contributions?sort=recent", "contributions")
    assert len(contributions) == 5 and len({c["id"] for c in contributions}) == 5
    checkpoints = _walk(client, f"{base}/ledger/checkpoints", "checkpoints")
    assert [c["reason"] for c in checkpoints] == ["closing", "hourly", "opening"]
    queue = _walk(
        client,
        "/api/v1/moderation/queue?state=all",
        "items",
        headers=bearer(make_user("moderator")),
    )
    assert len(queue) == 5


def test_the_record_pages_by_cursor_from_any_start(client, busy):
    base = f"/api/v1/consultations/{busy.slug}/ledger/entries"
    first = client.get(f"{base}?start=0&end=3").get_json()
    size = first["tree_size"]
    assert size == 9 and [e["index"] for e in first["entries"]] == [0, 1, 2]
    rest = client.get(f"{base}?cursor={first['next_cursor']}").get_json()
    assert [e["index"] for e in rest["entries"]] == list(range(3, size))
    assert rest["next_cursor"] is None


@pytest.mark.parametrize(
    ("path", "status", "code", "field"),
    [
        ("contributions?kind=poème", 422, "invalid", "kind"),
        ("contributions?sort=au-hasard", 422, "invalid", "sort"),
        ("contributions?position=neutre", 422, "invalid", "position"),
        ("contributions?author_type=robot", 422, "invalid", "author_type"),
        ("contributions?article=premier", 422, "invalid", "article"),
        ("contributions?limit=0", 422, "invalid", "limit"),
        ("contributions?limit=201", 422, "invalid", "limit"),
        ("contributions?cursor=%%%", 400, "invalid_cursor", "cursor"),
        ("contributions?sort=recent&cursor=WzEsMiwzXQ", 400, "invalid_cursor", "cursor"),
        ("ledger/checkpoints?cursor=nimportequoi", 400, "invalid_cursor", "cursor"),
        ("ledger/checkpoints?cursor=WyJ4Il0", 400, "invalid_cursor", "cursor"),  # ["x"]
        ("ledger/checkpoints?limit=deux", 422, "invalid", "limit"),
        ("ledger/entries?cursor=WzEsMl0", 400, "invalid_cursor", "cursor"),  # [1,2]
        ("ledger/entries?cursor=Wzk5OV0", 422, "invalid", "start"),  # [999]: past the end
    ],
)
def test_a_bad_filter_or_cursor_is_a_json_error(client, busy, path, status, code, field):
    response = client.get(f"/api/v1/consultations/{busy.slug}/{path}")
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == code and field in error["fields"]
    assert error["message"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("state=effacé", "state"),
        ("reason=humeur", "reason"),
        ("kind=poème", "kind"),
        ("consultation=abc", "consultation"),
        ("limit=-1", "limit"),
    ],
)
def test_the_moderation_queue_refuses_unknown_filters(
    client, busy, make_user, bearer, query, field
):
    response = client.get(
        f"/api/v1/moderation/queue?{query}", headers=bearer(make_user("moderator"))
    )
    assert response.status_code == 422, response.get_data(as_text=True)
    assert field in response.get_json()["error"]["fields"]
