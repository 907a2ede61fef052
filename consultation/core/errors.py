"""The domain error tree.

A service that refuses an action raises one of these. Each carries a stable `code` (used by
the API and by tests), an HTTP `status`, a `message` for people and, when the error is about
given fields, a `fields` mapping of field name to message: French source strings put through
Flask-Babel's `gettext` where the error is raised, so in the language of the request (French
outside one). The HTML layer turns them into field errors or flash messages, the API into the
JSON error of SPEC §7.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext

from consultation.core.i18n import N_


class DomainError(Exception):
    code = "error"
    status = 400
    default_message = N_("La demande n'a pas pu être traitée.")

    def __init__(self, message: str | None = None, *, fields: dict[str, str] | None = None):
        # Translated where the error is made, in the language of the request (French outside
        # one); a message given is translated by whoever wrote it (`_("…", n=…)`).
        self.message = message or gettext(self.default_message)
        self.fields = dict(fields or {})
        super().__init__(self.message)

    def to_dict(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.fields:
            error["fields"] = self.fields
        return {"error": error}


class BadRequest(DomainError):
    code = "bad_request"
    status = 400
    default_message = N_("La requête est mal formée.")


class InvalidJson(BadRequest):
    """A JSON body the platform refuses to read though a lenient parser would: nested deeper
    than any shape of the API (core.inputs.MAX_JSON_DEPTH), or holding NaN, Infinity or a
    number beyond any range. A body that does not parse at all is a plain BadRequest."""

    code = "invalid_json"
    default_message = N_("Le corps de la requête n'est pas un JSON valide.")


class InvalidCursor(BadRequest):
    """A pagination cursor this site did not make, or made for another list or ordering."""

    code = "invalid_cursor"
    default_message = N_("Curseur de pagination invalide : reprenez la liste depuis le début.")


class UnsupportedMediaType(BadRequest):
    """A request body sent without `Content-Type: application/json` to an action that reads
    JSON (no body at all is fine: an empty object). A 400, as SPEC §7 lists the statuses."""

    code = "unsupported_media_type"
    default_message = N_(
        "Corps JSON attendu : envoyez-le avec l'en-tête Content-Type: application/json, "
        "ou n'envoyez aucun corps."
    )


class AuthenticationRequired(DomainError):
    code = "unauthorized"
    status = 401
    default_message = N_("Authentification requise : fournissez un jeton d'accès valide.")


class NotAllowed(DomainError):
    code = "forbidden"
    status = 403
    default_message = N_("Vous n'avez pas le droit d'effectuer cette action.")


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = N_("Ressource introuvable.")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    default_message = N_("Cette action est en conflit avec l'état actuel.")


class InvalidState(Conflict):
    code = "invalid_state"
    default_message = N_("Cette action n'est pas possible dans l'état actuel de la consultation.")


class SynthesisNotPublished(InvalidState):
    code = "synthesis_not_published"
    default_message = N_(
        "L'acte ne peut être enregistré qu'une fois la synthèse de la consultation publiée."
    )


class ConsultationNotOpen(Conflict):
    code = "consultation_not_open"
    default_message = N_("La consultation n'est pas ouverte aux contributions.")


class ValidationFailed(DomainError):
    code = "invalid"
    status = 422
    default_message = N_("Certaines informations sont invalides.")


class DurationTooShort(ValidationFailed):
    code = "duration_too_short"
    default_message = N_("La durée de la consultation est inférieure au minimum légal.")


class InvalidText(ValidationFailed):
    code = "invalid_text"
    default_message = N_("Le texte soumis n'a pas pu être analysé.")


class UnacknowledgedTextWarnings(InvalidText):
    """A text whose import reported lines that look like headings without being understood,
    saved without acknowledging them. `warnings` lists them as {line, text, reason}, and goes
    into the API's error; `preview` is the parsed text, for the page that shows them."""

    code = "unacknowledged_text_warnings"
    default_message = N_("Des lignes du texte doivent être vérifiées avant l'enregistrement.")

    def __init__(
        self,
        message: str | None = None,
        *,
        fields: dict[str, str] | None = None,
        warnings: list[dict[str, Any]] | None = None,
        preview: object = None,
    ):
        super().__init__(message, fields=fields)
        self.warnings = list(warnings or [])
        self.preview = preview

    def to_dict(self) -> dict[str, Any]:
        body = super().to_dict()
        body["error"]["warnings"] = self.warnings
        return body


class NoticeIncomplete(ValidationFailed):
    code = "notice_incomplete"
    default_message = N_("La notice de la consultation est incomplète.")


class ClosingNotLater(ValidationFailed):
    code = "closing_not_later"
    default_message = N_("Une consultation publiée peut être prolongée, jamais raccourcie.")


class ExtensionTooLong(ValidationFailed):
    """An extension beyond EXTENSION_MAX_DAYS after the closing it postpones."""

    code = "extension_too_long"
    default_message = N_("La prolongation demandée dépasse la durée maximale autorisée.")


class SynthesisIncomplete(ValidationFailed):
    """Publication refused: `fields` names each missing part (body, follow_ups, …)."""

    code = "synthesis_incomplete"
    default_message = N_("La synthèse ne peut pas être publiée : des éléments manquent.")


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429
    default_message = N_("Trop de requêtes : veuillez patienter avant de réessayer.")
