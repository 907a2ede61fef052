"""Official answers through the API."""

from __future__ import annotations

from flask import jsonify

from consultation.api import bp, serializers
from consultation.api.auth import require_api_user
from consultation.api.input import json_object
from consultation.extensions import db
from consultation.participation import services as participation
from consultation.synthesis import services


@bp.post("/contributions/<int:contribution_id>/answer")
def answer_contribution(contribution_id: int):
    user = require_api_user()
    contribution = participation.get_contribution(contribution_id, user)
    payload = json_object()
    answer = services.answer_contribution(
        user, contribution, payload.get("status"), payload.get("body")
    )
    body = {"contribution_id": contribution.id, "answer": serializers.answer(answer)}
    db.session.commit()
    return jsonify(body)
