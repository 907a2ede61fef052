"""The API's error format: {"error": {"code", "message", "fields"?}} with a French message."""

from __future__ import annotations

from werkzeug.exceptions import HTTPException

HTTP_CODES = {
    400: ("bad_request", "La requête est mal formée."),
    401: ("unauthorized", "Authentification requise : fournissez un jeton d'accès valide."),
    403: ("forbidden", "Vous n'avez pas le droit d'effectuer cette action."),
    404: ("not_found", "Ressource introuvable."),
    405: ("method_not_allowed", "Méthode non autorisée pour cette adresse."),
    409: ("conflict", "Cette action est en conflit avec l'état actuel."),
    413: ("payload_too_large", "La requête est trop volumineuse."),
    415: ("unsupported_media_type", "Corps JSON attendu (Content-Type: application/json)."),
    422: ("invalid", "Certaines informations sont invalides."),
    429: ("rate_limited", "Trop de requêtes : veuillez patienter avant de réessayer."),
}


def http_error_payload(error: HTTPException) -> dict:
    code, message = HTTP_CODES.get(error.code or 500, ("error", "Erreur."))
    return {"error": {"code": code, "message": message}}
