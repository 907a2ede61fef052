"""Every action of the API takes an empty body as an empty object: an action with sensible
defaults does its work (publishing a synthesis without a change note, publishing or
withdrawing without a word), and one that needs fields answers 422 naming each missing field
in French — never 400 because nothing was sent, with or without a Content-Type. A body that
is not announced as JSON is refused, not ignored."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from consultation.accounts import services as accounts
from consultation.consultations import documents
from consultation.consultations import services as consultations
from consultation.moderation import services as moderation
from consultation.participation.services import submit_contribution
from consultation.synthesis import follow_ups, publishing, review, review_proposals
from tests.documents import files as document_files

# What the right actor gets for an empty body, per write route of the API: the status, and
# for a 422 the fields its error must name.
EXPECTED = {
    ("POST", "api.create_consultation"): (422, {"title", "legal_basis"}),
    ("PATCH", "api.patch_consultation"): (200, None),
    ("POST", "api.publish_consultation"): (200, None),
    ("POST", "api.record_act"): (422, {"signed_on", "reference"}),
    ("POST", "api.vote_on_article"): (422, {"value"}),
    ("DELETE", "api.withdraw_article_vote"): (200, None),
    ("POST", "api.submit_contribution"): (422, {"kind"}),
    ("PATCH", "api.edit_contribution"): (422, {"body"}),  # nothing changed: refused
    ("DELETE", "api.withdraw_contribution"): (200, None),
    ("POST", "api.vote_on_contribution"): (422, {"value"}),
    ("DELETE", "api.withdraw_contribution_vote"): (200, None),
    ("POST", "api.report_contribution"): (422, {"reason"}),
    ("POST", "api.moderate_contribution"): (422, {"action"}),
    ("POST", "api.appeal_hiding"): (422, {"body"}),
    ("POST", "api.bulk_moderation"): (422, {"action"}),
    ("POST", "api.answer_contribution"): (422, {"status"}),
    ("PUT", "api.put_synthesis"): (422, {"body"}),  # the whole document: its text is required
    ("POST", "api.start_synthesis_draft"): (202, None),
    ("POST", "api.publish_synthesis"): (201, None),
    ("PATCH", "api.patch_follow_up"): (200, None),
    ("POST", "api.create_review_theme"): (422, {"name"}),
    ("POST", "api.rename_review_theme"): (422, {"name"}),
    ("POST", "api.merge_review_theme"): (422, {"into"}),
    ("POST", "api.delete_review_theme"): (200, None),
    ("POST", "api.move_contribution_theme"): (422, {"theme_id"}),  # never out of a theme by default
    ("POST", "api.read_contribution"): (200, None),
    ("POST", "api.split_review_theme"): (422, {"contributions", "name"}),
    ("POST", "api.choose_theme_excerpt"): (422, {"contribution_id"}),
    ("POST", "api.merge_review_proposal_groups"): (422, {"groups"}),
    ("POST", "api.rename_review_proposal_group"): (422, {"label"}),
    ("PUT", "api.put_synthesis_section"): (422, {"text"}),
    ("POST", "api.add_document"): (422, {"title", "kind", "file"}),
    ("POST", "api.publish_erratum"): (422, {"note", "file"}),
    ("POST", "api.hide_document"): (422, {"reason"}),  # the public reason is required
    ("DELETE", "api.remove_document"): (200, None),
}
# (actor, address) of each route, filled from the world below.
TARGETS = {
    "api.create_consultation": ("organiser", "/api/v1/consultations"),
    "api.patch_consultation": ("organiser", "/api/v1/consultations/{draft}"),
    "api.publish_consultation": ("organiser", "/api/v1/consultations/{draft}/publish"),
    "api.record_act": ("organiser", "/api/v1/consultations/{published}/act"),
    "api.vote_on_article": ("voter", "/api/v1/articles/{article}/vote"),
    "api.withdraw_article_vote": ("voter", "/api/v1/articles/{article}/vote"),
    "api.submit_contribution": ("voter", "/api/v1/consultations/{open}/contributions"),
    "api.edit_contribution": ("author", "/api/v1/contributions/{contribution}"),
    "api.withdraw_contribution": ("author", "/api/v1/contributions/{contribution}"),
    "api.vote_on_contribution": ("voter", "/api/v1/contributions/{contribution}/vote"),
    "api.withdraw_contribution_vote": ("voter", "/api/v1/contributions/{contribution}/vote"),
    "api.report_contribution": ("voter", "/api/v1/contributions/{contribution}/report"),
    "api.moderate_contribution": ("moderator", "/api/v1/contributions/{contribution}/moderation"),
    "api.appeal_hiding": ("author", "/api/v1/contributions/{hidden}/appeal"),
    "api.bulk_moderation": ("moderator", "/api/v1/moderation/bulk"),
    "api.answer_contribution": ("organiser", "/api/v1/contributions/{contribution}/answer"),
    "api.put_synthesis": ("organiser", "/api/v1/consultations/{closed}/synthesis"),
    "api.start_synthesis_draft": ("organiser", "/api/v1/consultations/{closed}/synthesis/draft"),
    "api.publish_synthesis": ("organiser", "/api/v1/consultations/{closed}/synthesis/publish"),
    "api.patch_follow_up": ("organiser", "/api/v1/follow-ups/{follow_up}"),
    "api.create_review_theme": ("organiser", "/api/v1/consultations/{closed}/synthesis/themes"),
    "api.rename_review_theme": ("organiser", "/api/v1/synthesis/themes/{theme}/rename"),
    "api.merge_review_theme": ("organiser", "/api/v1/synthesis/themes/{theme}/merge"),
    "api.delete_review_theme": ("organiser", "/api/v1/synthesis/themes/{theme}/delete"),
    "api.move_contribution_theme": (
        "organiser",
        "/api/v1/consultations/{open}/synthesis/contributions/{contribution}/theme",
    ),
    "api.read_contribution": (
        "organiser",
        "/api/v1/consultations/{open}/synthesis/contributions/{contribution}/read",
    ),
    "api.split_review_theme": ("organiser", "/api/v1/synthesis/themes/{theme}/split"),
    "api.choose_theme_excerpt": ("organiser", "/api/v1/synthesis/themes/{theme}/excerpts"),
    "api.merge_review_proposal_groups": (
        "organiser",
        "/api/v1/consultations/{closed}/synthesis/proposals/merge",
    ),
    "api.rename_review_proposal_group": (
        "organiser",
        "/api/v1/synthesis/proposals/{group}/rename",
    ),
    "api.put_synthesis_section": (
        "organiser",
        "/api/v1/consultations/{closed}/synthesis/sections/synthese",
    ),
    "api.add_document": ("organiser", "/api/v1/consultations/{draft}/documents"),
    "api.publish_erratum": (
        "organiser",
        "/api/v1/consultations/{documented}/documents/{document}/erratum",
    ),
    "api.hide_document": (
        "organiser",
        "/api/v1/consultations/{documented}/documents/{document}/hide",
    ),
    "api.remove_document": (
        "organiser",
        "/api/v1/consultations/{draft}/documents/{draft_document}",
    ),
}
# Three ways of sending nothing: no body and no Content-Type, an empty body announced as
# JSON, and whitespace announced as JSON.
EMPTY = {
    "no body": {},
    "empty JSON body": {"data": b"", "content_type": "application/json"},
    "blank JSON body": {"data": b" \n", "content_type": "application/json"},
}


def _write_routes(app) -> set[tuple[str, str]]:
    return {
        (method, rule.endpoint)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in (rule.methods or set()) - {"GET", "HEAD", "OPTIONS"}
    }


def test_every_action_of_the_api_is_listed(app):
    assert sorted(_write_routes(app)) == sorted(EXPECTED)
    assert {endpoint for _method, endpoint in EXPECTED} == set(TARGETS)


@pytest.fixture
def world(db, make_consultation, make_user, organiser):
    people = {
        "organiser": organiser,
        "moderator": make_user("moderator"),
        "author": make_user(),
        "voter": make_user(),
    }
    tokens = {role: accounts.create_api_token(user)[1] for role, user in people.items()}
    db.session.commit()

    def build() -> dict:
        draft = make_consultation("draft", title="Brouillon")
        opened = make_consultation("open", title="Ouverte")
        closed = make_consultation("closed", title="Close")
        published = make_consultation("closed", title="Synthèse publiée")
        comment = submit_contribution(people["author"], opened, kind="comment", body="Un avis.")
        hidden = submit_contribution(people["author"], opened, kind="comment", body="Masqué.")
        moderation.hide_contribution(people["moderator"], hidden, "spam")
        for consultation in (closed, published):
            publishing.save_synthesis(organiser, consultation, body="## Synthèse\n\nUn texte.")
            item = follow_ups.create_follow_up(organiser, consultation, title="Un décret")
        publishing.publish_synthesis(organiser, published, "")
        theme = review.create_theme(organiser, closed, "Un thème")
        late = submit_contribution(people["author"], opened, kind="comment", body="Proposer.")
        (group,) = review_proposals.import_draft_proposals(
            opened,
            {"proposals": {"groups": [{"label": "Proposer", "contribution_ids": [late.id]}]}},
            None,
            opened.closes_at,
        ).groups
        draft_document = documents.add_document(
            organiser,
            draft,
            file=io.BytesIO(document_files.pdf()),
            filename="annexe.pdf",
            title="Annexe",
            kind="annex",
        )
        documented = make_consultation("draft", title="Documentée")
        document = documents.add_document(
            organiser,
            documented,
            file=io.BytesIO(document_files.pdf()),
            filename="etude.pdf",
            title="Étude d'impact",
            kind="impact_study",
        )
        consultations.publish_consultation(
            organiser, documented, now=documented.opens_at - timedelta(days=1)
        )
        db.session.commit()
        return {
            "documented": documented.slug,
            "document": document.id,
            "draft_document": draft_document.id,
            "draft": draft.slug,
            "open": opened.slug,
            "closed": closed.slug,
            "published": published.slug,
            "article": opened.current_version.articles[0].id,
            "contribution": comment.id,
            "hidden": hidden.id,
            "follow_up": item.id,
            "theme": theme.id,
            "group": group.id,
        }

    return tokens, build


@pytest.mark.parametrize(("method", "endpoint"), sorted(EXPECTED))
def test_an_empty_body_is_an_empty_object(client, world, method, endpoint):
    tokens, build = world
    status, fields = EXPECTED[(method, endpoint)]
    role, template = TARGETS[endpoint]
    answers = {}
    for label, empty in EMPTY.items():
        url = template.format(**build())  # fresh targets: the previous try may have acted
        headers = {"Authorization": f"Bearer {tokens[role]}"}
        response = client.open(url, method=method, headers=headers, **empty)
        assert response.status_code == status, (label, response.get_json())
        body = response.get_json()
        if status == 422:
            error = body["error"]
            assert set(error["fields"]) >= fields, (label, error)
            assert all(isinstance(m, str) and m for m in error["fields"].values())
        answers[label] = (response.status_code, _error_of(body))
    assert len(set(answers.values())) == 1, answers


def _error_of(body) -> str | None:
    return repr(body["error"]) if isinstance(body, dict) and "error" in body else None


def test_a_synthesis_is_published_without_a_body(client, db, world):
    tokens, build = world
    slug = build()["closed"]
    response = client.post(
        f"/api/v1/consultations/{slug}/synthesis/publish",
        headers={"Authorization": f"Bearer {tokens['organiser']}"},
    )
    assert response.status_code == 201
    assert response.json["number"] == 1 and response.json["change_note"] == ""


def test_a_body_that_is_not_json_is_still_refused(client, world):
    tokens, build = world
    slug = build()["closed"]
    headers = {"Authorization": f"Bearer {tokens['organiser']}"}
    url = f"/api/v1/consultations/{slug}/synthesis/publish"
    broken = client.post(url, data=b"{", content_type="application/json", headers=headers)
    assert broken.status_code == 400 and broken.json["error"]["code"] in (
        "bad_request",
        "invalid_json",
    )
    listed = client.post(url, json=["not", "an", "object"], headers=headers)
    assert listed.status_code == 400
    untyped = client.post(url, data=b'{"change_note": "v1"}', headers=headers)
    assert untyped.status_code == 400
    assert untyped.json["error"]["code"] == "unsupported_media_type"
    assert "application/json" in untyped.json["error"]["message"]
