"""Official answers through the API."""

from __future__ import annotations

from consultation.api import bp, schemas, serializers
from consultation.api.auth import require_api_user
from consultation.core import clock
from consultation.extensions import db
from consultation.participation import services as participation
from consultation.synthesis import services


@bp.post("/contributions/<int:contribution_id>/answer")
def answer_contribution(contribution_id: int):
    user = require_api_user()
    contribution = participation.get_contribution(contribution_id, user)
    services.check_can_answer(user, contribution, clock.now())
    sent = schemas.parse(schemas.AnswerInput)
    answer = services.answer_contribution(user, contribution, sent.status, sent.body)
    body = {"contribution_id": contribution.id, "answer": serializers.answer(answer)}
    db.session.commit()
    return schemas.respond(schemas.AnswerResult, body)
