"""Nobody outside an institution can tell that one of its drafts exists: every route that
addresses a consultation (pages, back-office, API, and their sub-resources) answers a draft
the actor may not see exactly as it answers an address where there is nothing — same status,
same headers that matter, same body — while the institution's staff who may see a draft but
not act on it still get 403.
"""

from __future__ import annotations

import io
import re

import pytest

from consultation.accounts import services as accounts
from consultation.consultations import documents
from tests.documents import files as document_files

HIDDEN_FROM = ("anonymous", "participant", "other_moderator", "other_organiser")
MISSING_SLUG = "nulle-part"
MISSING_ARTICLE = 999_999
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
FILLERS = {
    "number": "1",
    "contribution_id": "1",
    "part": "1",
    "key": "ouverture",
    "revision_id": "1",
}


def _addressed_routes(app) -> list[tuple[str, str]]:
    """(method, rule) of every route whose address names a consultation or an article."""
    routes = []
    for rule in app.url_map.iter_rules():
        if "slug" not in rule.arguments and "article_id" not in rule.arguments:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            routes.append((method, rule.rule))
    return sorted(routes)


@pytest.fixture
def actors(make_user, make_institution):
    other = make_institution()
    people = {
        "anonymous": None,
        "participant": make_user("participant"),
        "other_moderator": make_user("moderator", institution=other),
        "other_organiser": make_user("organiser", institution=other),
    }
    tokens = {role: accounts.create_api_token(user)[1] for role, user in people.items() if user}
    return people, tokens


def _path(rule: str, slug: str, article: int, fillers: dict[str, str]) -> str:
    path = rule.replace("<slug>", slug).replace("<int:article_id>", str(article))
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: fillers[m.group(1)], path)


def _answer(client, login_as, people, tokens, role, method, path, *, json_body):
    if path.startswith("/api/"):
        headers = {"Authorization": f"Bearer {tokens[role]}"} if role in tokens else {}
        if method in WRITE_METHODS and json_body:
            response = client.open(path, method=method, json={}, headers=headers)
        else:
            response = client.open(path, method=method, headers=headers)
    else:
        with client.session_transaction() as session:
            session.clear()  # no message left over from the previous answer
        if people[role] is not None:
            login_as(people[role])
        response = client.open(path, method=method, data={} if method in WRITE_METHODS else None)
    response.get_data()  # a streamed answer ends its request only once read
    response.close()
    return response


def _comparable(response, slug: str) -> tuple:
    """What a visitor can read of an answer, with the slug it was asked for blanked out."""

    def blank(text: str) -> str:
        text = text.replace(slug, "SLUG")
        return re.sub(r'name="csrf_token"[^>]*value="[^"]*"', 'name="csrf_token"', text)

    return (
        response.status_code,
        response.headers.get("Content-Type"),
        blank(response.headers.get("Location", "")),
        blank(response.get_data(as_text=True)),
    )


def test_a_hidden_draft_answers_exactly_as_a_missing_address(
    app, client, db, make_consultation, actors, login_as, organiser
):
    draft_organiser = organiser
    people, tokens = actors
    draft = make_consultation("draft", title="Brouillon confidentiel")
    article = draft.current_version.articles[0].id
    # The draft's document, asked for at its own address and at a consultation that is not.
    document = documents.add_document(
        draft_organiser,
        draft,
        file=io.BytesIO(document_files.pdf()),
        filename="etude.pdf",
        title="Étude d'impact",
        kind="impact_study",
    )
    db.session.commit()
    fillers = FILLERS | {"document_id": str(document.id), "filename": document.filename}
    different, not_refused = [], []
    for method, rule in _addressed_routes(app):
        for role in HIDDEN_FROM:
            for json_body in (True, False) if rule.startswith("/api/") else (True,):
                answers = []
                for slug, article_id in ((draft.slug, article), (MISSING_SLUG, MISSING_ARTICLE)):
                    path = _path(rule, slug, article_id, fillers)
                    response = _answer(
                        client, login_as, people, tokens, role, method, path, json_body=json_body
                    )
                    answers.append(_comparable(response, slug))
                label = f"{method} {rule} as {role}{'' if json_body else ' (no body)'}"
                if answers[0] != answers[1]:
                    different.append(f"{label}: {answers[0][:3]} vs {answers[1][:3]}")
                status = answers[0][0]
                # Refusals decided before any consultation is looked up, whatever the address:
                # sign in first, or a back-office area the account's role never enters.
                gate = (role == "anonymous" and status in (302, 401)) or (
                    role in ("participant", "other_moderator")
                    and status == 403
                    and rule.startswith("/gestion/")
                )
                if status != 404 and not gate:
                    not_refused.append(f"{label}: {status}")
    assert different == [], "\n".join(different)
    assert not_refused == [], "\n".join(not_refused)


def test_the_api_says_not_found_in_the_same_words(client, db, make_consultation, actors):
    _people, tokens = actors
    draft = make_consultation("draft")
    headers = {"Authorization": f"Bearer {tokens['participant']}"}
    for slug in (draft.slug, MISSING_SLUG):
        response = client.patch(f"/api/v1/consultations/{slug}", json={}, headers=headers)
        assert response.status_code == 404
        assert response.json == {
            "error": {"code": "not_found", "message": "Aucune consultation à cette adresse."}
        }


def test_the_institutions_staff_who_see_a_draft_but_may_not_act_get_403(
    client, db, make_consultation, make_user, login_as, bearer
):
    draft = make_consultation("draft")
    moderator = make_user("moderator")
    headers = bearer(moderator)
    assert client.get(f"/api/v1/consultations/{draft.slug}", headers=headers).status_code == 200
    for method, path in (
        ("PATCH", f"/api/v1/consultations/{draft.slug}"),
        ("POST", f"/api/v1/consultations/{draft.slug}/publish"),
    ):
        response = client.open(path, method=method, json={}, headers=headers)
        assert response.status_code == 403 and response.json["error"]["code"] == "forbidden"
    login_as(moderator)
    assert client.get(f"/gestion/consultations/{draft.slug}").status_code == 200
    assert client.post(f"/gestion/consultations/{draft.slug}", data={}).status_code == 403
    observations = f"/gestion/consultations/{draft.slug}/observations"
    assert client.get(observations).status_code == 403
