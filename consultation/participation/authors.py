"""Who wrote a contribution, as the pages, the exports and the record show it, and the record's
new commitments when a participant's public name or profile changes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from consultation.accounts.models import OrganisationCategory, ProfileType, User
from consultation.core import canonical, journal
from consultation.core.db import get_existing
from consultation.extensions import db
from consultation.participation.models import Contribution, OfflineChannel


def public_author(
    *,
    offline_channel: OfflineChannel | None = None,
    offline_author: str = "",
    profile_type: ProfileType | None = None,
    display_name: str = "",
    organisation_name: str = "",
    organisation_category: OrganisationCategory | None = None,
    hatvp_number: str = "",
) -> dict[str, Any]:
    """Who wrote a contribution, as the pages, the exports and the record show it: a display
    name (a pseudonym is allowed; "Participant supprimé" after erasure) and a type; an
    organisation with its name, category and HATVP number; an offline observation with the
    name it was received under. Never an e-mail address nor an account number."""
    if offline_channel is not None:
        return {"type": "offline", "name": offline_author or None}
    if profile_type is None:
        raise ValueError("the author of an online contribution has a profile type")
    organisation = profile_type is ProfileType.organisation
    return {
        "type": profile_type.value,
        "name": display_name,
        "organisation": organisation_name or None if organisation else None,
        "organisation_category": (
            organisation_category.value if organisation and organisation_category else None
        ),
        "hatvp_number": hatvp_number or None if organisation else None,
    }


def author_of_user(user: User) -> dict[str, Any]:
    """`public_author` of a participant's online contributions."""
    return public_author(
        profile_type=user.profile_type,
        display_name=user.display_name,
        organisation_name=user.organisation_name,
        organisation_category=user.organisation_category,
        hatvp_number=user.hatvp_number,
    )


def author_of(contribution: Contribution) -> dict[str, Any]:
    """`public_author` of a contribution."""
    if contribution.offline_channel is not None:
        return public_author(
            offline_channel=contribution.offline_channel,
            offline_author=contribution.offline_author,
        )
    return author_of_user(get_existing(User, contribution.author_id))


def author_changed(_sender: object = None, *, user_id: int, at: datetime) -> None:
    """A participant's public name or profile changed, or their account was erased
    (`accounts.signals.public_profile_changed`): each of their online contributions gets a new
    salt — the old one, which opened the commitment to the former name, is forgotten — and
    each consultation where they contributed gets an "author" entry with the new commitments,
    by tracking number."""
    db.session.flush()
    user = get_existing(User, user_id)
    author = author_of_user(user)
    changed: dict[int, dict[str, str]] = {}
    for contribution in db.session.scalars(
        sa.select(Contribution)
        .where(Contribution.author_id == user_id, Contribution.offline_channel.is_(None))
        .order_by(Contribution.id)
    ):
        contribution.author_salt = canonical.new_salt()
        changed.setdefault(contribution.consultation_id, {})[contribution.tracking_number] = (
            canonical.salted_digest(author, contribution.author_salt)
        )
    for consultation_id, authors in changed.items():
        journal.record(consultation_id, "author", at, authors=authors)
