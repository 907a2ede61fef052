"""/api/v1/articles/{id}/vote: an opinion on an article."""

from __future__ import annotations

from flask import jsonify, request

from consultation.api import bp
from consultation.api.auth import require_api_user
from consultation.core.errors import BadRequest
from consultation.extensions import db
from consultation.participation import services


@bp.post("/articles/<int:article_id>/vote")
def vote_on_article(article_id: int):
    user = require_api_user()
    article, _consultation = services.get_article(article_id, user)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise BadRequest('Corps JSON attendu : {"value": "agree" | "mixed" | "disagree"}.')
    opinion = services.cast_article_vote(user, article, payload.get("value"))
    db.session.commit()
    return _vote_state(article.id, opinion.value)


@bp.delete("/articles/<int:article_id>/vote")
def withdraw_article_vote(article_id: int):
    user = require_api_user()
    article, _consultation = services.get_article(article_id, user)
    services.withdraw_article_vote(user, article)
    db.session.commit()
    return _vote_state(article.id, None)


def _vote_state(article_id: int, value: str | None):
    return jsonify(
        {
            "article_id": article_id,
            "value": value,
            "votes": services.article_vote_counts([article_id])[article_id],
        }
    )
