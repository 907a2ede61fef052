"""The JSON Schema (draft 2020-12) of `export.json`, served at /api/v1/schemas/export.json.

It describes the document `ledger.export.document` writes: what a reuser may rely on, with the
types and the values each coded field takes. Objects stay open (`additionalProperties`), so a
field added later does not break a validating reuser; a field removed or retyped does, which is
what `tests/opendata/test_exports.py` checks by validating a real export.
"""

from __future__ import annotations

from consultation.accounts.models import OrganisationCategory
from consultation.core.charter import ModerationReason
from consultation.ledger.export import FORMAT
from consultation.participation.models import ContributionKind, OfflineChannel
from consultation.synthesis.models import AnswerStatus, FollowUpStatus

TEXT = {"type": ["string", "null"]}
WHEN = {"type": ["string", "null"], "format": "date-time"}
COUNT = {"type": "integer", "minimum": 0}
HEX64 = {"type": "string", "pattern": "^[0-9a-f]{64}$"}


def _codes(enum) -> dict:
    return {"enum": [member.value for member in enum] + [None]}


AUTHOR = {
    "type": "object",
    "required": ["type", "name"],
    "properties": {
        "type": {"enum": ["individual", "organisation", "offline"]},
        "name": {**TEXT, "description": "Nom affiché (pseudonyme admis)"},
        "organisation": TEXT,
        "organisation_category": _codes(OrganisationCategory),
        "hatvp_number": TEXT,
    },
}

CONTRIBUTION = {
    "type": "object",
    "required": [
        "tracking_number",
        "kind",
        "state",
        "author",
        "created_at",
        "content_sha256",
        "votes",
        "answer",
    ],
    "properties": {
        "tracking_number": {"type": "string", "description": "Numéro de suivi public"},
        "kind": {"enum": [kind.value for kind in ContributionKind]},
        "article": TEXT,
        "paragraph": {"type": ["integer", "null"]},
        "position": {"enum": ["for", "against", None]},
        "parent": TEXT,
        "offline_channel": _codes(OfflineChannel),
        "author": AUTHOR,
        "created_at": WHEN,
        "edited_at": WHEN,
        "state": {"enum": ["published", "withdrawn", "hidden"]},
        "hidden_reason": _codes(ModerationReason),
        "title": TEXT,
        "body": {**TEXT, "description": "Null quand la contribution est retirée ou masquée"},
        "proposed_text": TEXT,
        "url": TEXT,
        "content_sha256": HEX64,
        "votes": {
            "type": "object",
            "required": ["agree", "mixed", "disagree"],
            "properties": {"agree": COUNT, "mixed": COUNT, "disagree": COUNT},
        },
        "answer": {
            "type": ["object", "null"],
            "required": ["status", "body", "answered_at"],
            "properties": {
                "status": {"enum": [status.value for status in AnswerStatus]},
                "label": {"type": "string"},
                "body": TEXT,
                "answered_at": WHEN,
            },
        },
    },
}

EXPORT_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "/api/v1/schemas/export.json",
    "title": "Export d'une consultation",
    "description": "Licence Ouverte 2.0. Voir /api pour le guide et /donnees-ouvertes/registre "
    "pour la vérification du registre.",
    "type": "object",
    "required": [
        "format",
        "licence",
        "generated_at",
        "consultation",
        "ledger",
        "records",
        "contributions",
    ],
    "properties": {
        "format": {"const": FORMAT},
        "licence": {"type": "string"},
        "generated_at": WHEN,
        "consultation": {
            "type": "object",
            "required": ["slug", "title", "institution", "legal_basis", "url"],
            "properties": {
                "slug": {"type": "string"},
                "title": {"type": "string"},
                "institution": {"type": "string"},
                "legal_basis": {"type": "string"},
                "opens_at": WHEN,
                "closes_at": WHEN,
                "text_sha256": TEXT,
                "url": {"type": "string"},
            },
        },
        "ledger": {
            "type": "object",
            "required": ["tree_size", "root_hash", "checkpoint", "signature", "public_key"],
            "properties": {
                "tree_size": COUNT,
                "root_hash": HEX64,
                "checkpoint": {"type": "string", "description": "Note signée (format C2SP)"},
                "signature": {"type": "string"},
                "public_key": {"type": "string"},
                "signed_at": WHEN,
            },
        },
        "records": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["index", "leaf", "leaf_hash"],
                "properties": {
                    "index": COUNT,
                    "leaf": {"type": "string", "description": "JSON canonique (RFC 8785)"},
                    "leaf_hash": HEX64,
                },
            },
        },
        "contributions": {"type": "array", "items": CONTRIBUTION},
        "synthesis": {
            "type": "object",
            "description": "Vide tant qu'aucune version n'est publiée",
            "required": ["versions", "follow_ups"],
            "properties": {
                "versions": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["number", "published_at", "body"],
                        "properties": {
                            "number": {"type": "integer", "minimum": 1},
                            "published_at": WHEN,
                            "change_note": TEXT,
                            "body": {"type": "string", "description": "Texte (Markdown)"},
                            "observations_considered": TEXT,
                            "reasons_url": TEXT,
                            "published_days_after_closing": {"type": ["integer", "null"]},
                        },
                    },
                },
                "follow_ups": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["title", "status", "history"],
                        "properties": {
                            "title": {"type": "string"},
                            "description": TEXT,
                            "due_date": {"type": ["string", "null"], "format": "date"},
                            "status": {"enum": [status.value for status in FollowUpStatus]},
                            "url": TEXT,
                            "history": {"type": "array"},
                        },
                    },
                },
            },
        },
    },
}
