"""The API's error format: {"error": {"code", "message", "fields"?}} with a French message."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from consultation.core import upload_limits
from consultation.core.i18n import N_
from consultation.core.uploads import size_label

HTTP_CODES = {
    400: ("bad_request", N_("La requête est mal formée.")),
    401: ("unauthorized", N_("Authentification requise : fournissez un jeton d'accès valide.")),
    403: ("forbidden", N_("Vous n'avez pas le droit d'effectuer cette action.")),
    404: ("not_found", N_("Ressource introuvable.")),
    405: ("method_not_allowed", N_("Méthode non autorisée pour cette adresse.")),
    409: ("conflict", N_("Cette action est en conflit avec l'état actuel.")),
    413: ("payload_too_large", N_("La requête est trop volumineuse.")),
    415: ("unsupported_media_type", N_("Corps JSON attendu (Content-Type: application/json).")),
    422: ("invalid", N_("Certaines informations sont invalides.")),
    429: ("rate_limited", N_("Trop de requêtes : veuillez patienter avant de réessayer.")),
}


def http_error_payload(error: HTTPException) -> dict:
    code, message = HTTP_CODES.get(error.code or 500, ("error", N_("Erreur.")))
    if error.code == 413 and request.max_content_length:
        return {"error": {"code": code, "message": too_large_message()}}
    return {"error": {"code": code, "message": _(message)}}


def too_large_message() -> str:
    """A 413's message with the maximum size, and the file's on a route that takes one."""
    size = size_label(request.max_content_length or 0)
    file = upload_limits.file_limit()
    if file is None:
        return _("La requête dépasse la taille maximale de %(size)s.", size=size)
    return _(
        "La requête dépasse la taille maximale de %(size)s (le fichier : %(file)s au plus).",
        size=size,
        file=size_label(file),
    )
