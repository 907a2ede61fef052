"""Participation through the API: opinions on articles, contributions and their votes."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import gettext as _

from consultation.api import bp, schemas, serializers
from consultation.api.auth import api_user, require_api_user
from consultation.api.input import page_limit
from consultation.consultations.services import get_visible
from consultation.core import clock, journal
from consultation.core.errors import ValidationFailed
from consultation.core.limits import contribution_limits, vote_limits
from consultation.core.upload_limits import accepts_upload
from consultation.extensions import db
from consultation.participation import papers, services
from consultation.synthesis.queries import answers_by_contribution


@bp.post("/articles/<int:article_id>/vote")
@vote_limits
def vote_on_article(article_id: int):
    user = require_api_user()
    article, consultation = services.get_article(article_id, user)
    services.check_can_participate(user, consultation, clock.now())
    opinion = services.cast_article_vote(user, article, schemas.parse(schemas.VoteInput).value)
    state = _vote_state(article, opinion.value)  # read before commit expires the row
    db.session.commit()
    return state


@bp.delete("/articles/<int:article_id>/vote")
@vote_limits
def withdraw_article_vote(article_id: int):
    user = require_api_user()
    article, _consultation = services.get_article(article_id, user)
    services.withdraw_article_vote(user, article)
    state = _vote_state(article, None)
    db.session.commit()
    return state


def _vote_state(article, value: str | None):
    return schemas.respond(
        schemas.ArticleVote,
        {"article_id": article.id, "value": value, "votes": article.vote_counts},
    )


@bp.get("/consultations/<slug>/contributions")
def list_contributions(slug: str):
    consultation = get_visible(slug, api_user())
    article = request.args.get("article")
    if article is not None and not (article.isdecimal() and len(article) < 10):
        raise ValidationFailed(fields={"article": _("Identifiant d'article attendu.")})
    paragraph = request.args.get("paragraph")
    if paragraph is not None and not (paragraph.isdecimal() and 0 < len(paragraph) < 5):
        raise ValidationFailed(fields={"paragraph": _("Numéro d'alinéa attendu.")})
    seed = request.args.get("seed", "0")
    items, next_cursor = services.list_contributions(
        consultation,
        kind=request.args.get("kind") or None,
        article_id=int(article) if article else None,
        paragraph=int(paragraph) if paragraph else None,
        position=request.args.get("position") or None,
        author_type=request.args.get("author_type") or None,
        sort=request.args.get("sort", "random"),
        cursor=request.args.get("cursor"),
        seed=int(seed) if seed.isdecimal() else 0,
        limit=page_limit(services.PAGE_SIZE),
    )
    answers = answers_by_contribution([c.id for c in items])
    found = papers.papers_of(c.id for c in items)
    return schemas.respond(
        schemas.ContributionList,
        {
            "contributions": [
                serializers.contribution(c, found)
                | {"answer": serializers.answer(answers.get(c.id))}
                for c in items
            ],
            "next_cursor": next_cursor,
        },
    )


@bp.post("/consultations/<slug>/contributions")
@accepts_upload("POSITION_PAPER_MAX_BYTES")
@contribution_limits
def submit_contribution(slug: str):
    user = require_api_user()
    consultation = get_visible(slug, user)
    services.check_can_participate(user, consultation, clock.now())
    payload, upload = _multipart_body(schemas.ContributionInput)
    sent = schemas.parse(schemas.ContributionInput, payload).model_dump(exclude_unset=True)
    values = {"kind": None, "body": None} | sent
    contribution = services.submit_contribution(
        user,
        consultation,
        paper=upload,
        paper_filename=getattr(upload, "filename", None),
        **values,
    )
    receipt = journal.receipt(contribution.tracking_number)
    body = serializers.contribution(contribution)
    db.session.commit()
    # The author's receipt: where the contribution sits in the consultation's record.
    body["ledger"] = {"index": receipt.index, "leaf_hash": receipt.leaf_hash} if receipt else None
    return schemas.respond(schemas.SubmittedContribution, body, 201)


_WHOLE_NUMBERS = ("article_id", "paragraph", "parent_id")
_BOOLEANS = ("remove_paper",)


def _multipart_body(model: type[schemas.RequestShape]) -> tuple[dict[str, Any] | None, Any]:
    """A contribution's fields (those of `model`) and its position paper: a JSON body (no
    paper, None: read by `schemas.parse`), or a multipart body whose text fields are read as
    the JSON ones would be (whole numbers written in digits, true or false; a field left empty
    as one not sent) and whose file `paper` is the PDF."""
    if request.mimetype != "multipart/form-data":
        return None, None
    payload: dict[str, Any] = {}
    for name in model.model_fields:
        value = request.form.get(name)
        if value is None or value == "":
            continue
        if name in _WHOLE_NUMBERS and value.isascii() and value.isdecimal() and len(value) < 10:
            payload[name] = int(value)
        elif name in _BOOLEANS and value in ("true", "false"):
            payload[name] = value == "true"
        else:
            payload[name] = value
    upload = request.files.get("paper")
    return payload, (upload if upload and upload.filename else None)


@bp.get("/contributions/<int:contribution_id>")
def get_contribution(contribution_id: int):
    contribution = services.get_contribution(contribution_id, api_user())
    answer = getattr(contribution, "answer", None)  # set by the synthesis models
    return schemas.respond(
        schemas.AnsweredContribution,
        serializers.contribution(contribution) | {"answer": serializers.answer(answer)},
    )


@bp.patch("/contributions/<int:contribution_id>")
@accepts_upload("POSITION_PAPER_MAX_BYTES")
@contribution_limits
def edit_contribution(contribution_id: int):
    """A JSON body changes the wording (`remove_paper` removes the position paper); a multipart
    one may also attach or replace the paper (`paper`)."""
    user = require_api_user()
    contribution = services.get_contribution(contribution_id, user)
    services.check_can_edit(user, contribution, clock.now())
    payload, upload = _multipart_body(schemas.ContributionChanges)
    changes = schemas.parse(schemas.ContributionChanges, payload).model_dump(exclude_unset=True)
    remove_paper = bool(changes.pop("remove_paper", False))
    services.edit_contribution(
        user,
        contribution,
        changes,
        paper=upload,
        paper_filename=getattr(upload, "filename", None),
        remove_paper=remove_paper,
    )
    db.session.commit()
    return _contribution(contribution)


@bp.delete("/contributions/<int:contribution_id>")
def withdraw_contribution(contribution_id: int):
    user = require_api_user()
    contribution = services.get_contribution(contribution_id, user)
    services.withdraw_contribution(user, contribution)
    db.session.commit()
    return _contribution(contribution)


@bp.post("/contributions/<int:contribution_id>/vote")
@vote_limits
def vote_on_contribution(contribution_id: int):
    user = require_api_user()
    contribution = services.get_contribution(contribution_id, user)
    services.check_can_vote_on(user, contribution, clock.now())
    value = schemas.parse(schemas.VoteInput).value
    opinion = services.cast_contribution_vote(user, contribution, value)
    body = serializers.contribution(contribution) | {"my_vote": opinion.value}
    db.session.commit()
    return schemas.respond(schemas.VotedContribution, body)


@bp.delete("/contributions/<int:contribution_id>/vote")
@vote_limits
def withdraw_contribution_vote(contribution_id: int):
    user = require_api_user()
    contribution = services.get_contribution(contribution_id, user)
    services.withdraw_contribution_vote(user, contribution)
    body = serializers.contribution(contribution) | {"my_vote": None}
    db.session.commit()
    return schemas.respond(schemas.VotedContribution, body)


def _contribution(contribution):
    return schemas.respond(schemas.Contribution, serializers.contribution(contribution))
