"""What organisers read while answering: the contributions of a consultation with their answer,
filtered, most supported first."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from consultation.consultations.models import Consultation
from consultation.core.errors import ValidationFailed
from consultation.extensions import db
from consultation.participation.models import Contribution, ContributionKind
from consultation.synthesis.models import Answer, AnswerStatus

PAGE_SIZE = 50
ANSWER_FILTERS = {"none": "Sans réponse", **{s.value: s.label for s in AnswerStatus}}


@dataclass(frozen=True)
class AnswerFilters:
    answer: str | None = None  # "none", a status value, or None for all
    article_id: int | None = None
    kind: ContributionKind | None = None
    min_votes: int = 0


def parse_filters(args) -> AnswerFilters:
    errors: dict[str, str] = {}
    answer = args.get("reponse") or None
    if answer is not None and answer not in ANSWER_FILTERS:
        errors["reponse"] = "Filtre de réponse inconnu."
    kind = None
    if args.get("type"):
        try:
            kind = ContributionKind(args.get("type"))
        except ValueError:
            errors["type"] = "Type de contribution inconnu."
    article_id = min_votes = None
    try:
        article_id = int(args["article"]) if args.get("article") else None
        min_votes = int(args.get("votes") or 0)
    except ValueError:
        errors["votes"] = "Nombre attendu."
    if (article_id is not None and not 0 < article_id < 2**31) or not 0 <= (min_votes or 0) < 2**31:
        errors["votes"] = "Nombre hors limites."
    if errors:
        raise ValidationFailed(fields=errors)
    return AnswerFilters(answer=answer, article_id=article_id, kind=kind, min_votes=min_votes or 0)


def answers_by_contribution(contribution_ids: list[int]) -> dict[int, Answer]:
    """The answers to these contributions, by contribution id, in one query."""
    if not contribution_ids:
        return {}
    rows = db.session.scalars(sa.select(Answer).where(Answer.contribution_id.in_(contribution_ids)))
    return {answer.contribution_id: answer for answer in rows}


def contributions_to_answer(
    consultation: Consultation, filters: AnswerFilters, *, page: int = 1
) -> tuple[list[Contribution], int]:
    """A page of the consultation's published top-level contributions, most supported first
    (Wilson lower bound), and how many match."""
    votes = Contribution.votes_agree + Contribution.votes_mixed + Contribution.votes_disagree
    query = (
        sa.select(Contribution)
        .outerjoin(Answer, Answer.contribution_id == Contribution.id)
        .where(
            Contribution.consultation_id == consultation.id,
            Contribution.parent_id.is_(None),
            Contribution.is_public,
        )
    )
    if filters.answer == "none":
        query = query.where(Answer.id.is_(None))
    elif filters.answer:
        query = query.where(Answer.status == AnswerStatus(filters.answer))
    if filters.article_id is not None:
        query = query.where(Contribution.article_id == filters.article_id)
    if filters.kind is not None:
        query = query.where(Contribution.kind == filters.kind)
    if filters.min_votes:
        query = query.where(votes >= filters.min_votes)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    rows = db.session.scalars(
        query.order_by(Contribution.popularity.desc(), Contribution.id.desc())
        .offset((max(page, 1) - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .options(
            selectinload(Contribution.author),
            selectinload(Contribution.article),
            selectinload(Contribution.answer),
        )
    ).all()
    return list(rows), total
