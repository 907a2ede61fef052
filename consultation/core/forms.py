"""Helpers binding domain errors to WTForms fields."""

from __future__ import annotations

from flask import flash
from flask_wtf import FlaskForm

from consultation.core.errors import DomainError


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
