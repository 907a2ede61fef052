"""Institutions, users, roles, tokens and participation blocks."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consultation.core.auth import ROLE_LABELS as ROLE_LABELS
from consultation.core.auth import Role as Role
from consultation.core.charter import ModerationReason
from consultation.core.db import UTCDateTime, enum_column, utcnow
from consultation.core.i18n import N_, LazyString, interface_locale, lazy
from consultation.extensions import Model


class ProfileType(enum.Enum):
    individual = "individual"
    organisation = "organisation"

    @property
    def label_fr(self) -> str:
        """The French source, for certified and machine-read outputs."""
        return {
            ProfileType.individual: N_("Particulier"),
            ProfileType.organisation: N_("Organisation"),
        }[self]

    @property
    def label(self) -> LazyString:
        """In the reader's language."""
        return lazy(self.label_fr)


class OrganisationCategory(enum.Enum):
    association = "association"
    company = "company"
    union = "union"
    public_body = "public_body"
    academic = "academic"
    other = "other"

    @property
    def label(self) -> LazyString:
        """In the reader's language."""
        return lazy(ORGANISATION_CATEGORY_LABELS[self])

    @property
    def label_fr(self) -> str:
        """The French source, for certified and machine-read outputs."""
        return ORGANISATION_CATEGORY_LABELS[self]


ORGANISATION_CATEGORY_LABELS = {
    OrganisationCategory.association: N_("Association ou ONG"),
    OrganisationCategory.company: N_("Entreprise"),
    OrganisationCategory.union: N_("Syndicat ou organisation professionnelle"),
    OrganisationCategory.public_body: N_("Organisme public"),
    OrganisationCategory.academic: N_("Établissement d'enseignement ou de recherche"),
    OrganisationCategory.other: N_("Autre organisation"),
}


class Institution(Model):
    """A ministry, agency or local authority that runs consultations."""

    __tablename__ = "institutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Institution {self.slug}>"


class User(Model):
    """An account. Organisers and moderators belong to an institution (checked by the database)."""

    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint(
            "role NOT IN ('organiser', 'moderator') OR institution_id IS NOT NULL",
            name="staff_has_institution",
        ),
        sa.CheckConstraint(
            "profile_type = 'individual' OR (organisation_category IS NOT NULL AND organisation_name <> '')",
            name="organisation_is_described",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(80))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role, 20), default=Role.participant)
    institution_id: Mapped[int | None] = mapped_column(sa.ForeignKey("institutions.id"), index=True)
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Rotated at logout and password change: every existing session then stops working.
    session_nonce: Mapped[str] = mapped_column(sa.String(32), default=lambda: secrets.token_hex(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The language of the user's e-mails: the interface's at registration and at each switch.
    locale: Mapped[str] = mapped_column(sa.String(8), default=interface_locale, server_default="fr")
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when the participant deleted their account: the row stays, anonymised, so that their
    # votes stay counted and their contributions stay published as "Participant supprimé".
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Public profile: who speaks. Organisations give their category and name, and interest
    # representatives their number in the HATVP register, shown beside their contributions.
    profile_type: Mapped[ProfileType] = mapped_column(
        enum_column(ProfileType, 20), default=ProfileType.individual, server_default="individual"
    )
    organisation_category: Mapped[OrganisationCategory | None] = mapped_column(
        enum_column(OrganisationCategory, 20)
    )
    organisation_name: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    hatvp_number: Mapped[str] = mapped_column(sa.String(20), default="", server_default="")

    institution: Mapped[Institution | None] = relationship()

    # Flask-Login protocol.
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.erased_at is None

    def get_id(self) -> str:
        return f"{self.id}:{self.session_nonce}"

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.admin

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.organiser, Role.moderator, Role.admin)

    def acts_for(self, institution_id: int | None) -> bool:
        """True for an admin, or for staff of that institution."""
        if self.is_admin:
            return True
        return (
            self.role in (Role.organiser, Role.moderator)
            and institution_id is not None
            and self.institution_id == institution_id
        )

    def can_organise(self, institution_id: int | None) -> bool:
        """Prepare, publish and extend consultations of the institution."""
        return self.is_admin or (self.role is Role.organiser and self.acts_for(institution_id))

    def can_moderate(self, institution_id: int | None) -> bool:
        """Apply the moderation charter to the institution's consultations."""
        return self.is_admin or (self.role is Role.moderator and self.acts_for(institution_id))

    @property
    def is_organisation(self) -> bool:
        return self.profile_type is ProfileType.organisation

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"


class TokenPurpose(enum.Enum):
    verify_email = "verify_email"
    reset_password = "reset_password"


class AccountToken(Model):
    """A single-use, expiring token sent by e-mail. Only its SHA-256 is stored.

    Used for e-mail verification. Password-reset links are no longer stored: they are signed
    and bound to the account's credentials (`accounts.services.reset_token`); rows of the
    purpose `reset_password` left by earlier versions are never accepted.
    """

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(enum_column(TokenPurpose, 20))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class ApiToken(Model):
    """A personal access token for the API. Only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class ParticipationBlock(Model):
    """A participant barred by moderation from writing in one institution's consultations.

    The participant can still read, and is told why they cannot write. Lifting keeps the row.
    Decided by `consultation.moderation`; read by participation's rights check.
    """

    __tablename__ = "participation_blocks"
    __table_args__ = (
        sa.Index("ix_participation_blocks_user_institution", "user_id", "institution_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    institution_id: Mapped[int] = mapped_column(sa.ForeignKey("institutions.id"), index=True)
    reason: Mapped[ModerationReason] = mapped_column(enum_column(ModerationReason, 20))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lifted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    institution: Mapped[Institution] = relationship()

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None
