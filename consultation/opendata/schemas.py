"""The JSON Schema (draft 2020-12) of `export.json`, served at /api/v1/schemas/export.json.

It describes the document `opendata.json_export.document` writes: what a reuser may rely on, with the
types and the values each coded field takes. Objects stay open (`additionalProperties`), so a
field added later does not break a validating reuser; a field removed or retyped does, which is
what `tests/opendata/test_exports.py` checks by validating a real export.
"""

from __future__ import annotations

from consultation.accounts.models import OrganisationCategory
from consultation.consultations.constants import Status
from consultation.core.charter import ModerationReason
from consultation.opendata.json_export import FORMAT
from consultation.participation.models import ContributionKind, OfflineChannel
from consultation.synthesis.models import AnswerStatus, FollowUpStatus

TEXT = {"type": ["string", "null"]}
WHEN = {"type": ["string", "null"], "format": "date-time"}
IDS = {"type": "array", "items": {"type": "integer"}}
NUMBERS = {"type": "array", "items": {"type": "string", "description": "Numéro de suivi"}}
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

VOTES = {
    "type": "object",
    "description": "Nombre d'avis : d'accord, mitigés, en désaccord",
    "required": ["agree", "mixed", "disagree"],
    "properties": {"agree": COUNT, "mixed": COUNT, "disagree": COUNT},
}

CONTRIBUTION = {
    "type": "object",
    "required": [
        "id",
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
        "id": {"type": "integer", "description": "Identifiant (celui de l'API)"},
        "tracking_number": {"type": "string", "description": "Numéro de suivi public"},
        "kind": {"enum": [kind.value for kind in ContributionKind]},
        "article": TEXT,
        "paragraph": {"type": ["integer", "null"]},
        "position": {"enum": ["for", "against", None]},
        "parent": TEXT,
        "offline_channel": _codes(OfflineChannel),
        "author": AUTHOR,
        "author_salt": {
            "type": ["string", "null"],
            "description": "Sel de l'engagement du registre sur l'auteur (author_sha256)",
        },
        "created_at": WHEN,
        "edited_at": WHEN,
        "state": {"enum": ["published", "withdrawn", "hidden"]},
        "hidden_reason": {
            **_codes(ModerationReason),
            "description": "Motif de la charte, quand la contribution est masquée",
        },
        "title": TEXT,
        "body": {**TEXT, "description": "Null quand la contribution est retirée ou masquée"},
        "proposed_text": TEXT,
        "url": TEXT,
        "paper": {
            "type": ["object", "null"],
            "description": "Contribution écrite jointe (PDF) : lien, nom, taille et SHA-256 ; "
            "le SHA-256 seul quand la contribution est retirée ou masquée",
            "required": ["name", "size", "sha256", "url"],
            "properties": {
                "name": TEXT,
                "size": {"type": ["integer", "null"], "minimum": 1},
                "sha256": HEX64,
                "url": TEXT,
            },
        },
        "content_sha256": HEX64,
        "votes": VOTES,
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

ARTICLE = {
    "type": "object",
    "required": ["id", "number", "paragraphs", "votes", "contributions_count"],
    "properties": {
        "id": {"type": "integer"},
        "number": {"type": "string", "description": "« 1er », « L. 123-4 »…"},
        "slug": {"type": "string"},
        "label": {"type": "string"},
        "title": {"type": "string"},
        "position": COUNT,
        "division_id": {"type": ["integer", "null"]},
        "paragraphs": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["number", "text"],
                "properties": {"number": {"type": "integer"}, "text": {"type": "string"}},
            },
        },
        "votes": VOTES,
        "contributions_count": COUNT,
    },
}

DOCUMENT = {
    "type": "object",
    "description": "Un document joint au texte, à une version : les versions publiées avec le "
    "texte ont l'empreinte inscrite à la publication, chaque erratum la sienne.",
    "required": ["number", "version", "title", "kind", "size", "sha256", "hidden"],
    "properties": {
        "id": {"type": "integer"},
        "number": {"type": "integer", "minimum": 1},
        "version": {"type": "integer", "minimum": 1},
        "title": {"type": "string"},
        "kind": {"enum": ["explanatory_memorandum", "impact_study", "opinion", "annex", "other"]},
        "kind_label": {"type": "string"},
        "articles": {"type": "array", "items": {"type": "string"}},
        "media_type": {"type": "string"},
        "size": {"type": "integer", "minimum": 1},
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "note": {"type": ["string", "null"]},
        "published_at": {"type": ["string", "null"], "format": "date-time"},
        "hidden": {"type": "boolean"},
        "hidden_reason": {"type": ["string", "null"]},
        "filename": {"type": "string"},
        "url": {"type": ["string", "null"], "format": "uri"},
    },
}

DIVISION = {
    "type": "object",
    "required": ["id", "kind", "label", "title"],
    "properties": {
        "id": {"type": "integer"},
        "parent_id": {"type": ["integer", "null"]},
        "position": {"type": "integer"},
        "depth": COUNT,
        "kind": {"type": "string"},
        "label": {"type": "string"},
        "title": {"type": "string"},
        "intro": {"type": "array", "items": {"type": "string"}},
    },
}

MODERATION = {
    "type": "object",
    "description": "Chiffres publics de la modération",
    "required": ["contributions", "reports", "hidden", "by_reason"],
    "properties": {
        "contributions": COUNT,
        "reports": COUNT,
        "hidden": COUNT,
        "restored": COUNT,
        "dismissed": COUNT,
        "duplicates": COUNT,
        "by_reason": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["reason", "label", "reports", "hidden"],
                "properties": {
                    "reason": {"enum": [reason.value for reason in ModerationReason]},
                    "label": {"type": "string"},
                    "reports": COUNT,
                    "hidden": COUNT,
                },
            },
        },
    },
}

EXPORT_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "/api/v1/schemas/export.json",
    "title": "Export d'une consultation",
    "description": "Licence Ouverte 2.0. Voir /api pour le guide et /donnees-ouvertes/registre "
    "pour la vérification du registre. Aucune donnée personnelle : les votes individuels ne "
    "figurent que dans `records`, sous un pseudonyme propre à la consultation.",
    "type": "object",
    "required": [
        "format",
        "licence",
        "schema",
        "generated_at",
        "consultation",
        "notice",
        "ledger",
        "text",
        "divisions",
        "articles",
        "moderation",
        "records",
        "contributions",
        "synthesis",
    ],
    "properties": {
        "format": {"const": FORMAT},
        "licence": {
            "type": "object",
            "required": ["name", "url"],
            "properties": {"name": {"type": "string"}, "url": {"type": "string"}},
        },
        "schema": {"type": "string", "description": "Adresse de ce schéma"},
        "generated_at": WHEN,
        "consultation": {
            "type": "object",
            "required": ["slug", "title", "status", "institution", "legal_basis", "url"],
            "properties": {
                "slug": {"type": "string"},
                "title": {"type": "string"},
                "summary": {"type": "string"},
                "status": {"enum": [status.value for status in Status]},
                "institution": {"type": "string"},
                "legal_basis": {"type": "string"},
                "legal_basis_reference": TEXT,
                "published_at": WHEN,
                "opens_at": WHEN,
                "closes_at": WHEN,
                "synthesis_published_at": WHEN,
                "text_sha256": TEXT,
                "url": {"type": "string"},
            },
        },
        "notice": {
            "type": "object",
            "description": "Les modalités publiées avec la consultation",
            "properties": {
                "synthesis_expected_on": {"type": ["string", "null"], "format": "date"},
                "observations_published": {"type": ["boolean", "null"]},
                "replaces_commission": {"type": ["boolean", "null"]},
                "answers_committed": {"type": ["integer", "null"]},
            },
        },
        "text": {
            "type": "object",
            "description": "Version du texte consulté et ce qui entoure ses articles",
            "properties": {
                "version": {"type": ["integer", "null"]},
                "title": {"type": "string"},
                "sha256": TEXT,
                "source": {
                    "type": ["string", "null"],
                    "description": "Le texte tel qu'importé ; sha256 est l'empreinte de son UTF-8",
                },
                "frozen_at": WHEN,
                "preamble": {"type": "array"},
                "closing": {"type": "array"},
            },
        },
        "divisions": {"type": "array", "items": DIVISION},
        "articles": {"type": "array", "items": ARTICLE},
        "documents": {"type": "array", "items": DOCUMENT},
        "moderation": MODERATION,
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
                            "review": {
                                "type": ["object", "null"],
                                "description": "La relecture des thèmes à la publication "
                                "(nombres de thèmes proposés par l'analyse, relus, retirés par "
                                "une personne ; contributions placées et lues par une personne ; "
                                "groupes de propositions trouvés par l'analyse, relus, fusionnés ; "
                                "extraits épinglés et écartés), "
                                "inscrite au registre avec le texte de la version",
                                "additionalProperties": {"type": "integer", "minimum": 0},
                            },
                            "themes": {
                                "type": "array",
                                "description": "Les thèmes de la version, numérotés comme sur sa "
                                "page, chacun avec toutes ses contributions (identifiants et numéros de suivi ; le "
                                "registre certifie le numéro, le nom, la taille et les numéros)",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "number": {"type": "integer", "minimum": 1},
                                        "label": {"type": "string"},
                                        "size": {"type": "integer", "minimum": 0},
                                        "contribution_ids": IDS,
                                        "contributions": NUMBERS,
                                    },
                                },
                            },
                            "proposal_groups": {
                                "type": "array",
                                "description": "Les propositions regroupées de la version, "
                                "numérotées comme sur leur page, avec les contributions qui les "
                                "font (toutes depuis la méthode 1.3, les 200 premières avant)",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "number": {"type": "integer", "minimum": 1},
                                        "count": {"type": "integer", "minimum": 0},
                                        "contribution_ids": IDS,
                                        "contributions": NUMBERS,
                                    },
                                },
                            },
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
                            "status_label": {"type": "string"},
                            "url": TEXT,
                            "article_ids": {"type": "array", "items": {"type": "integer"}},
                            "contribution_ids": {"type": "array", "items": {"type": "integer"}},
                            "history": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "required": ["kind", "at", "changes"],
                                    "properties": {
                                        "kind": {"enum": ["created", "changed"]},
                                        "at": WHEN,
                                        "changes": {
                                            "type": "object",
                                            "description": "{champ: [avant, après]}",
                                        },
                                        "note": TEXT,
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}
