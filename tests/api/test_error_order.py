"""The order in which an API write reports what is wrong: 401 (no token), then 403 or 404 (no
right, or nothing the actor may see), then 409 (the state of the consultation or the
contribution), then 422 (the body). A body of the wrong shape never hides a missing right or a
refused state: whoever may not write gets the same answer whatever they send."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from consultation.accounts.models import Role
from consultation.consultations import documents
from consultation.consultations import services as consultations
from consultation.core import clock
from consultation.moderation import services as moderation
from consultation.synthesis import follow_ups, review, review_proposals
from consultation.synthesis.models import SynthesisVersion
from tests.documents import files as document_files


@dataclass
class Case:
    """One write endpoint: who may and who may not call it, a body of the wrong shape (its
    field named in the 422) and a well-typed body that a rule of the service refuses."""

    method: str
    url: str
    right: Any
    wrong: Any
    wrong_status: int
    malformed: dict[str, Any]
    malformed_field: str
    breaking: dict[str, Any]
    breaking_field: str
    breaking_message: str


@pytest.fixture
def world(request, db, built_once) -> dict[str, Any]:
    """An open consultation with a comment, a closed one whose synthesis is published (with a
    follow-up) and reviewed, a draft, a scheduled one, and the people who act on them: built
    once per database (`built_once`), its rows inserted again for each test (no case writes
    what another reads: each is refused before any change)."""
    refs = built_once(lambda: {name: _ref(v) for name, v in _build_world(request).items()})
    return {name: _load(db, ref) for name, ref in refs.items()}


def _ref(value: Any) -> Any:
    """A value of the world as kept between tests: a row by its class and id."""
    if isinstance(value, list):
        return [_ref(v) for v in value]
    if hasattr(value, "__table__"):
        return (type(value), value.id)
    return value


def _load(db, ref: Any) -> Any:
    if isinstance(ref, list):
        return [_load(db, r) for r in ref]
    if isinstance(ref, tuple):
        return db.session.get(*ref)
    return ref


def _build_world(request) -> dict[str, Any]:
    db = request.getfixturevalue("db")
    make_consultation = request.getfixturevalue("make_consultation")
    make_contribution = request.getfixturevalue("make_contribution")
    make_user = request.getfixturevalue("make_user")
    make_institution = request.getfixturevalue("make_institution")
    organiser = request.getfixturevalue("organiser")
    opened = make_consultation("open")
    closed = make_consultation("closed")
    draft = make_consultation("draft")
    scheduled = make_consultation("scheduled")
    # A published consultation with a document frozen at publication.
    documented = make_consultation(
        "draft", title="Projet documenté", opens_at=clock.now() + timedelta(days=3)
    )
    document = documents.add_document(
        organiser,
        documented,
        file=io.BytesIO(document_files.pdf()),
        filename="etude.pdf",
        title="Étude d'impact",
        kind="impact_study",
    )
    hidden_document = documents.add_document(
        organiser,
        documented,
        file=io.BytesIO(document_files.pdf(text="annexe")),
        filename="annexe.pdf",
        title="Annexe",
        kind="annex",
    )
    consultations.publish_consultation(organiser, documented, now=clock.now())
    documents.hide_document(organiser, hidden_document, "Données personnelles.")
    # A draft's document: removed, never hidden.
    draft_document = documents.add_document(
        organiser,
        draft,
        file=io.BytesIO(document_files.pdf()),
        filename="etude.pdf",
        title="Étude",
        kind="impact_study",
    )
    author = make_user()
    comment = make_contribution(opened, author=author, body="Mon avis sur l'article.")
    hidden = make_contribution(opened, author=author, body="Un avis masqué ensuite.")
    moderator = make_user(Role.moderator)
    moderation.hide_contribution(moderator, hidden, "off_topic", notify=False)
    now = clock.now()
    db.session.add(
        SynthesisVersion(consultation_id=closed.id, number=1, body="La synthèse.", published_at=now)
    )
    closed.synthesis_published_at = now
    follow_up = follow_ups.create_follow_up(organiser, closed, title="Un décret d'application")
    # The review of its draft: a theme of two contributions, one deleted, two proposal groups.
    during = closed.opens_at + timedelta(days=1)
    ids = [make_contribution(closed, body=f"Avis {n}.", now=during).id for n in range(2)]
    theme, removed = review.import_draft_themes(
        closed,
        {
            "themes": [
                {"label": "t", "contribution_ids": ids},
                {"label": "u", "contribution_ids": []},
            ]
        },
        now,
    )
    review.delete_theme(organiser, removed)
    groups = review_proposals.import_draft_proposals(
        closed,
        {"proposals": {"groups": [{"label": f"p{i}", "contribution_ids": [i]} for i in ids]}},
        None,
        now,
    ).groups
    db.session.commit()
    return {
        "opened": opened,
        "closed": closed,
        "draft": draft,
        "scheduled": scheduled,
        "author": author,
        "comment": comment,
        "hidden": hidden,
        "follow_up": follow_up,
        "theme": theme,
        "removed_theme": removed,
        "groups": groups,
        "reviewed": ids,
        "organiser": organiser,
        "moderator": moderator,
        "participant": make_user(),
        "unverified": make_user(verified=False),
        "stranger": make_user(Role.organiser, institution=make_institution("autre", "Autre")),
        "documented": documented,
        "document": document,
        "hidden_document": hidden_document,
        "draft_document": draft_document,
    }


def _cases(w: dict[str, Any]) -> dict[str, Case]:
    opened, closed, draft = w["opened"], w["closed"], w["draft"]
    comment, hidden = w["comment"], w["hidden"]
    article_id = _first_article(opened)
    return {
        "create consultation": Case(
            "POST", "/api/v1/consultations", w["organiser"], w["participant"], 403,
            {"title": 5, "legal_basis": "crpa_l131_1"}, "title",
            {"title": "Un projet", "legal_basis": "inconnue"}, "legal_basis",
            "Choisissez une base légale de la liste.",
        ),
        "patch consultation": Case(
            "PATCH", f"/api/v1/consultations/{draft.slug}", w["organiser"], w["moderator"], 403,
            {"title": 5}, "title",
            {"legal_basis": "inconnue"}, "legal_basis", "Choisissez une base légale de la liste.",
        ),
        "record act": Case(
            "POST", f"/api/v1/consultations/{closed.slug}/act", w["organiser"], w["participant"],
            403,
            {"signed_on": 5, "reference": "Décret n° 1"}, "signed_on",
            {"signed_on": "2026-01-01", "reference": "  "}, "reference",
            "Indiquez la référence de l'acte",
        ),
        "report": Case(
            "POST", f"/api/v1/contributions/{comment.id}/report", w["participant"],
            w["unverified"], 403,
            {"reason": "spam", "details": 5}, "details",
            {"reason": "inconnu"}, "reason", "Motif inconnu",
        ),
        "appeal": Case(
            "POST", f"/api/v1/contributions/{hidden.id}/appeal", w["author"], w["participant"],
            404,
            {"body": 5}, "body",
            {"body": "   "}, "body", "Expliquez en quoi votre contribution respecte la charte.",
        ),
        "moderate": Case(
            "POST", f"/api/v1/contributions/{comment.id}/moderation", w["moderator"],
            w["participant"], 403,
            {"action": "dismiss", "note": 5}, "note",
            {"action": "effacer"}, "action", "Action inconnue",
        ),
        "bulk moderation": Case(
            "POST", "/api/v1/moderation/bulk", w["moderator"], w["participant"], 403,
            {"action": "dismiss", "ids": [comment.id], "note": []}, "note",
            {"action": "dismiss", "ids": []}, "ids", "Sélectionnez au moins une contribution.",
        ),
        "vote on article": Case(
            "POST", f"/api/v1/articles/{article_id}/vote", w["participant"], w["unverified"],
            403,
            {"value": 5}, "value",
            {"value": "bof"}, "value", "Valeurs possibles : agree, mixed, disagree.",
        ),
        "contribute": Case(
            "POST", f"/api/v1/consultations/{opened.slug}/contributions", w["participant"],
            w["unverified"], 403,
            {"kind": "comment", "body": ["un avis"]}, "body",
            {"kind": "comment", "body": "  "}, "body",
            "Le texte de la contribution est obligatoire.",
        ),
        "edit contribution": Case(
            "PATCH", f"/api/v1/contributions/{comment.id}", w["author"], w["participant"], 403,
            {"body": 5}, "body",
            {"body": "Mon avis sur l'article."}, "body", "Vous n'avez rien modifié.",
        ),
        "vote on contribution": Case(
            "POST", f"/api/v1/contributions/{comment.id}/vote", w["participant"],
            w["unverified"], 403,
            {"value": 5}, "value",
            {"value": "bof"}, "value", "Valeurs possibles : agree, mixed, disagree.",
        ),
        "answer": Case(
            "POST", f"/api/v1/contributions/{comment.id}/answer", w["organiser"],
            w["moderator"], 403,
            {"status": "retained", "body": 5}, "body",
            {"status": "oui", "body": "Nous retenons."}, "status", "Statut inconnu",
        ),
        "put synthesis": Case(
            "PUT", f"/api/v1/consultations/{closed.slug}/synthesis", w["organiser"],
            w["participant"], 403,
            {"body": 5}, "body",
            {"body": "Texte.", "reasons_url": "pas une adresse"}, "reasons_url", "http",
        ),
        "put synthesis section": Case(
            "PUT", f"/api/v1/consultations/{closed.slug}/synthesis/sections/ouverture",
            w["organiser"], w["participant"], 403,
            {"text": 5, "fingerprint": "0123456789abcdef"}, "text",
            {"text": "Texte.", "fingerprint": ""}, "fingerprint", "empreinte",
        ),
        "publish synthesis": Case(
            "POST", f"/api/v1/consultations/{closed.slug}/synthesis/publish", w["organiser"],
            w["participant"], 403,
            {"change_note": 5}, "change_note",
            {"change_note": "  "}, "body", "Rédigez le texte de la synthèse.",
        ),
        "patch follow-up": Case(
            "PATCH", f"/api/v1/follow-ups/{w['follow_up'].id}", w["organiser"],
            w["participant"], 403,
            {"title": 5}, "title",
            {"status": "fini"}, "status", "Statut inconnu",
        ),
        "split theme": Case(
            "POST", f"/api/v1/synthesis/themes/{w['theme'].id}/split", w["organiser"],
            w["participant"], 403,
            {"contribution_ids": [w["reviewed"][0]], "name": 5}, "name",
            {"contribution_ids": [], "name": "Nouveau"}, "contributions",
            "Cochez les contributions",
        ),
        "choose excerpt": Case(
            "POST", f"/api/v1/synthesis/themes/{w['theme'].id}/excerpts", w["organiser"],
            w["participant"], 403,
            {"contribution_id": "un", "state": "pinned"}, "contribution_id",
            {"contribution_id": w["reviewed"][0], "state": "épinglé"}, "state",
            "Valeurs possibles",
        ),
        "merge proposal groups": Case(
            "POST", f"/api/v1/consultations/{closed.slug}/synthesis/proposals/merge",
            w["organiser"], w["participant"], 403,
            {"groups": "1"}, "groups",
            {"groups": [w["groups"][0].id]}, "groups", "Cochez au moins deux groupes",
        ),
        "add document": Case(
            "POST", f"/api/v1/consultations/{draft.slug}/documents", w["organiser"],
            w["moderator"], 403,
            {"title": 5, "kind": "annex"}, "title",
            {"title": "Étude", "kind": "poème"}, "kind", "Choisissez la nature du document",
        ),
        "document erratum": Case(
            "POST",
            f"/api/v1/consultations/{w['documented'].slug}/documents/{w['document'].id}/erratum",
            w["organiser"], w["moderator"], 403,
            {"note": 5}, "note",
            {"note": "  "}, "note", "Expliquez ce que corrige l'erratum",
        ),
        "hide document": Case(
            "POST",
            f"/api/v1/consultations/{w['documented'].slug}/documents/{w['document'].id}/hide",
            w["organiser"], w["moderator"], 403,
            {"reason": 5}, "reason",
            {"reason": "  "}, "reason", "Le motif est obligatoire",
        ),
        "rename proposal group": Case(
            "POST", f"/api/v1/synthesis/proposals/{w['groups'][0].id}/rename", w["organiser"],
            w["participant"], 403,
            {"label": 5}, "label",
            {"label": "  "}, "label", "Donnez un libellé à la proposition.",
        ),
    }  # fmt: skip


def _first_article(consultation) -> int:
    from consultation.consultations import queries

    return queries.load_text(consultation).articles[0].id


ENDPOINTS = [
    "create consultation",
    "patch consultation",
    "record act",
    "report",
    "appeal",
    "moderate",
    "bulk moderation",
    "vote on article",
    "contribute",
    "edit contribution",
    "vote on contribution",
    "answer",
    "put synthesis",
    "put synthesis section",
    "publish synthesis",
    "patch follow-up",
    "split theme",
    "choose excerpt",
    "merge proposal groups",
    "rename proposal group",
    "add document",
    "document erratum",
    "hide document",
]


@pytest.fixture
def send(client, bearer) -> Callable[..., Any]:
    def request(case: Case, user, body: Any):
        headers = bearer(user) if user is not None else {}
        return client.open(case.url, method=case.method, json=body, headers=headers)

    return request


def test_every_write_reading_a_body_is_listed(world):
    assert sorted(_cases(world)) == sorted(ENDPOINTS)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_rights_come_before_the_body(world, send, endpoint):
    case = _cases(world)[endpoint]

    anonymous = send(case, None, case.malformed)
    assert anonymous.status_code == 401, anonymous.json
    assert anonymous.json["error"]["code"] == "unauthorized"

    refused = send(case, case.wrong, case.malformed)
    assert refused.status_code == case.wrong_status, refused.json
    assert "fields" not in refused.json["error"]

    malformed = send(case, case.right, case.malformed)
    assert malformed.status_code == 422, malformed.json
    assert malformed.json["error"]["code"] == "invalid"
    assert case.malformed_field in malformed.json["error"]["fields"]

    breaking = send(case, case.right, case.breaking)
    assert breaking.status_code == 422, breaking.json
    assert case.breaking_message in breaking.json["error"]["fields"][case.breaking_field]


def test_a_refused_actor_gets_the_same_answer_whatever_the_body(world, send):
    """The refusal does not depend on what is sent: the same for a wrong body, a body breaking
    a rule, no body or a body that is not a JSON object."""
    for endpoint in ENDPOINTS:
        case = _cases(world)[endpoint]
        bodies = (case.malformed, case.breaking, {}, [1])
        answers = {str(send(case, case.wrong, body).json) for body in bodies}
        assert len(answers) == 1, (endpoint, answers)


def test_a_state_refusal_comes_before_the_body(world, send):
    """A closed consultation, an unpublished synthesis, a consultation still open: 409 for
    the right actor, whatever the shape of the body."""
    w = world
    scheduled = w["scheduled"]
    comment = w["comment"]
    refusals = [
        # contributing once the consultation is closed
        ("POST", f"/api/v1/consultations/{w['closed'].slug}/contributions", w["participant"],
         {"kind": "comment", "body": 5}, "consultation_not_open"),
        # the act before the synthesis is public
        ("POST", f"/api/v1/consultations/{w['opened'].slug}/act", w["organiser"],
         {"signed_on": 5}, "synthesis_not_published"),
        # publishing the synthesis while the consultation is open
        ("POST", f"/api/v1/consultations/{w['opened'].slug}/synthesis/publish", w["organiser"],
         {"change_note": 5}, "invalid_state"),
        # the synthesis of a draft
        ("PUT", f"/api/v1/consultations/{w['draft'].slug}/synthesis", w["organiser"],
         {"body": 5}, "invalid_state"),
        ("PUT", f"/api/v1/consultations/{w['draft'].slug}/synthesis/sections/ouverture",
         w["organiser"], {"text": 5}, "invalid_state"),
        # reporting one's own contribution
        ("POST", f"/api/v1/contributions/{comment.id}/report", w["author"],
         {"details": 5}, "invalid_state"),
        # appealing against a contribution that is not hidden
        ("POST", f"/api/v1/contributions/{comment.id}/appeal", w["author"],
         {"body": 5}, "invalid_state"),
        # answering a hidden contribution
        ("POST", f"/api/v1/contributions/{w['hidden'].id}/answer", w["organiser"],
         {"body": 5}, "invalid_state"),
        # splitting a theme a person deleted
        ("POST", f"/api/v1/synthesis/themes/{w['removed_theme'].id}/split", w["organiser"],
         {"name": 5}, "invalid_state"),
        # a document added once the text is frozen, an erratum before publication
        ("POST", f"/api/v1/consultations/{w['documented'].slug}/documents", w["organiser"],
         {"title": 5}, "invalid_state"),
        ("POST",
         f"/api/v1/consultations/{w['draft'].slug}/documents/{w['draft_document'].id}/erratum",
         w["organiser"], {"note": 5}, "invalid_state"),
        # hiding a draft's document (removed instead) or a version hidden already, removing a
        # document frozen at publication
        ("POST",
         f"/api/v1/consultations/{w['draft'].slug}/documents/{w['draft_document'].id}/hide",
         w["organiser"], {"reason": 5}, "invalid_state"),
        ("POST",
         f"/api/v1/consultations/{w['documented'].slug}/documents/"
         f"{w['hidden_document'].id}/hide",
         w["organiser"], {"reason": 5}, "invalid_state"),
        ("DELETE",
         f"/api/v1/consultations/{w['documented'].slug}/documents/{w['document'].id}",
         w["organiser"], {"reason": 5}, "invalid_state"),
        # voting before the opening
        ("POST", f"/api/v1/articles/{_first_article(scheduled)}/vote", w["participant"],
         {"value": 5}, "consultation_not_open"),
    ]  # fmt: skip
    for method, url, user, body, code in refusals:
        case = Case(method, url, user, None, 0, body, "", {}, "", "")
        answer = send(case, user, body)
        assert (answer.status_code, answer.json["error"]["code"]) == (409, code), url


def test_an_organiser_of_another_institution_is_refused_before_the_fields(world, send):
    """Creating a consultation for an institution one does not organise for: 403, not the
    422 of the wrongly typed title."""
    case = _cases(world)["create consultation"]
    body = {"institution": world["opened"].institution.slug, "title": 5}
    answer = send(case, world["stranger"], body)
    assert answer.status_code == 403, answer.json


def test_a_draft_is_not_found_for_whoever_may_not_see_it(world, send):
    """PATCH of a draft by someone outside its institution: 404 (as for an unknown address),
    whatever the body."""
    case = _cases(world)["patch consultation"]
    for user in (world["participant"], world["stranger"]):
        answer = send(case, user, {"title": 5})
        assert answer.status_code == 404, answer.json
