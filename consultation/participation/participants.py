"""A participant's own data: what they download (GDPR access and portability), their activity,
and the erasure of their account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from consultation.accounts import services as accounts
from consultation.accounts.models import User
from consultation.consultations.models import Consultation
from consultation.core import clock, journal, uploads
from consultation.extensions import db
from consultation.participation import papers
from consultation.participation.models import (
    ArticleVote,
    Contribution,
    ContributionPaper,
    ContributionRevision,
    ContributionVote,
    Opinion,
)
from consultation.texts.models import Article, TextVersion


@dataclass(frozen=True)
class ArticleVoteEntry:
    consultation: Consultation
    article: Article
    value: Opinion
    updated_at: datetime


def erase_participant(user: User, password: str, *, now: datetime | None = None) -> None:
    """Delete a participant's account (see `accounts.erase_account`: anonymised, nothing
    counted changes) and append to each consultation where they contributed an "erasure"
    entry naming the contributions now shown under "Participant supprimé" — the record is
    added to, never rewritten."""
    now = now or clock.now()
    accounts.erase_account(user, password, now=now)
    numbers: dict[int, list[str]] = {}
    for consultation_id, number in db.session.execute(
        sa.select(Contribution.consultation_id, Contribution.tracking_number)
        .where(Contribution.author_id == user.id, Contribution.offline_channel.is_(None))
        .order_by(Contribution.id)
    ):
        numbers.setdefault(consultation_id, []).append(number)
    for consultation_id, tracking_numbers in numbers.items():
        journal.record(consultation_id, "erasure", now, contributions=tracking_numbers)


def personal_data(user: User) -> dict[str, Any]:
    """Everything the platform holds about a participant, for them to download (GDPR access
    and portability): account, profile, contributions with their position paper and their
    earlier wordings, each with the paper it had (name, size, SHA-256), opinions, and what the
    domains above add (`accounts.personal_data_sections`: their appeals). The account page's
    list of papers (`papers_data`) is not repeated: each paper is under its version."""
    contributions, votes = participant_activity(user)
    sections = {
        name: [
            {key: clock.isoformat(v) if isinstance(v, datetime) else v for key, v in entry.items()}
            for entry in entries
        ]
        for name, entries in accounts.personal_data_sections(user).items()
        if name != PAPERS_SECTION
    }
    places = {
        id_: (slug, title)
        for id_, slug, title in db.session.execute(
            sa.select(Consultation.id, Consultation.slug, Consultation.title).where(
                Consultation.id.in_({c.consultation_id for c in contributions})
            )
        )
    }
    replied = dict(
        db.session.execute(
            sa.select(Contribution.id, Contribution.tracking_number).where(
                Contribution.id.in_({c.parent_id for c in contributions if c.parent_id})
            )
        ).all()
    )
    contribution_votes = db.session.execute(
        sa.select(Contribution.tracking_number, ContributionVote.value, ContributionVote.updated_at)
        .join(ContributionVote, ContributionVote.contribution_id == Contribution.id)
        .where(ContributionVote.user_id == user.id)
        .order_by(ContributionVote.id)
    ).all()
    return {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "created_at": clock.isoformat(user.created_at),
            "email_verified_at": clock.isoformat(user.email_verified_at),
            "last_login_at": clock.isoformat(user.last_login_at),
            "profile_type": user.profile_type.value,
            "organisation_category": user.organisation_category.value
            if user.organisation_category
            else None,
            "organisation_name": user.organisation_name or None,
            "hatvp_number": user.hatvp_number or None,
        },
        "contributions": [
            {
                "tracking_number": c.tracking_number,
                "consultation": {
                    "slug": places[c.consultation_id][0],
                    "title": places[c.consultation_id][1],
                },
                "kind": c.kind.value,
                "article": c.article.number if c.article else None,
                "paragraph": c.paragraph,
                "position": c.position.value if c.position else None,
                "reply_to": replied.get(c.parent_id) if c.parent_id is not None else None,
                "title": c.title,
                "body": c.body,
                "proposed_text": c.proposed_text or None,
                "url": c.url or None,
                "created_at": clock.isoformat(c.created_at),
                "edited_at": clock.isoformat(c.edited_at),
                "withdrawn_at": clock.isoformat(c.withdrawn_at),
                "hidden_reason": c.hidden_reason.value if c.hidden_reason else None,
                "paper": papers.recorded(c.paper),
                "earlier_wordings": [
                    {
                        "body": r.body,
                        "replaced_at": clock.isoformat(r.replaced_at),
                        "paper": papers.kept(r),
                    }
                    for r in c.revisions
                ],
            }
            for c in contributions
        ],
        "opinions_on_articles": [
            {
                "consultation": v.consultation.slug,
                "article": v.article.number,
                "value": v.value.value,
                "updated_at": clock.isoformat(v.updated_at),
            }
            for v in votes
        ],
        "opinions_on_contributions": [
            {"contribution": number, "value": value.value, "updated_at": clock.isoformat(at)}
            for number, value, at in contribution_votes
        ],
        **sections,
    }


PAPERS_SECTION = "position_papers"


def papers_data(sender: object = None, *, user: User) -> dict[str, list[dict[str, Any]]]:
    """The position papers of the person's contributions, version by version, for the account
    page's « Mes données » (`accounts.signals.personal_data_requested`): newest contribution
    first, its current paper (`replaced_at` None) then those of its earlier versions, newest
    first; each with the contribution's tracking number, its consultation, the file's name,
    size (with its label in the reader's language) and SHA-256, whatever the contribution's
    state. Two queries."""
    place = (Contribution.id, Contribution.tracking_number, Consultation.slug, Consultation.title)
    current = db.session.execute(
        sa.select(
            *place,
            sa.null(),
            ContributionPaper.filename,
            ContributionPaper.size,
            ContributionPaper.sha256,
        )
        .join(ContributionPaper, ContributionPaper.contribution_id == Contribution.id)
        .join(Consultation, Consultation.id == Contribution.consultation_id)
        .where(Contribution.author_id == user.id)
    ).all()
    earlier = db.session.execute(
        sa.select(
            *place,
            ContributionRevision.replaced_at,
            ContributionRevision.paper_filename,
            ContributionRevision.paper_size,
            ContributionRevision.paper_sha256,
        )
        .join(ContributionRevision, ContributionRevision.contribution_id == Contribution.id)
        .join(Consultation, Consultation.id == Contribution.consultation_id)
        .where(Contribution.author_id == user.id, ContributionRevision.paper_file_key.is_not(None))
        .order_by(ContributionRevision.id.desc())
    ).all()
    # Newest contribution first, its current paper first; a stable sort keeps the earlier
    # versions newest first.
    rows = sorted([*current, *earlier], key=lambda row: (-row[0], row[4] is not None))
    return {
        PAPERS_SECTION: [
            {
                "contribution": number,
                "consultation": {"slug": slug, "title": title},
                "replaced_at": replaced_at,
                "name": name,
                "size": size,
                "size_label": uploads.size_label(cast(int, size)),  # never NULL with a paper
                "sha256": sha256,
            }
            for _id, number, slug, title, replaced_at, name, size, sha256 in rows
        ]
    }


def participant_activity(user: User) -> tuple[list[Contribution], list[ArticleVoteEntry]]:
    """The participant's own contributions (newest first) and opinions on articles."""
    contributions = db.session.scalars(
        sa.select(Contribution)
        .where(Contribution.author_id == user.id)
        .order_by(Contribution.id.desc())
        .options(selectinload(Contribution.article))
    ).all()
    rows = db.session.execute(
        sa.select(Consultation, Article, ArticleVote.value, ArticleVote.updated_at)
        .join(TextVersion, TextVersion.consultation_id == Consultation.id)
        .join(Article, Article.version_id == TextVersion.id)
        .join(ArticleVote, ArticleVote.article_id == Article.id)
        .where(ArticleVote.user_id == user.id)
        .order_by(ArticleVote.updated_at.desc())
    ).all()
    return list(contributions), [ArticleVoteEntry(*row) for row in rows]
