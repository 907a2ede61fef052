"""CLI: `flask institutions create`, `flask users create`, `flask users token`."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from consultation.accounts import services
from consultation.accounts.models import Role
from consultation.core.clock import format_paris
from consultation.core.errors import DomainError
from consultation.extensions import db

institutions_cli = AppGroup("institutions", help="Gérer les institutions.")
users_cli = AppGroup("users", help="Gérer les comptes.")


def _fail(error: DomainError) -> None:
    db.session.rollback()
    details = "; ".join(f"{k} : {v}" for k, v in error.fields.items())
    raise click.ClickException(f"{error.message} {details}".strip())


@institutions_cli.command("create")
@click.argument("slug")
@click.argument("name")
def create_institution(slug: str, name: str) -> None:
    """Create the institution SLUG named NAME."""
    try:
        institution = services.create_institution(slug, name)
    except DomainError as error:
        _fail(error)
    db.session.commit()
    click.echo(f"Institution créée : {institution.slug} ({institution.name})")


@users_cli.command("create")
@click.argument("email")
@click.option(
    "--role", type=click.Choice([r.value for r in Role]), default="participant", show_default=True
)
@click.option(
    "--institution", "institution_slug", help="Institution (organisateurs et modérateurs)."
)
@click.option("--name", "display_name", help="Nom d'affichage.")
@click.option("--password-stdin", is_flag=True, help="Lire le mot de passe sur l'entrée standard.")
@click.option("--verified", is_flag=True, help="Marquer l'adresse comme vérifiée.")
def create_user(email, role, institution_slug, display_name, password_stdin, verified) -> None:
    """Create an account for EMAIL."""
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    try:
        institution = services.get_institution(institution_slug) if institution_slug else None
        user = services.create_user(
            email,
            role=Role(role),
            institution=institution,
            display_name=display_name,
            password=password,
            verified=verified,
        )
    except DomainError as error:
        _fail(error)
    db.session.commit()
    click.echo(f"Compte créé : {user.email} ({user.role.value})")


@users_cli.command("token")
@click.argument("email")
@click.option("--name", default="CLI", show_default=True, help="Nom du jeton.")
def create_token(email: str, name: str) -> None:
    """Print a new personal access token for EMAIL (shown once, stored hashed)."""
    user = _user(email)
    _token, secret = services.create_api_token(user, name)
    db.session.commit()
    click.echo(secret)


@users_cli.command("tokens")
@click.argument("email")
def list_tokens(email: str) -> None:
    """List EMAIL's tokens in force: id, start of the token, name, creation, last use."""
    user = _user(email)
    for token in services.api_tokens(user):
        used = format_paris(token.last_used_at) if token.last_used_at else "jamais utilisé"
        click.echo(
            f"{token.id}\t{token.prefix}…\t{token.name}\tcréé le "
            f"{format_paris(token.created_at)}\t{used}"
        )


@users_cli.command("revoke-token")
@click.argument("email")
@click.argument("token_id", type=int)
def revoke_token(email: str, token_id: int) -> None:
    """Revoke EMAIL's token TOKEN_ID (see `users tokens`): it is refused from now on."""
    user = _user(email)
    try:
        services.revoke_api_token(user, token_id)
    except DomainError as error:
        _fail(error)
    db.session.commit()
    click.echo(f"Jeton {token_id} révoqué.")


def _user(email: str):
    user = services.find_user(email)
    if user is None:
        raise click.ClickException(f"Aucun compte pour {email}.")
    return user
