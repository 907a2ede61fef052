"""The base form, CSRF handling that keeps what was typed, the public forms' guard against
automated submissions, and domain errors on fields."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from flask import current_app, flash, request
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from itsdangerous import BadSignature, Signer
from wtforms import HiddenField, StringField
from wtforms.validators import ValidationError

from consultation.core.errors import DomainError
from consultation.core.i18n import N_, LazyString, _l, number
from consultation.core.inputs import SURROGATE_MESSAGE, has_lone_surrogate, without_lone_surrogates
from consultation.core.security import log_event
from consultation.extensions import csrf

View = TypeVar("View", bound=Callable[..., Any])

# French sources (N_), put through gettext where they are shown.
CSRF_MESSAGE = N_(
    "Le formulaire a expiré ou n'a pas pu être vérifié. Vos saisies sont conservées : "
    "vérifiez-les et envoyez à nouveau le formulaire."
)


class Form(FlaskForm):
    """Every form of the site. A missing or stale CSRF token is a French error on the form,
    which is shown again with everything the person typed. A lone surrogate (U+D800–U+DFFF,
    which no database stores and no page shows) is an error next to its field, the text given
    back with U+FFFD in its place (see `core.inputs`)."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            """A form reads what a browser sends (form fields and files), never a JSON body,
            which Flask-WTF would otherwise take as fields of any type: a JSON post to a page
            is an empty form."""
            if formdata is _Auto and not has_request_fields():
                return None
            return super().wrap_formdata(form, formdata)

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        valid: bool = super().validate(extra_validators)
        valid = self._refuse_lone_surrogates() and valid
        for field in self:  # lazy messages (`_l`) read now, in the language of the request
            if any(isinstance(error, LazyString) for error in field.errors or []):
                field.errors = [str(error) for error in field.errors]
        if self.meta.csrf and self.csrf_token.errors:
            log_event("csrf_failed", level=logging.WARNING, reason=self.csrf_token.errors[0])
            self.csrf_token.errors = [_(CSRF_MESSAGE)]
        return valid

    def _refuse_lone_surrogates(self) -> bool:
        clean = True
        for field in self:
            raw = field.raw_data or []
            if not any(isinstance(v, str) and has_lone_surrogate(v) for v in raw):
                continue
            clean = False
            field.errors = [*list(field.errors or []), _(SURROGATE_MESSAGE)]
            field.raw_data = [without_lone_surrogates(v) if isinstance(v, str) else v for v in raw]
            if isinstance(field.data, str):
                field.data = without_lone_surrogates(field.data)
        return clean


HONEYPOT_MESSAGE = N_(
    "Votre envoi a été pris pour celui d'un robot : un champ invisible, qui doit rester vide, "
    "était rempli (peut-être par le remplissage automatique de votre navigateur). Vos saisies "
    "sont conservées : vérifiez-les et envoyez à nouveau le formulaire."
)
TOO_FAST_MESSAGE = N_(
    "Le formulaire a été envoyé trop vite après son affichage pour avoir été rempli par une "
    "personne. Vos saisies sont conservées : relisez-les et envoyez à nouveau le formulaire."
)
UNSIGNED_MESSAGE = N_(
    "Le formulaire n'a pas pu être vérifié. Vos saisies sont conservées : envoyez à nouveau "
    "le formulaire."
)


def has_request_fields() -> bool:
    """Whether the request carries form fields or files (a browser's submission)."""
    return bool(request.form or request.files)


class HoneypotField(StringField):
    """A text field people never see (rendered by `hidden_fields` in _macros/forms.html)."""


class FormStartedField(HiddenField):
    """When the form was shown, signed with the SECRET_KEY (rendered by `hidden_tag`)."""


def _signer() -> Signer:
    return Signer(current_app.config["SECRET_KEY"], salt="consultation.form-started")


def form_started_token(at: float | None = None) -> str:
    """A signed mark of the instant (`at`, seconds since the epoch; now by default)."""
    return _signer().sign(f"{(time.time() if at is None else at):.3f}").decode()


def _started_at(token: str | None) -> float | None:
    try:
        return float(_signer().unsign(token or "").decode())
    except (BadSignature, ValueError):
        return None


class PublicForm(Form):
    """A form the public fills in (registration, contributions, comments, reports).

    Two checks keep simple bots out without a CAPTCHA: a honeypot, a text field hidden from
    people that must stay empty, and a minimum fill time (`FORM_MIN_FILL_SECONDS`), measured
    from a signed timestamp put in the form when it is shown. A refused submission shows the
    form again with a French message and everything that was typed; the API, authenticated
    by token, is not concerned.
    """

    website = HoneypotField(_l("Ne pas remplir ce champ"))
    form_started = FormStartedField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._submitted_start = self.form_started.data
        if not self.form_started.data:
            self.form_started.data = form_started_token()

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        valid: bool = super().validate(extra_validators)
        problem = self._automation_problem()
        if problem is None:
            return valid
        event, message = problem
        log_event(
            "public_form_refused", level=logging.WARNING, form=type(self).__name__, check=event
        )
        # Show the form again, ready to be sent by a person: an empty honeypot, a new start.
        self.website.data = ""
        self.form_started.data = form_started_token()
        self.form_started.errors = [*list(self.form_started.errors or []), message]
        return False

    def _automation_problem(self) -> tuple[str, str] | None:
        if (self.website.data or "").strip():
            return "honeypot", _(HONEYPOT_MESSAGE)
        minimum = float(current_app.config.get("FORM_MIN_FILL_SECONDS") or 0)
        if minimum <= 0:
            return None
        started = _started_at(self._submitted_start)
        if started is None:
            return "unsigned", _(UNSIGNED_MESSAGE)
        if time.time() - started < minimum:
            return "too_fast", _(TOO_FAST_MESSAGE)
        return None


def checks_csrf_in_form(view: View) -> View:
    """Mark a view whose form checks the CSRF token itself (through `Form.validate`).

    The global check would answer a stale token with an error page and lose the text; such a
    view instead shows its form again with the error. Every other state-changing route keeps
    the global check.
    """
    exempted: View = csrf.exempt(view)
    return exempted


def apply_errors(
    form: FlaskForm,
    error: DomainError,
    aliases: dict[str, str] | None = None,
    *,
    flash_rest: bool = True,
) -> str | None:
    """Show `error` next to the fields it names; what is left goes to a flash message, or,
    with `flash_rest=False` (a fragment answered in place, where a flash would only show on
    the next page), is returned for the fragment to show."""
    aliases = aliases or {}
    unplaced = []
    for name, message in error.fields.items():
        field = getattr(form, aliases.get(name, name.replace(".", "_")), None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*list(field.errors or []), message]
        else:
            unplaced.append(message)
    if not error.fields or unplaced:
        rest = " ".join(unplaced) if unplaced else error.message
        if not flash_rest:
            return rest
        flash(rest, "error")
    return None


def text_length(text: str) -> int:
    """The length of a typed text as the person sees it: characters (code points), a line
    break counting one whatever the browser sent (CR LF)."""
    return len(text.replace("\r\n", "\n"))


class MaxChars:
    """A maximum length that never cuts what was typed: unlike WTForms' `Length`, it puts no
    `maxlength` attribute on the field (a browser silently drops what is pasted beyond it), and
    its French message says how long the text is, so the person shortens it in the box."""

    def __init__(self, maximum: int):
        self.maximum = maximum

    def __call__(self, form: Any, field: Any) -> None:
        length = text_length(field.data or "")
        if length > self.maximum:
            raise ValidationError(
                _(
                    "Ce texte fait %(length)s caractères, pour %(maximum)s au maximum : "
                    "raccourcissez-le de %(excess)s caractères. Il est conservé en entier.",
                    length=number(length),
                    maximum=number(self.maximum),
                    excess=number(length - self.maximum),
                )
            )
