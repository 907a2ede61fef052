"""The base form, CSRF handling that keeps what was typed, and domain errors on fields."""

from __future__ import annotations

from flask import flash
from flask_wtf import FlaskForm

from consultation.core.errors import DomainError
from consultation.extensions import csrf

CSRF_MESSAGE = (
    "Le formulaire a expiré ou n'a pas pu être vérifié. Vos saisies sont conservées : "
    "vérifiez-les et envoyez à nouveau le formulaire."
)


class Form(FlaskForm):
    """Every form of the site. A missing or stale CSRF token is a French error on the form,
    which is shown again with everything the person typed."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.meta.csrf and self.csrf_token.errors:
            self.csrf_token.errors = [CSRF_MESSAGE]
        return valid


def checks_csrf_in_form(view):
    """Mark a view whose form checks the CSRF token itself (through `Form.validate`).

    The global check would answer a stale token with an error page and lose the text; such a
    view instead shows its form again with the error. Every other state-changing route keeps
    the global check.
    """
    return csrf.exempt(view)


def apply_errors(
    form: FlaskForm, error: DomainError, aliases: dict[str, str] | None = None
) -> None:
    """Show `error` next to the fields it names; what is left goes to a flash message."""
    aliases = aliases or {}
    unplaced = []
    for name, message in error.fields.items():
        field = getattr(form, aliases.get(name, name.replace(".", "_")), None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*list(field.errors or []), message]
        else:
            unplaced.append(message)
    if not error.fields or unplaced:
        flash(" ".join(unplaced) if unplaced else error.message, "error")
