"""CSRF on every state-changing route; a stale token shows the form again with the text."""

import io
from datetime import timedelta

import pytest

from consultation.consultations import documents
from consultation.consultations.models import Consultation
from consultation.consultations.services import publish_consultation
from consultation.core.forms import CSRF_MESSAGE
from consultation.synthesis import review_proposals
from tests.documents import files as document_files

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True


def _state(db):
    db.session.expire_all()
    return [
        (c.slug, c.title, c.published_at, c.closes_at)
        for c in db.session.scalars(db.select(Consultation))
    ]


def test_every_state_changing_route_refuses_a_request_without_token(
    app, client, csrf_on, login_as, make_consultation, make_user, db
):
    draft = make_consultation("draft")
    opened = make_consultation("open", title="Ouverte")
    admin = make_user("admin")
    login_as(admin)  # every role check passes: the token is what refuses
    from consultation.moderation.services import hide_contribution
    from consultation.participation.services import submit_contribution
    from consultation.synthesis.models import FollowUp

    comment = submit_contribution(make_user(), opened, kind="comment", body="Un commentaire.")
    # Only its author appeals against a hiding: the signed-in account's own hidden contribution.
    hidden = submit_contribution(admin, opened, kind="comment", body="Masqué.")
    hide_contribution(make_user("moderator"), hidden, "spam", notify=False)
    follow_up = FollowUp(consultation_id=draft.id, title="Une suite envisagée")
    db.session.add(follow_up)
    from consultation.synthesis.review_models import Origin, ReviewTheme

    theme = ReviewTheme(consultation_id=draft.id, name="Un thème", origin=Origin.person)
    db.session.add(theme)
    document = documents.add_document(
        admin,
        draft,
        file=io.BytesIO(document_files.pdf()),
        filename="etude.pdf",
        title="Étude d'impact",
        kind="impact_study",
    )
    # Errata and hiding are for a published document: one frozen at its consultation's publication.
    documented = make_consultation("draft", title="Documentée")
    published_document = documents.add_document(
        admin,
        documented,
        file=io.BytesIO(document_files.pdf()),
        filename="etude.pdf",
        title="Étude d'impact",
        kind="impact_study",
    )
    publish_consultation(admin, documented, now=documented.opens_at - timedelta(days=1))
    (group,) = review_proposals.import_draft_proposals(
        opened,
        {"proposals": {"groups": [{"label": "Proposer", "contribution_ids": [comment.id]}]}},
        None,
        opened.closes_at,
    ).groups
    db.session.commit()
    values = {
        "slug": draft.slug,
        "token": "x",
        "token_id": 1,
        "number": "1",
        "contribution_id": comment.id,
        "block_id": 1,
        "follow_up_id": follow_up.id,
        "theme_id": theme.id,
        "key": "ouverture",
        "document_id": document.id,
        "group_id": group.id,
    }
    on_open = (
        "manage.extend",
        "participation.reply",
        "participation.comment",
        "participation.contribute",
        "participation.edit_contribution",
        "synthesis.move_contribution",
        "synthesis.read_contribution",
    )
    slugs = dict.fromkeys(on_open, opened.slug)
    checked = []
    for rule in app.url_map.iter_rules():
        methods = (rule.methods or set()) & STATE_CHANGING
        if not methods or rule.rule.startswith("/api/"):
            continue
        url = rule.rule
        arguments = dict(values, slug=slugs.get(rule.endpoint, draft.slug))
        if rule.endpoint == "moderation.appeal":
            arguments.update(slug=opened.slug, contribution_id=hidden.id)
        if rule.endpoint in ("documents.erratum", "documents.hide"):
            arguments.update(slug=documented.slug, document_id=published_document.id)
        for name in rule.arguments:
            url = url.replace(f"<{name}>", str(arguments[name])).replace(
                f"<int:{name}>", str(arguments[name])
            )
        before = _state(db)
        response = client.open(
            url, method=sorted(methods)[0], data={"title": "Titre tapé", "lang": "en"}
        )
        checked.append(rule.endpoint)
        page = response.get_data(as_text=True)
        assert response.status_code == 400 or CSRF_MESSAGE.replace("'", "&#39;") in page, (
            rule.endpoint
        )
        assert _state(db) == before, rule.endpoint
        assert client.get_cookie("lang") is None
    assert {
        "accounts.logout",
        "manage.publish",
        "manage.new_consultation",
    } <= set(checked)


def test_stale_token_shows_the_form_again_with_the_text(client, csrf_on, login_as, organiser, db):
    login_as(organiser)
    response = client.post(
        "/gestion/consultations/nouvelle",
        data={
            "csrf_token": "périmé",
            "title": "Un titre soigneusement tapé",
            "text": "Article 1er\nMon texte.",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Le formulaire a expiré" in page
    assert 'value="Un titre soigneusement tapé"' in page and "Mon texte." in page
    assert db.session.scalar(db.select(db.func.count(Consultation.id))) == 0


def test_logout_without_token_does_not_sign_out(client, csrf_on, login_as, make_user):
    login_as(make_user())
    assert client.post("/deconnexion").status_code == 400
    assert client.get("/compte").status_code == 200
