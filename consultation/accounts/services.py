"""Accounts: registration, e-mail verification, sign-in, password reset, roles and tokens.

Services add and flush; the caller commits. They never touch the request.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import Signer
from werkzeug.security import check_password_hash, generate_password_hash

from consultation.accounts.limits import (
    API_TOKEN_NAME_MAX,
    DISPLAY_NAME_MAX,
    HATVP_NUMBER_MAX,
    INSTITUTION_SLUG_MAX,
    ORGANISATION_NAME_MAX,
    PASSWORD_MAX,
    PASSWORD_MIN,
)
from consultation.accounts.models import (
    AccountToken,
    ApiToken,
    Institution,
    OrganisationCategory,
    ProfileType,
    Role,
    TokenPurpose,
    User,
)
from consultation.accounts.signals import (
    account_erased,
    personal_data_requested,
    public_profile_changed,
)
from consultation.core import clock
from consultation.core.db import rowcount
from consultation.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from consultation.core.i18n import N_, _l, number
from consultation.core.mail import compose_mail, queue_mail
from consultation.core.security import log_event, mask_email
from consultation.core.text import squash
from consultation.core.urls import external_url
from consultation.extensions import db

logger = logging.getLogger(__name__)

API_TOKEN_PREFIX = "cst_"
# A few of the passwords most often found in leaks; length alone does not rule them out.
COMMON_PASSWORDS = frozenset(
    {
        "123456789012",
        "azertyuiopqs",
        "motdepasse123",
        "motdepasse1234",
        "password1234",
        "passwordpassword",
        "qwertyuiopas",
        "azertyazerty",
        "000000000000",
        "111111111111",
        "123123123123",
        "abcdefghijkl",
        "soleil123456",
        "bonjour12345",
    }
)
_DUMMY_HASH = generate_password_hash("timing-equaliser")


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _hash_password(password: str) -> str:
    """The password's hash with the configured method: the expensive step of every flow that
    takes a new password (scrypt in production, tens of milliseconds on purpose)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def credentials_fingerprint(user: User) -> str:
    """A digest of what the account's credentials are now: its address and password hash.

    Password-reset links are signed under it (`reset_token`), so any change of password —
    through that link, another link or the account page — kills every link sent before. The
    password hash is salted: setting the same password again changes the fingerprint too.
    """
    return hashlib.sha256(f"{user.email}\n{user.password_hash or ''}".encode()).hexdigest()


# --- Institutions ---------------------------------------------------------------------------


def create_institution(slug: str, name: str) -> Institution:
    """Create an institution. Raises Conflict if the slug exists, ValidationFailed if blank."""
    slug, name = (slug or "").strip().lower(), (name or "").strip()
    errors = {}
    if (
        not slug
        or not all(c.isalnum() or c == "-" for c in slug)
        or len(slug) > INSTITUTION_SLUG_MAX
    ):
        errors["slug"] = _("L'identifiant ne peut contenir que des lettres, chiffres et tirets.")
    if not name:
        errors["name"] = _("Le nom de l'institution est obligatoire.")
    if errors:
        raise ValidationFailed(fields=errors)
    if db.session.scalar(sa.select(Institution.id).where(Institution.slug == slug)):
        raise Conflict(
            _("L'institution « %(slug)s » existe déjà.", slug=slug),
            fields={"slug": _("Déjà utilisé.")},
        )
    institution = Institution(slug=slug, name=name)
    db.session.add(institution)
    db.session.flush()
    logger.info("institution created: %s", slug)
    return institution


def get_institution(slug: str) -> Institution:
    institution = db.session.scalar(sa.select(Institution).where(Institution.slug == slug))
    if institution is None:
        raise NotFound(_("Aucune institution « %(slug)s ».", slug=slug))
    return institution


# --- Users ----------------------------------------------------------------------------------


def password_problem(password: str, *, email: str = "", display_name: str = "") -> str | None:
    """Why `password` is refused, or None. Length and common passwords; no composition rules."""
    problem: str | None = None
    lowered = password.lower()
    if len(password) < PASSWORD_MIN:
        problem = _(
            "Le mot de passe doit contenir au moins %(n)s caractères.", n=number(PASSWORD_MIN)
        )
    elif len(password) > PASSWORD_MAX:
        problem = _("Le mot de passe ne peut dépasser %(n)s caractères.", n=number(PASSWORD_MAX))
    elif lowered in COMMON_PASSWORDS or len(set(password)) < 4:
        problem = _("Ce mot de passe est trop courant ou trop simple : choisissez-en un autre.")
    elif email and lowered == normalize_email(email):
        problem = _("Le mot de passe ne doit pas être votre adresse e-mail.")
    elif display_name and lowered == display_name.strip().lower():
        problem = _("Le mot de passe ne doit pas être votre nom d'affichage.")
    return problem


def _check_display_name(display_name: str) -> str:
    name = " ".join((display_name or "").split())
    if not name:
        raise ValidationFailed(fields={"display_name": _("Le nom d'affichage est obligatoire.")})
    if len(name) > DISPLAY_NAME_MAX:
        raise ValidationFailed(
            fields={"display_name": _("%(n)s caractères au maximum.", n=number(DISPLAY_NAME_MAX))}
        )
    return name


def find_user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalize_email(email)))


def create_user(
    email: str,
    *,
    role: Role = Role.participant,
    institution: Institution | None = None,
    display_name: str | None = None,
    password: str | None = None,
    password_hash: str | None = None,
    verified: bool = False,
    now: datetime | None = None,
) -> User:
    """Create an account directly (administration, CLI, demo), or for `register_participant`,
    which gives the `password_hash` it computed already.

    Raises Conflict if the e-mail is taken, ValidationFailed if a staff role has no institution
    or the password is refused.
    """
    email = normalize_email(email)
    if "@" not in email:
        raise ValidationFailed(fields={"email": _("Adresse e-mail invalide.")})
    if role in (Role.organiser, Role.moderator) and institution is None:
        raise ValidationFailed(
            _("Un organisateur ou un modérateur doit appartenir à une institution."),
            fields={"institution": _("Obligatoire pour ce rôle.")},
        )
    if find_user(email) is not None:
        raise Conflict(
            _("Un compte existe déjà avec cette adresse."), fields={"email": _("Déjà utilisée.")}
        )
    name = _check_display_name(display_name or email.split("@")[0])
    user = User(
        email=email,
        display_name=name,
        role=role,
        institution=institution if role is not Role.participant else None,
        email_verified_at=(now or clock.now()) if verified else None,
        password_hash=password_hash,
    )
    if password is not None:
        set_password(user, password)
    try:
        # In a savepoint: two requests creating the same address at the same moment both pass
        # the check above; the database's unique constraint refuses the second, a Conflict too.
        with db.session.begin_nested():
            db.session.add(user)
    except sa.exc.IntegrityError:
        if find_user(email) is None:
            raise
        raise Conflict(
            _("Un compte existe déjà avec cette adresse."), fields={"email": _("Déjà utilisée.")}
        ) from None
    logger.info("user created: id=%s role=%s", user.id, role.value)
    return user


LOCALES = ("fr", "en")


def set_locale(user: User, locale: str) -> None:
    """Write the user's e-mails in `locale` from now on ("fr" or "en"; anything else is
    ignored). Called when a signed-in person switches the interface's language."""
    if locale in LOCALES and user.locale != locale:
        user.locale = locale
        db.session.flush()


def set_password(user: User, password: str) -> None:
    """Set a new password and end every existing session of the user."""
    problem = password_problem(password, email=user.email, display_name=user.display_name)
    if problem:
        raise ValidationFailed(fields={"password": problem})
    user.password_hash = _hash_password(password)
    end_sessions(user)


def end_sessions(user: User) -> None:
    """Invalidate every session cookie issued to the user so far."""
    user.session_nonce = secrets.token_hex(16)


def load_session_user(session_id: str) -> User | None:
    """Flask-Login loader: 'id:nonce'; a rotated nonce means the session has ended."""
    user_id, _colon, nonce = (session_id or "").partition(":")
    if not user_id.isdigit() or not nonce:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not secrets.compare_digest(user.session_nonce, nonce):
        return None
    return user


def register_participant(
    email: str, display_name: str, password: str, *, now: datetime | None = None
) -> User | None:
    """Register a participant and send the verification e-mail.

    If the address is already registered, nothing is created and the owner of the address is
    told by e-mail instead; returns None in that case. The answer must not reveal which
    addresses have accounts, by its content or by its time, so both cases do the same work:
    hash the password (the expensive step), try to create the account (`create_user` refuses a
    taken address), write (the new account's rows; for a known address, its own row rewritten
    unchanged, so that the commit flushes to disk either way) and queue one e-mail, which
    leaves after the answer (`queue_mail`). Raises ValidationFailed for a refused password or
    name.
    """
    now = now or clock.now()
    email = normalize_email(email)
    name = _check_display_name(display_name)
    problem = password_problem(password, email=email, display_name=name)
    if problem:
        raise ValidationFailed(fields={"password": problem})
    password_hash = _hash_password(password)
    try:
        user = create_user(email, display_name=name, password_hash=password_hash, now=now)
    except Conflict:
        existing = find_user(email)
        if existing is None:  # the conflict was on the address: its account exists
            raise
        db.session.execute(
            sa.update(User)
            .where(User.id == existing.id)
            .values(email=User.email)
            .execution_options(synchronize_session=False)
        )
        queue_mail(
            compose_mail(
                existing.email,
                _l("Votre compte existe déjà"),
                "account_exists",
                user=existing,
                login_link=external_url("accounts.login"),
                reset_link=external_url("accounts.forgot_password"),
            )
        )
        logger.info("registration attempt on existing account %s", mask_email(email))
        return None
    send_verification(user, now=now)
    return user


def _issue_token(user: User, purpose: TokenPurpose, hours: int, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(
        AccountToken(
            user=user,
            purpose=purpose,
            token_hash=_hash_token(token),
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    db.session.flush()
    return token


def _find_token(token: str, purpose: TokenPurpose) -> AccountToken | None:
    return db.session.scalar(
        sa.select(AccountToken).where(
            AccountToken.token_hash == _hash_token(token or ""), AccountToken.purpose == purpose
        )
    )


def _consume_token(token: str, purpose: TokenPurpose, now: datetime) -> AccountToken:
    record = _find_token(token, purpose)
    if record is None or record.used_at is not None:
        raise ValidationFailed(_("Ce lien n'est pas valide ou a déjà été utilisé."))
    if record.expires_at <= now:
        raise ValidationFailed(_("Ce lien a expiré : demandez-en un nouveau."))
    _claim(record, now)
    return record


def _claim(record: AccountToken, now: datetime) -> None:
    """Mark a token used, in one conditional UPDATE: of two requests racing with the same
    link, only one finds it unused (the other waits for the row, then finds it used)."""
    claimed = rowcount(
        db.session.execute(
            sa.update(AccountToken)
            .where(AccountToken.id == record.id, AccountToken.used_at.is_(None))
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
    )
    if claimed != 1:
        raise ValidationFailed(_("Ce lien n'est pas valide ou a déjà été utilisé."))
    record.used_at = now


def send_verification(user: User, *, now: datetime | None = None) -> None:
    """E-mail a single-use link that verifies the address."""
    now = now or clock.now()
    hours = current_app.config["EMAIL_VERIFICATION_HOURS"]
    token = _issue_token(user, TokenPurpose.verify_email, hours, now)
    link = external_url("accounts.verify_email", token=token)
    queue_mail(
        compose_mail(
            user.email,
            _l("Confirmez votre adresse e-mail"),
            "verify_email",
            user=user,
            link=link,
            hours=hours,
        )
    )


def verify_email(token: str, *, now: datetime | None = None) -> User:
    """Mark the address verified. Raises ValidationFailed for an unknown, used or expired link."""
    now = now or clock.now()
    record = _consume_token(token, TokenPurpose.verify_email, now)
    user = record.user
    if user.email_verified_at is None:
        user.email_verified_at = now
    logger.info("email verified: user=%s", user.id)
    log_event("email_verified", user=user.id)
    return user


def authenticate(email: str, password: str, *, now: datetime | None = None) -> User:
    """Return the user whose credentials these are. Raises ValidationFailed otherwise.

    The same message whatever is wrong, and the same work done, so that the answer does not
    tell which addresses have accounts.
    """
    user = find_user(email)
    if user is None or user.password_hash is None:
        check_password_hash(_DUMMY_HASH, password or "")
        ok = False
    else:
        ok = check_password_hash(user.password_hash, password or "")
    if not ok or user is None:  # no user is never ok
        log_event(
            "login_failed",
            level=logging.WARNING,
            user=user.id if user is not None else None,
            email=mask_email(email),
        )
        raise ValidationFailed(_("Adresse e-mail ou mot de passe incorrect."))
    user.last_login_at = now or clock.now()
    log_event("login_succeeded", user=user.id)
    return user


def request_password_reset(email: str, *, now: datetime | None = None) -> None:
    """E-mail a reset link if an account has this address; silently do nothing otherwise.

    The answer must not tell which addresses have accounts, by its time either: the link is
    signed, not stored (no write either way), the e-mail leaves after the answer
    (`queue_mail`), and for an unknown address the same message is composed and dropped.
    Earlier links stay valid until one of them is used or the password changes.
    """
    now = now or clock.now()
    user = find_user(email)
    if user is None:
        token = _sign_reset(0, hashlib.sha256(email.encode()).hexdigest(), now)
    else:
        token = reset_token(user, now=now)
    message = compose_mail(
        normalize_email(email),
        _l("Réinitialisation de votre mot de passe"),
        "reset_password",
        user=user,
        link=external_url("accounts.reset_password", token=token),
        hours=current_app.config["PASSWORD_RESET_HOURS"],
    )
    if user is None:
        log_event("password_reset_requested", email=mask_email(email), known=False)
        return
    log_event("password_reset_requested", user=user.id, email=mask_email(email), known=True)
    queue_mail(message)


RESET_SALT = "consultation.password-reset"
RESET_ID, RESET_TIME = re.compile(r"[0-9]{1,9}"), re.compile(r"[0-9]{1,11}")
RESET_LINK_MALFORMED = N_(
    "Ce lien de réinitialisation n'est pas valide : vérifiez qu'il a été copié en entier, ou "
    "demandez-en un nouveau."
)
RESET_LINK_DEAD = N_(
    "Ce lien de réinitialisation ne fonctionne plus : il a déjà servi, ou le mot de passe du "
    "compte a été changé depuis son envoi (par un autre lien ou depuis « Mon compte »). "
    "Demandez-en un nouveau si besoin."
)
RESET_LINK_EXPIRED = N_("Ce lien de réinitialisation a expiré : demandez-en un nouveau.")


def _reset_signer(fingerprint: str) -> Signer:
    return Signer(
        current_app.config["SECRET_KEY"],
        salt=f"{RESET_SALT}:{fingerprint}",
        digest_method=hashlib.sha256,
    )


def _sign_reset(user_id: int, fingerprint: str, now: datetime) -> str:
    # The nonce only makes every link different; the signature is what cannot be guessed.
    value = f"{user_id}.{int(now.timestamp())}.{secrets.token_urlsafe(6)}"
    return _reset_signer(fingerprint).sign(value).decode()


def reset_token(user: User, *, now: datetime | None = None) -> str:
    """The secret of a password-reset link: 'account id.issued at.nonce.signature'.

    Nothing is stored. The signature is made under a key derived from `SECRET_KEY` and the
    account's `credentials_fingerprint`, so the link works until it expires and only while the
    password is the one it was issued under: it works once (using it changes the password),
    and using any other link, or changing the password from the account page, kills it.
    """
    return _sign_reset(user.id, credentials_fingerprint(user), now or clock.now())


def _reset_link_account(token: str, now: datetime, *, lock: bool = False) -> User:
    """The account a live reset link is for; ValidationFailed (no field) otherwise.

    With `lock` the account's row is locked before the signature is checked (PostgreSQL;
    SQLite serialises writers anyway): of two links used at the same moment, the second sees
    the password the first one set, and is refused.
    """
    user_id, _dot, rest = (token or "").partition(".")
    issued, _dot, _signature = rest.partition(".")
    user, reason, message = None, None, None
    if RESET_ID.fullmatch(user_id) and RESET_TIME.fullmatch(issued):
        user = db.session.get(User, int(user_id), with_for_update=lock, populate_existing=lock)
    if user is None or user.erased_at is not None:
        reason, message = "malformed", RESET_LINK_MALFORMED
    elif not _reset_signer(credentials_fingerprint(user)).validate(token):
        reason, message = "dead", RESET_LINK_DEAD
    else:
        age = now - datetime.fromtimestamp(int(issued), tz=UTC)
        if age > timedelta(hours=current_app.config["PASSWORD_RESET_HOURS"]):
            reason, message = "expired", RESET_LINK_EXPIRED
    if message is not None or user is None:  # no user always has its message
        log_event(
            "password_reset_link_refused",
            level=logging.WARNING,
            user=user.id if user is not None else None,
            reason=reason,
        )
        raise ValidationFailed(_(message))
    return user


def check_reset_token(token: str, *, now: datetime | None = None) -> User:
    """The account a live password-reset link is for, without using the link.

    Raises ValidationFailed (a French message, no field) for a malformed link, one that no
    longer works (used, or the password changed since) or an expired one."""
    return _reset_link_account(token, now or clock.now())


def reset_password(
    token: str, password: str, *, revoke_api_tokens: bool = False, now: datetime | None = None
) -> User:
    """Set a new password from a reset link; the address is thereby verified too.

    The new password kills this link and every other one sent before it; every session of the
    account ends; with `revoke_api_tokens`, so do its API tokens. Raises ValidationFailed
    without a field for a link that does not work (`check_reset_token`), with the field
    `password` for a refused password.
    """
    now = now or clock.now()
    user = _reset_link_account(token, now, lock=True)
    set_password(user, password)
    if user.email_verified_at is None:
        user.email_verified_at = now
    log_event("password_reset", user=user.id)
    if revoke_api_tokens:
        revoke_all_api_tokens(user, now=now)
    return user


def change_password(
    user: User,
    current: str,
    new: str,
    *,
    revoke_api_tokens: bool = False,
    now: datetime | None = None,
) -> None:
    """Change the password after checking the current one.

    Every session of the account ends (the caller signs the current one in again), every
    password-reset link sent before dies, and with `revoke_api_tokens` the API tokens are
    revoked too. Raises ValidationFailed naming `current_password` or `password`.
    """
    if not user.password_hash or not check_password_hash(user.password_hash, current or ""):
        log_event("password_change_refused", level=logging.WARNING, user=user.id)
        raise ValidationFailed(fields={"current_password": _("Mot de passe actuel incorrect.")})
    set_password(user, new)
    log_event("password_changed", user=user.id)
    if revoke_api_tokens:
        revoke_all_api_tokens(user, now=now)


# --- Public profile ---------------------------------------------------------------------------

HATVP_PATTERN = re.compile(rf"^[A-Z0-9]{{6,{HATVP_NUMBER_MAX}}}$")


def update_profile(
    user: User,
    *,
    display_name: str,
    profile_type: str,
    organisation_category: str | None = None,
    organisation_name: str = "",
    hatvp_number: str = "",
) -> User:
    """Change the public profile. An organisation needs a category and a name; an individual
    keeps neither. The HATVP number (register of interest representatives) is optional.
    Raises ValidationFailed with a message per field."""
    errors: dict[str, str] = {}
    try:
        kind = ProfileType(profile_type)
    except ValueError:
        kind, errors["profile_type"] = (
            ProfileType.individual,
            _("Choisissez « Particulier » ou « Organisation »."),
        )
    name = _check_display_name(display_name)
    category, org_name, hatvp = None, "", ""
    if kind is ProfileType.organisation:
        try:
            category = OrganisationCategory(organisation_category)
        except ValueError:
            errors["organisation_category"] = _("Choisissez la catégorie de l'organisation.")
        org_name = squash(organisation_name)[:ORGANISATION_NAME_MAX]
        if not org_name:
            errors["organisation_name"] = _("Indiquez le nom de l'organisation.")
        hatvp = (hatvp_number or "").replace(" ", "").upper()
        if hatvp and not HATVP_PATTERN.match(hatvp):
            errors["hatvp_number"] = _(
                "Numéro HATVP invalide : 6 à 20 lettres ou chiffres, par exemple H123456789."
            )
    if errors:
        raise ValidationFailed(fields=errors)
    before = _public_profile(user)
    user.display_name, user.profile_type = name, kind
    user.organisation_category, user.organisation_name, user.hatvp_number = (
        category,
        org_name,
        hatvp,
    )
    if _public_profile(user) != before:
        public_profile_changed.send(None, user_id=user.id, at=clock.now())
    logger.info("profile updated: user=%s type=%s", user.id, kind.value)
    return user


def _public_profile(user: User) -> tuple[Any, ...]:
    """What the pages and the exports show of a participant."""
    return (
        user.display_name,
        user.profile_type,
        user.organisation_category,
        user.organisation_name,
        user.hatvp_number,
    )


# --- Personal access tokens -------------------------------------------------------------------


def create_api_token(
    user: User, name: str = "API", *, now: datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token; returns the record and the secret, which is shown once and not stored."""
    name = " ".join((name or "").split())[:API_TOKEN_NAME_MAX] or "API"
    secret = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        token_hash=_hash_token(secret),
        prefix=secret[:10],
        created_at=now or clock.now(),
    )
    db.session.add(token)
    db.session.flush()
    log_event("api_token_created", user=user.id, token=token.id)
    return token, secret


def api_tokens(user: User) -> list[ApiToken]:
    """The user's tokens still in force, newest first (their secrets are not kept)."""
    return list(
        db.session.scalars(
            sa.select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke_api_token(user: User, token_id: int, *, now: datetime | None = None) -> None:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(_("Jeton introuvable."))
    token.revoked_at = token.revoked_at or now or clock.now()
    log_event("api_token_revoked", user=user.id, token=token.id)


def revoke_all_api_tokens(user: User, *, now: datetime | None = None) -> int:
    """Revoke every token of the user still in force; returns how many were."""
    revoked = rowcount(
        db.session.execute(
            sa.update(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=now or clock.now())
            .execution_options(synchronize_session=False)
        )
    )
    if revoked:
        log_event("api_tokens_revoked", user=user.id, count=revoked)
    return revoked


def user_for_api_token(secret: str, *, now: datetime | None = None) -> User | None:
    """The owner of a live token, or None."""
    if not secret or not secret.startswith(API_TOKEN_PREFIX):
        return None
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == _hash_token(secret)))
    if token is None or token.revoked_at is not None:
        return None
    now = now or clock.now()
    # Record use at most hourly, so that reading the API does not write on every request.
    if token.last_used_at is None or now - token.last_used_at > timedelta(hours=1):
        token.last_used_at = now
    return token.user


# --- Erasure ------------------------------------------------------------------------------------

ERASED_NAME = "Participant supprimé"


def erase_account(user: User, password: str, *, now: datetime | None = None) -> None:
    """Delete a participant's account at their request (GDPR erasure).

    The password confirms the request. The row stays, anonymised — e-mail, name, profile and
    password removed, sessions ended, access tokens revoked — so that nothing counted changes:
    votes stay counted, contributions stay published under "Participant supprimé". The domains
    above erase the unpublished text the person wrote (`signals.account_erased`: the text of
    their appeals). Staff accounts are removed by an administrator. Raises NotAllowed or
    ValidationFailed (password).
    """
    now = now or clock.now()
    if user.role is not Role.participant:
        raise NotAllowed(_("Le compte d'un agent est supprimé par un administrateur."))
    if not user.password_hash or not check_password_hash(user.password_hash, password or ""):
        log_event("account_erasure_refused", level=logging.WARNING, user=user.id)
        raise ValidationFailed(fields={"password": _("Mot de passe incorrect.")})
    user.email = f"compte-supprime-{user.id}@invalid"
    user.display_name = ERASED_NAME
    user.password_hash = None
    user.profile_type = ProfileType.individual
    user.organisation_category = None
    user.organisation_name = ""
    user.hatvp_number = ""
    user.erased_at = now
    public_profile_changed.send(None, user_id=user.id, at=now)
    account_erased.send(None, user_id=user.id, at=now)
    end_sessions(user)
    revoke_all_api_tokens(user, now=now)
    db.session.execute(sa.delete(AccountToken).where(AccountToken.user_id == user.id))
    log_event("account_erased", user=user.id)


# --- Personal data ------------------------------------------------------------------------------


def personal_data_sections(user: User) -> dict[str, list[dict[str, Any]]]:
    """What the domains above the accounts hold about `user`, section by section, for "Mes
    données" (`signals.personal_data_requested`: moderation gives "appeals"). Entries are dicts
    of plain values; their datetimes are left for the caller to format."""
    sections: dict[str, list[dict[str, Any]]] = {}
    for _receiver, answer in personal_data_requested.send(None, user=user):
        sections.update(answer or {})
    return sections
