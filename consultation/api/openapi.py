"""The OpenAPI 3.1 document of the API, served at /api/v1/openapi.json.

Every operation is one line of `OPERATIONS`: method, path, summary, whether it needs a token,
its query parameters, its request body's shape and its success answer's shape, both models of
`schemas.py`, from which the document's components are generated. `document()` turns the
table into OpenAPI, adding what every operation shares — the error envelope of SPEC §7 for each
status it may answer, the bearer security scheme on those that need a token, the path
parameters read from the path. `tests/api/test_openapi.py` checks that the table and the
application's routes are the same set, in both directions.

No schema is written here: only the query and path parameters' types. The shapes leave
objects open (no `additionalProperties: false`) so that adding a field is not a breaking change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import jsonify
from pydantic import BaseModel

from consultation.api import bp, schemas
from consultation.consultations.constants import Status
from consultation.core.charter import ModerationReason
from consultation.participation.models import ContributionKind, Position
from consultation.search.services import MAX_QUERY_LENGTH

VERSION = "1.0.0"
LICENCE = {
    "name": "Licence Ouverte 2.0 (données)",
    "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}


# Query and path parameters' schemas (request and response shapes are in schemas.py).
STRING = {"type": "string"}
INTEGER = {"type": "integer"}


def _enum(values, *, nullable: bool = False) -> dict:
    names = [item.value for item in values]
    if nullable:
        return {"type": ["string", "null"], "enum": [*names, None]}
    return {"type": "string", "enum": names}


STATUS = _enum(Status)
KIND = _enum(ContributionKind)
REASON = _enum(ModerationReason)


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


@dataclass(frozen=True)
class Query:
    name: str
    description: str
    schema: dict = field(default_factory=lambda: STRING)
    required: bool = False


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    answer: type[BaseModel]  # its success answer's shape (schemas.py)
    token: bool = False
    query: tuple[Query, ...] = ()
    body: type[BaseModel] | None = None  # its request body's shape (schemas.py)
    status: int = 200
    media: str = "application/json"
    conditional: bool = False  # answers 304 to If-None-Match / If-Modified-Since
    optional_token: bool = False  # open to all; a token shows more (an institution's drafts)
    errors: tuple[int, ...] = ()  # statuses beyond those of its kind (READ_ERRORS, WRITE_ERRORS)
    multipart: type[BaseModel] | None = None  # a body sent as multipart/form-data (a file)


CURSOR = Query(
    "cursor",
    "Curseur de la page suivante (`next_cursor` de la page précédente) ; "
    "un curseur altéré est refusé (400 `invalid_cursor`).",
)


def _limit(default: int) -> Query:
    return Query(
        "limit",
        f"Nombre d'éléments par page, de 1 à 200 ({default} par défaut).",
        {"type": "integer", "minimum": 1, "maximum": 200, "default": default},
    )


LIMIT = _limit(50)

OPERATIONS = (
    # --- Consultations
    Operation(
        "get",
        "/consultations",
        "Les consultations publiées, filtrées par statut (`draft` : celles de son institution, "
        "avec un jeton d'organisateur)",
        optional_token=True,
        errors=(403,),
        query=(
            Query("status", "Statut.", STATUS),
            CURSOR,
            LIMIT,
        ),
        answer=schemas.ConsultationList,
    ),
    Operation(
        "post",
        "/consultations",
        "Créer une consultation (brouillon)",
        token=True,
        body=schemas.ConsultationInput,
        status=201,
        answer=schemas.Consultation,
    ),
    Operation(
        "get",
        "/consultations/{slug}",
        "Une consultation, son texte et ses avis",
        answer=schemas.Consultation,
    ),
    Operation(
        "patch",
        "/consultations/{slug}",
        "Modifier un brouillon ou prolonger ; ou remplacer le texte d'un brouillon par un "
        "fichier (multipart)",
        token=True,
        body=schemas.ConsultationInput,
        multipart=schemas.ConsultationUpload,
        answer=schemas.Consultation,
    ),
    Operation(
        "post",
        "/consultations/{slug}/publish",
        "Publier la consultation",
        token=True,
        answer=schemas.Consultation,
    ),
    # --- Participation
    Operation(
        "post",
        "/articles/{article_id}/vote",
        "Donner son avis sur un article",
        token=True,
        body=schemas.VoteInput,
        answer=schemas.ArticleVote,
    ),
    Operation(
        "delete",
        "/articles/{article_id}/vote",
        "Retirer son avis sur un article",
        token=True,
        answer=schemas.ArticleVote,
    ),
    Operation(
        "get",
        "/consultations/{slug}/contributions",
        "Les contributions, filtrées et triées, par pages",
        query=(
            Query("kind", "Type.", KIND),
            Query("article", "Identifiant d'article.", INTEGER),
            Query(
                "paragraph",
                "Numéro d'alinéa dans l'article (avec `article`).",
                {"type": "integer", "minimum": 1},
            ),
            Query("position", "Pour ou contre.", _enum(Position)),
            Query(
                "author_type",
                "Type d'auteur.",
                {"type": "string", "enum": ["individual", "organisation", "offline"]},
            ),
            Query(
                "sort",
                "Ordre.",
                {"type": "string", "enum": ["random", "recent", "popular", "controversial"]},
            ),
            Query("seed", "Point d'entrée de l'ordre aléatoire.", INTEGER),
            CURSOR,
            _limit(20),
        ),
        answer=schemas.ContributionList,
    ),
    Operation(
        "post",
        "/consultations/{slug}/contributions",
        "Contribuer (JSON, ou multipart avec une contribution écrite jointe en PDF)",
        token=True,
        body=schemas.ContributionInput,
        multipart=schemas.ContributionUpload,
        status=201,
        answer=schemas.SubmittedContribution,
    ),
    Operation(
        "get",
        "/contributions/{contribution_id}",
        "Une contribution",
        answer=schemas.AnsweredContribution,
    ),
    Operation(
        "patch",
        "/contributions/{contribution_id}",
        "Modifier sa contribution (JSON, ou multipart pour joindre ou remplacer sa contribution "
        "écrite en PDF)",
        token=True,
        body=schemas.ContributionChanges,
        multipart=schemas.ContributionChangesUpload,
        answer=schemas.Contribution,
    ),
    Operation(
        "delete",
        "/contributions/{contribution_id}",
        "Retirer sa contribution",
        token=True,
        answer=schemas.Contribution,
    ),
    Operation(
        "post",
        "/contributions/{contribution_id}/vote",
        "Donner son avis sur une contribution",
        token=True,
        body=schemas.VoteInput,
        answer=schemas.VotedContribution,
    ),
    Operation(
        "delete",
        "/contributions/{contribution_id}/vote",
        "Retirer son avis sur une contribution",
        token=True,
        answer=schemas.VotedContribution,
    ),
    # --- Moderation
    Operation(
        "post",
        "/contributions/{contribution_id}/report",
        "Signaler une contribution",
        token=True,
        body=schemas.ReportInput,
        status=201,
        answer=schemas.Report,
    ),
    Operation(
        "post",
        "/contributions/{contribution_id}/appeal",
        "Contester le masquage de sa contribution",
        token=True,
        body=schemas.AppealInput,
        status=201,
        answer=schemas.Appeal,
    ),
    Operation(
        "post",
        "/contributions/{contribution_id}/moderation",
        "Décision de modération sur une contribution",
        token=True,
        body=schemas.ModerationInput,
        answer=schemas.Moderated,
    ),
    Operation(
        "post",
        "/moderation/bulk",
        "Décision de modération sur une sélection",
        token=True,
        body=schemas.BulkModerationInput,
        answer=schemas.BulkResult,
    ),
    Operation(
        "get",
        "/moderation/queue",
        "La file de modération de son institution, chaque contribution avec sa contribution "
        "écrite jointe (`paper`, même masquée ou retirée)",
        token=True,
        query=(
            Query("consultation", "Identifiant de consultation.", INTEGER),
            Query("institution", "Identifiant d'institution (administrateurs).", INTEGER),
            Query("reason", "Motif de la charte.", REASON),
            Query("kind", "Type de contribution.", KIND),
            Query(
                "state",
                "État.",
                {"type": "string", "enum": ["appealed", "reported", "unreported", "hidden", "all"]},
            ),
            Query("q", "Texte recherché."),
            CURSOR,
            LIMIT,
        ),
        answer=schemas.ModerationQueue,
    ),
    Operation(
        "get",
        "/moderation/contributions/{contribution_id}/paper",
        "La contribution écrite jointe (PDF) d'une contribution que l'on modère, quel que soit "
        "son état (masquée ou retirée comprise) ; jamais gardée en cache (Cache-Control: "
        "private, no-store) ; 404 sans contribution écrite",
        token=True,
        media="application/pdf",
        answer=schemas.PdfFile,
    ),
    Operation(
        "get",
        "/consultations/{slug}/moderation",
        "Les chiffres publics de la modération",
        answer=schemas.ModerationFigures,
    ),
    # --- Synthesis
    Operation(
        "post",
        "/contributions/{contribution_id}/answer",
        "Répondre à une contribution",
        token=True,
        body=schemas.AnswerInput,
        answer=schemas.AnswerResult,
    ),
    Operation(
        "post",
        "/consultations/{slug}/synthesis/draft",
        "Rédiger le brouillon de la synthèse (tâche de fond)",
        token=True,
        status=202,
        answer=schemas.DraftStarted,
    ),
    Operation(
        "get",
        "/consultations/{slug}/synthesis",
        "La synthèse : brouillon et avancement (équipe), versions publiées (tous)",
        answer=schemas.SynthesisDocument,
    ),
    Operation(
        "put",
        "/consultations/{slug}/synthesis",
        "Enregistrer la synthèse et ses suites",
        token=True,
        body=schemas.SynthesisInput,
        answer=schemas.WorkingSynthesis,
    ),
    Operation(
        "put",
        "/consultations/{slug}/synthesis/sections/{key}",
        "Enregistrer une partie du texte de la synthèse (409 si elle a changé depuis sa lecture)",
        token=True,
        body=schemas.SectionInput,
        answer=schemas.SavedSection,
    ),
    Operation(
        "post",
        "/consultations/{slug}/synthesis/publish",
        "Publier une version",
        token=True,
        body=schemas.PublicationInput,
        status=201,
        answer=schemas.SynthesisVersion,
    ),
    Operation(
        "patch",
        "/follow-ups/{follow_up_id}",
        "Modifier une suite envisagée",
        token=True,
        body=schemas.FollowUpChanges,
        answer=schemas.FollowUp,
    ),
    Operation(
        "get",
        "/consultations/{slug}/synthesis/themes",
        "Les thèmes en relecture : provenance, contributions placées, lues (équipe)",
        token=True,
        answer=schemas.ReviewThemes,
    ),
    Operation(
        "post",
        "/consultations/{slug}/synthesis/themes",
        "Créer un thème",
        token=True,
        body=schemas.ThemeNameInput,
        status=201,
        answer=schemas.ReviewTheme,
    ),
    Operation(
        "post",
        "/synthesis/themes/{theme_id}/rename",
        "Renommer un thème",
        token=True,
        body=schemas.ThemeNameInput,
        answer=schemas.ReviewTheme,
    ),
    Operation(
        "post",
        "/synthesis/themes/{theme_id}/merge",
        "Fusionner un thème dans un autre",
        token=True,
        body=schemas.ThemeMergeInput,
        answer=schemas.ReviewTheme,
    ),
    Operation(
        "post",
        "/synthesis/themes/{theme_id}/delete",
        "Supprimer un thème (ses contributions deviennent sans thème)",
        token=True,
        answer=schemas.ReviewTheme,
    ),
    Operation(
        "post",
        "/consultations/{slug}/synthesis/contributions/{contribution_id}/theme",
        "Placer une contribution dans un thème, ou dans aucun",
        token=True,
        body=schemas.ThemeMoveInput,
        answer=schemas.ThemeAssignment,
    ),
    Operation(
        "post",
        "/consultations/{slug}/synthesis/contributions/{contribution_id}/read",
        "Marquer une contribution comme lue ou non lue",
        token=True,
        body=schemas.ReadingInput,
        answer=schemas.ContributionReading,
    ),
    Operation(
        "post",
        "/synthesis/themes/{theme_id}/split",
        "Scinder un thème : les contributions envoyées forment un nouveau thème",
        token=True,
        body=schemas.ThemeSplitInput,
        status=201,
        answer=schemas.ReviewTheme,
    ),
    Operation(
        "get",
        "/synthesis/themes/{theme_id}/excerpts",
        "Les extraits cités pour un thème : ceux de l'analyse, épinglés, écartés (équipe)",
        token=True,
        answer=schemas.ThemeExcerpts,
    ),
    Operation(
        "post",
        "/synthesis/themes/{theme_id}/excerpts",
        "Épingler ou écarter l'extrait d'une contribution pour un thème, ou annuler",
        token=True,
        body=schemas.ExcerptInput,
        answer=schemas.ThemeExcerpts,
    ),
    Operation(
        "get",
        "/consultations/{slug}/synthesis/proposals",
        "Les groupes de propositions en relecture : provenance, membres (équipe)",
        token=True,
        answer=schemas.ProposalGroups,
    ),
    Operation(
        "post",
        "/consultations/{slug}/synthesis/proposals/merge",
        "Fusionner des groupes de propositions",
        token=True,
        body=schemas.ProposalMergeInput,
        answer=schemas.ProposalGroup,
    ),
    Operation(
        "post",
        "/synthesis/proposals/{group_id}/rename",
        "Renommer un groupe de propositions",
        token=True,
        body=schemas.ProposalLabelInput,
        answer=schemas.ProposalGroup,
    ),
    Operation(
        "post",
        "/consultations/{slug}/act",
        "Enregistrer l'acte signé ou publié, et son texte adopté (JSON ou fichier en multipart)",
        token=True,
        body=schemas.ActInput,
        multipart=schemas.ActUpload,
        answer=schemas.AdoptedText,
    ),
    Operation(
        "get",
        "/consultations/{slug}/documents",
        "Les documents joints au texte, chaque version (ceux d'un brouillon : pour son équipe)",
        optional_token=True,
        answer=schemas.ConsultationDocuments,
    ),
    Operation(
        "post",
        "/consultations/{slug}/documents",
        "Joindre un document au texte d'un brouillon",
        token=True,
        multipart=schemas.DocumentUpload,
        status=201,
        answer=schemas.ConsultationDocument,
    ),
    Operation(
        "post",
        "/consultations/{slug}/documents/{document_id}/erratum",
        "Publier la version corrigée d'un document publié (erratum)",
        token=True,
        multipart=schemas.ErratumUpload,
        status=201,
        answer=schemas.ConsultationDocument,
    ),
    Operation(
        "post",
        "/consultations/{slug}/documents/{document_id}/hide",
        "Masquer une version d'un document publié (motif public ; l'empreinte reste publiée)",
        token=True,
        body=schemas.DocumentHideInput,
        answer=schemas.ConsultationDocument,
    ),
    Operation(
        "delete",
        "/consultations/{slug}/documents/{document_id}",
        "Retirer un document d'un brouillon (les documents restants)",
        token=True,
        answer=schemas.ConsultationDocuments,
    ),
    Operation(
        "get",
        "/consultations/{slug}/adopted-text",
        "L'acte adopté et son texte comparé au texte consulté",
        answer=schemas.AdoptedText,
    ),
    # --- Record and open data (described by schemas.py, served as the record and the exports
    # write them)
    Operation(
        "get",
        "/ledger/public-key",
        "La clé publique de la plateforme",
        answer=schemas.LedgerKey,
    ),
    Operation(
        "get",
        "/consultations/{slug}/ledger",
        "La tête signée du registre",
        answer=schemas.LedgerHead,
    ),
    Operation(
        "get",
        "/consultations/{slug}/ledger/checkpoints",
        "Les points de contrôle signés",
        query=(
            CURSOR,
            _limit(100),
            Query("before", "Forme ancienne du curseur : identifiant d'un point.", INTEGER),
        ),
        answer=schemas.CheckpointList,
    ),
    Operation(
        "get",
        "/consultations/{slug}/ledger/entries",
        "Des entrées du registre",
        query=(
            Query("start", "Premier indice (0 par défaut).", INTEGER),
            Query("end", "Indice de fin (exclu) ; 100 entrées après `start` par défaut.", INTEGER),
            CURSOR,
        ),
        answer=schemas.LedgerEntries,
    ),
    Operation(
        "get",
        "/consultations/{slug}/ledger/proof/inclusion",
        "Preuve d'inclusion",
        query=(
            Query("index", "Indice de l'entrée.", INTEGER, required=True),
            Query("tree_size", "Taille de l'arbre.", INTEGER),
        ),
        answer=schemas.InclusionProof,
    ),
    Operation(
        "get",
        "/consultations/{slug}/ledger/proof/consistency",
        "Preuve de cohérence",
        query=(
            Query("first", "Première taille.", INTEGER, required=True),
            Query("second", "Seconde taille.", INTEGER),
        ),
        answer=schemas.ConsistencyProof,
    ),
    Operation(
        "get",
        "/consultations/{slug}/export.json",
        "Export complet (JSON, diffusé en flux)",
        conditional=True,
        answer=schemas.ExportDocument,
    ),
    Operation(
        "get",
        "/consultations/{slug}/export.csv",
        "Les contributions (CSV, diffusé en flux ; un texte qu'un tableur prendrait pour "
        "une formule reçoit une apostrophe en tête)",
        media="text/csv",
        answer=schemas.CsvFile,
        conditional=True,
    ),
    Operation(
        "get",
        "/consultations/{slug}/export-fr.csv",
        "Les contributions pour un tableur en français : mêmes lignes que export.csv, "
        "séparateur « ; », UTF-8 avec BOM (CSV, diffusé en flux)",
        media="text/csv",
        answer=schemas.CsvFile,
        conditional=True,
    ),
    Operation(
        "get",
        "/consultations/{slug}/export.zip",
        "Un CSV par entité, datapackage.json, README et licence (ZIP, en flux)",
        media="application/zip",
        answer=schemas.ZipFile,
        conditional=True,
    ),
    Operation(
        "get",
        "/schemas/datapackage.json",
        "Description des CSV de export.zip (Data Package, Table Schema)",
        answer=schemas.DataPackage,
    ),
    Operation(
        "get",
        "/schemas/export.json",
        "Schéma JSON (2020-12) de export.json",
        media="application/schema+json",
        answer=schemas.JsonSchemaDocument,
    ),
    # --- Search
    Operation(
        "get",
        "/search",
        "Rechercher dans les consultations publiées et les contributions publiques (tous les "
        "mots dans le titre d'abord, puis les plus récents)",
        query=(
            Query(
                "q",
                f"Mots recherchés ({MAX_QUERY_LENGTH} caractères au plus) ; accents et "
                "terminaisons ignorés, chaque mot doit être trouvé.",
                {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_LENGTH},
                required=True,
            ),
            Query("consultation", "Identifiant (slug) d'une consultation publiée."),
            Query(
                "status",
                "Statut de la consultation.",
                {"type": "string", "enum": [s.value for s in Status if s is not Status.draft]},
            ),
            Query(
                "kind",
                "Type : consultation ou type de contribution.",
                {"type": "string", "enum": ["consultation", *KIND["enum"]]},
            ),
            CURSOR,
            _limit(20),
        ),
        answer=schemas.SearchPage,
    ),
    Operation("get", "/openapi.json", "Ce document (OpenAPI 3.1)", answer=schemas.OpenApiDocument),
)

# What each kind of operation may answer besides its success, with the SPEC §7 error envelope.
READ_ERRORS = {
    400: "Paramètre mal formé (`bad_request`) ou curseur altéré (`invalid_cursor`)",
    401: "Jeton fourni mais invalide ou révoqué (la lecture n'en demande aucun)",
    404: "Introuvable",
    422: "Filtre invalide (le paramètre en cause dans `fields`)",
    429: "Trop de requêtes depuis cette adresse (en-tête Retry-After)",
}
WRITE_ERRORS = {
    400: "Requête mal formée",
    401: "Jeton absent ou invalide",
    403: "Action non autorisée",
    404: "Introuvable",
    409: "Conflit avec l'état actuel",
    422: "Données invalides (détail par champ dans `fields`)",
    429: "Trop de requêtes",
}
EXTRA_ERRORS = {403: "Action non autorisée", 503: "Service momentanément indisponible"}
_PATH_PARAMETER = re.compile(r"{(\w+)}")


def document() -> dict:
    paths: dict[str, dict] = {}
    for operation in OPERATIONS:
        paths.setdefault(operation.path, {})[operation.method] = _operation(operation)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "API des consultations publiques",
            "version": VERSION,
            "description": (
                "Lecture ouverte à tous, sans jeton ; écriture avec un jeton d'accès personnel "
                "(`Authorization: Bearer …`), créé depuis « Mon compte ». Erreurs : "
                '`{"error": {"code", "message", "fields"?}}`. Dates ISO 8601 avec décalage.'
            ),
            "license": LICENCE,
        },
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {
            "schemas": _components(),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {
                "Error": {
                    "description": "Erreur",
                    "content": {"application/json": {"schema": ref("Error")}},
                }
            },
        },
    }


def _components() -> dict:
    """Every shape an operation names, and those they use, generated from schemas.py."""
    answers = [schemas.Error] + [o.answer for o in OPERATIONS]
    bodies = [o.body for o in OPERATIONS if o.body is not None]
    bodies += [o.multipart for o in OPERATIONS if o.multipart is not None]
    return schemas.components(dict.fromkeys(answers), dict.fromkeys(bodies))


def _operation(operation: Operation) -> dict:
    parameters = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": INTEGER if name.endswith("_id") else STRING,
        }
        for name in _PATH_PARAMETER.findall(operation.path)
    ] + [
        {
            "name": query.name,
            "in": "query",
            "required": query.required,
            "description": query.description,
            "schema": query.schema,
        }
        for query in operation.query
    ]
    responses: dict = {
        str(operation.status): {
            "description": "Succès",
            "content": {operation.media: {"schema": ref(operation.answer.__name__)}},
        }
    }
    if operation.conditional:
        responses["304"] = {"description": "Inchangé depuis la copie du client (ETag)"}
    errors = dict(WRITE_ERRORS if operation.token else READ_ERRORS)
    errors.update({status: EXTRA_ERRORS[status] for status in operation.errors})
    for status, description in sorted(errors.items()):
        responses[str(status)] = {
            "description": description,
            "content": {"application/json": {"schema": ref("Error")}},
        }
    result: dict = {
        "operationId": f"{operation.method}_{re.sub(r'[^a-z0-9]+', '_', operation.path)}".strip(
            "_"
        ),
        "summary": operation.summary,
        "parameters": parameters,
        "responses": responses,
    }
    if operation.token:
        result["security"] = [{"bearer": []}]
    elif operation.optional_token:
        result["security"] = [{}, {"bearer": []}]
    if operation.body is not None or operation.multipart is not None:
        result["requestBody"] = _request_body(operation)
    return result


def _request_body(operation: Operation) -> dict:
    """The body's shapes: JSON, multipart/form-data (with a file), or either of them."""
    content: dict = {}
    if operation.body is not None:
        content["application/json"] = {"schema": ref(operation.body.__name__)}
    if operation.multipart is not None:
        content["multipart/form-data"] = {"schema": ref(operation.multipart.__name__)}
    if operation.body is None:
        return {"required": True, "content": content}
    # No body at all is an empty object: defaults are taken, missing fields named (422).
    description = (
        "Facultatif : un corps absent ou vide vaut un objet vide {}. Un corps envoyé sans "
        "Content-Type: application/json est refusé (400 `unsupported_media_type`)."
    )
    if operation.multipart is not None:
        description += " Ou multipart/form-data : les mêmes champs et un fichier joint."
    return {"required": False, "description": description, "content": content}


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(document())
