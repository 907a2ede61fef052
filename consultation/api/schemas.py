"""The API's request and response shapes, each declared once as a pydantic model.

A response model is what a handler answers: `respond(Model, data)` validates the serialiser's
dict through it and answers its JSON, so that a key the model does not declare, or a value of
another type, fails the tests instead of reaching clients unannounced. A request model is what
a handler reads: `parse(Model)` validates the JSON body through it and turns what it refuses
into the 422 `invalid` of SPEC §7, a French message per field. `openapi.py` builds the
document's components from these same models (`components()`).

Response models are strict (a serialiser gives them values of the right types already) and
leave objects open in the document (no `additionalProperties: false`), so that adding a field
is not a breaking change. Keys a shape carries only sometimes (an organisation's details on an
author, the channel of an offline contribution) are optional and left out of the answer when
the serialiser did not give them, as before.

Request models check the shape (types); the services check the rules (an open consultation,
a known kind, an article of this text), as forms and services share the work in the HTML
layer. Fields whose value is one of a list (a kind, an opinion, an action) are documented with
their values and checked by the service, which names the allowed values in its own message.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Annotated, Any, ClassVar, TypeVar, get_args

from flask import Response, jsonify
from flask_babel import lazy_gettext as _l
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    ValidationError,
    WithJsonSchema,
)
from pydantic.fields import FieldInfo
from pydantic.json_schema import models_json_schema

from consultation.api.input import json_object
from consultation.consultations import limits as consultation_limits
from consultation.consultations.constants import Status
from consultation.consultations.document_models import DocumentKind
from consultation.core import clock
from consultation.core.charter import ModerationReason
from consultation.core.errors import ValidationFailed
from consultation.core.urls import WEB_ADDRESS_MESSAGE
from consultation.moderation.models import ModerationAction
from consultation.opendata.schemas import DOCUMENT as EXPORTED_DOCUMENT
from consultation.opendata.schemas import EXPORT_SCHEMA
from consultation.participation import limits as participation_limits
from consultation.participation.models import ContributionKind, Opinion, Position
from consultation.synthesis import limits as synthesis_limits
from consultation.synthesis.models import AnswerStatus, FollowUpStatus, JobStatus
from consultation.synthesis.review_models import Origin

REF_TEMPLATE = "#/components/schemas/{model}"


class Refusal:
    """The French message a request field's wrong value gets (Annotated metadata)."""

    def __init__(self, message: Any):  # a lazy string: translated when shown
        self.message = message


def _limited(max_chars: int) -> Any:
    """A text field whose length limit (the domain's constant) is documented as maxLength; the
    service refuses a longer text with its own message, so the shape does not check it."""
    return Field(default=None, json_schema_extra={"maxLength": max_chars})


# --- Field types ------------------------------------------------------------------------------


def one_of(values: Iterable[str]) -> AfterValidator:
    """A string that must be one of `values` (a response drifting from its enum fails)."""
    allowed = frozenset(values)

    def check(value: str | None) -> str | None:
        if value is not None and value not in allowed:
            raise ValueError(f"{value!r} is not one of {sorted(allowed)}")
        return value

    return AfterValidator(check)


def _values(enum: type[Enum]) -> list[str]:
    return [str(item.value) for item in enum]


def enum_schema(values: list[str], *, nullable: bool = False, **extra: Any) -> dict[str, Any]:
    if nullable:
        return {"type": ["string", "null"], "enum": [*values, None], **extra}
    return {"type": "string", "enum": values, **extra}


# Enumerated strings of a response, documented inline with their values (as before).
StatusValue = Annotated[str, one_of(_values(Status)), WithJsonSchema(enum_schema(_values(Status)))]
KindValue = Annotated[
    str,
    one_of(_values(ContributionKind)),
    WithJsonSchema(enum_schema(_values(ContributionKind))),
]
ReasonValue = Annotated[
    str,
    one_of(_values(ModerationReason)),
    WithJsonSchema(enum_schema(_values(ModerationReason))),
]
ReasonOrNull = Annotated[
    str | None,
    one_of(_values(ModerationReason)),
    WithJsonSchema(enum_schema(_values(ModerationReason), nullable=True)),
]
OpinionOrNull = Annotated[
    str | None,
    one_of(_values(Opinion)),
    WithJsonSchema(enum_schema(_values(Opinion), nullable=True)),
]
PositionOrNull = Annotated[
    str | None,
    one_of(_values(Position)),
    WithJsonSchema(enum_schema(_values(Position), nullable=True)),
]
Instant = Annotated[
    str | None,
    WithJsonSchema({"type": ["string", "null"], "format": "date-time"}),
    Field(description="Date et heure ISO 8601 avec décalage"),
]
Text = Annotated[str | None, WithJsonSchema({"type": ["string", "null"]})]
IdOrNull = Annotated[int | None, WithJsonSchema({"type": ["integer", "null"]})]
# A cursor to pass back for the next page; null on the last one.
NextCursor = Annotated[str | None, WithJsonSchema({"type": ["string", "null"]})]


# A request field whose value is one of a list: documented so, checked by the service (any
# JSON value gets through the shape check, to the service's message naming the values).
OpinionInput = Annotated[Any, WithJsonSchema(enum_schema(_values(Opinion)))]
KindInput = Annotated[Any, WithJsonSchema(enum_schema(_values(ContributionKind)))]
PositionInput = Annotated[Any, WithJsonSchema(enum_schema(_values(Position)))]
INSTANT_MESSAGE = _l("Date et heure ISO 8601 attendues, par exemple 2026-03-01T09:00:00+01:00.")
ACKNOWLEDGE_MESSAGE = _l(
    "Booléen attendu : true confirme les lignes signalées à l'import du texte."
)
REMOVE_PAPER_MESSAGE = _l("Booléen attendu : true retire la contribution écrite jointe.")
# The services' own messages for these fields, kept for a value of the wrong type.
DAY_MESSAGE = "Indiquez la date, au format JJ/MM/AAAA."  # as clock.parse_day words it
IDS_MESSAGE = _l("Liste d'identifiants attendue.")


def _instant(value: str | None) -> str | None:
    """A date and time the consultation services will read (`clock.parse_paris_local`)."""
    if value is not None:
        try:
            clock.parse_paris_local(value)
        except (TypeError, ValueError, AttributeError, OverflowError):
            raise ValueError("not a date and time") from None  # refused with INSTANT_MESSAGE
    return value


InstantInput = Annotated[
    str | None,
    AfterValidator(_instant),
    Refusal(INSTANT_MESSAGE),
    WithJsonSchema(
        {
            "type": ["string", "null"],
            "description": "Date et heure ISO 8601 ; sans décalage, heure de Paris",
        }
    ),
]


# --- Base classes -----------------------------------------------------------------------------


class Shape(BaseModel):
    """A response shape: strict, the values of a serialiser as they are."""

    model_config = ConfigDict(strict=True, extra="ignore")


class RequestShape(BaseModel):
    """A request body's shape: strict types (no "5" for 5), unknown fields ignored."""

    model_config = ConfigDict(strict=True, extra="ignore")
    # Default French message per pydantic error type, when the field names none (Refusal).
    MESSAGES: ClassVar[dict[str, Any]] = {
        "string_type": _l("Texte attendu."),
        "int_type": _l("Nombre entier attendu."),
        "bool_type": _l("Booléen attendu."),
        "list_type": _l("Liste attendue."),
        "dict_type": _l("Objet attendu."),
        "model_type": _l("Objet attendu."),
        "missing": _l("Champ obligatoire."),
        "too_long": _l("Trop d'éléments."),
    }


ShapeT = TypeVar("ShapeT", bound=BaseModel)
RequestT = TypeVar("RequestT", bound=RequestShape)


def dump(model: type[Shape], data: Mapping[str, Any]) -> dict[str, Any]:
    """`data` validated through `model`, as JSON values, with the keys it was given."""
    return model.model_validate(data).model_dump(mode="json", exclude_unset=True)


def respond(model: type[Shape], data: Mapping[str, Any], status: int = 200) -> tuple[Response, int]:
    """The JSON answer of `data` in the shape `model`."""
    return jsonify(dump(model, data)), status


def parse(model: type[RequestT], payload: Mapping[str, Any] | None = None) -> RequestT:
    """The request's JSON body (`input.json_object`) validated through `model`; a 422
    `invalid` naming each refused field with a French message otherwise."""
    try:
        return model.model_validate(json_object() if payload is None else payload)
    except ValidationError as error:
        raise ValidationFailed(fields=_refusals(model, error)) from None


def _refusals(model: type[RequestShape], error: ValidationError) -> dict[str, str]:
    fields: dict[str, str] = {}
    for item in error.errors(include_url=False, include_input=False):
        name, field = _located(model, item["loc"])
        if name in fields:
            continue
        custom = [m for m in (field.metadata if field else []) if isinstance(m, Refusal)]
        fields[name] = (
            custom[0].message if custom else model.MESSAGES.get(item["type"], "Valeur invalide.")
        )
    return fields


def _located(model: type[BaseModel], loc: tuple[int | str, ...]) -> tuple[str, FieldInfo | None]:
    """The refused field's name as the services write it (`follow_ups[0].title`) and its
    declaration. An item of a list that is not of the right type names the list."""
    parts = list(loc)
    while parts and isinstance(parts[-1], int):
        parts.pop()
    if not parts:
        return "body", None
    name, field = "", None
    current: type[BaseModel] | None = model
    for part in parts:
        if isinstance(part, int):
            name += f"[{part}]"
            continue
        name += f".{part}" if name else str(part)
        field = current.model_fields.get(str(part)) if current else None
        current = _nested_model(field.annotation) if field else None
    return name, field


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    """The model a field's values are made of (`list[Entry] | None` gives Entry), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        found = _nested_model(argument)
        if found is not None:
            return found
    return None


def components(models: Iterable[type[BaseModel]], requests: Iterable[type[BaseModel]]) -> dict:
    """The JSON Schemas of `models` (answers) and `requests` (bodies), and of every shape they
    use, keyed by name, referring to each other as OpenAPI components."""
    pairs = [(m, "serialization") for m in models] + [(m, "validation") for m in requests]
    _keys, schema = models_json_schema(pairs, ref_template=REF_TEMPLATE)  # type: ignore[arg-type]
    found = dict(schema.get("$defs", {}))
    for definition in found.values():
        definition.pop("description", None)  # a docstring, for developers (English)
        _drop_titles(definition)
    return found


def _drop_titles(schema: Any) -> None:
    """Remove the titles pydantic derives from names ("Tracking Number"): noise in the
    document. A property named `title` is a schema (a dict), never a string: it stays."""
    pending = [schema]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            if isinstance(item.get("title"), str):
                del item["title"]
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)


# --- Errors -----------------------------------------------------------------------------------


class TextWarning(Shape):
    """A line of an imported text that starts like a heading without being understood."""

    line: int
    text: str
    reason: str = Field(description="Pourquoi la ligne est signalée (français)")


class ErrorDetail(Shape):
    code: str = Field(
        description="Code stable : bad_request, invalid_json, invalid_cursor, "
        "payload_too_large, unauthorized, forbidden, not_found, method_not_allowed, conflict, "
        "invalid_state, consultation_not_open, invalid, invalid_text, "
        "unacknowledged_text_warnings, rate_limited…"
    )
    message: str = Field(description="Message en français")
    fields: dict[str, str] | None = Field(
        default=None, description="Pour 422 : un message par champ refusé"
    )
    warnings: list[TextWarning] | None = Field(
        default=None,
        description="Pour unacknowledged_text_warnings : les lignes du texte qui commencent "
        "comme un intitulé sans avoir été reconnues",
    )


class Error(Shape):
    """The error envelope of every refusal (SPEC §7)."""

    error: ErrorDetail


# --- Consultations ----------------------------------------------------------------------------


class Votes(Shape):
    agree: int
    mixed: int
    disagree: int


class InstitutionRef(Shape):
    slug: str
    name: str


class ConsultationSummary(Shape):
    slug: str
    title: str
    summary: Text
    status: StatusValue
    institution: InstitutionRef
    legal_basis: Text
    minimum_days: IdOrNull
    opens_at: Instant
    closes_at: Instant
    published_at: Instant
    url: str


class Division(Shape):
    id: int
    kind: str
    label: str
    title: str
    depth: int
    parent_id: IdOrNull
    intro: list[str]


class Article(Shape):
    id: int
    number: str
    slug: str
    label: str
    title: str
    heading: Text
    division_id: IdOrNull
    paragraphs: list[str]
    votes: Votes
    contributions_count: int


class Extension(Shape):
    at: Instant
    previous_closes_at: Instant
    new_closes_at: Instant
    reason: Text


NoticeValue = str | bool | int | None


class Consultation(ConsultationSummary):
    legal_basis_reference: Text
    notice: dict[str, NoticeValue] = Field(
        description="La notice : textes, booléens, nombre de réponses promises et date "
        "(AAAA-MM-JJ) de la synthèse prévue"
    )
    text_sha256: Text
    text_version: IdOrNull
    text_frozen_at: Instant
    text_warnings: list[TextWarning] = Field(
        description="Brouillon : lignes signalées à l'import du texte et confirmées par "
        "l'organisateur (vide une fois publiée)"
    )
    preamble: list[str]
    closing: list[str]
    divisions: list[Division]
    articles: list[Article]
    extensions: list[Extension]


class ConsultationList(Shape):
    consultations: list[ConsultationSummary]
    next_cursor: NextCursor


class ConsultationInput(RequestShape):
    """A new consultation (POST) or the changes to one (PATCH: any field of a draft, a later
    `closes_at` and its `reason` once open)."""

    institution: Annotated[str | None, Refusal(_l("Identifiant d'institution attendu."))] = None
    title: str | None = _limited(consultation_limits.TITLE_MAX)
    summary: str | None = _limited(consultation_limits.SUMMARY_MAX)
    legal_basis: str | None = None
    opens_at: InstantInput = None
    closes_at: InstantInput = None
    text: str | None = None
    acknowledge_warnings: Annotated[
        bool,
        Refusal(ACKNOWLEDGE_MESSAGE),
        Field(
            description="true confirme les lignes que l'import du texte signale (sinon 422 "
            "unacknowledged_text_warnings les nomme)"
        ),
    ] = False
    notice: Annotated[
        dict[str, Any] | None,
        Refusal(_l("Objet attendu.")),
        WithJsonSchema({"type": ["object", "null"], "description": "Champs de la notice"}),
    ] = None
    reason: Annotated[str | None, Field(description="Motif d'une prolongation (PATCH)")] = None


# A multipart body's true/false field: the text "true" confirms, anything else does not.
MULTIPART_ACKNOWLEDGE = WithJsonSchema(
    {
        "type": "string",
        "enum": ["true", "false"],
        "description": "true confirme les lignes que l'import du texte signale (sinon 422 "
        "unacknowledged_text_warnings les nomme)",
    }
)


class ConsultationUpload(RequestShape):
    """A draft's text sent as a file (PATCH, multipart/form-data): only the text changes."""

    file: bytes = Field(
        json_schema_extra={"format": "binary"},
        description="Le texte : Word (.docx), OpenDocument (.odt), Markdown (.md) ou texte "
        "(.txt, UTF-8), DRAFT_UPLOAD_MAX_BYTES au plus",
    )
    acknowledge_warnings: Annotated[str, MULTIPART_ACKNOWLEDGE] = "false"


# --- Participation ----------------------------------------------------------------------------


class Organisation(Shape):
    name: str
    category: str
    hatvp_number: Text


class Author(Shape):
    display_name: Text
    type: str = Field(description="individual, organisation ou offline")
    organisation: Organisation | None = Field(
        default=None, description="Présent pour une organisation"
    )
    channel: str | None = Field(
        default=None, description="Présent pour une contribution reçue hors ligne"
    )


class ContributionModeration(Shape):
    hidden: bool
    reason: ReasonOrNull
    notice: Text
    duplicate_of: IdOrNull


class Paper(Shape):
    """A contribution's position paper, as the export gives it."""

    name: Text = Field(
        description="Nom du fichier ; null si la contribution est retirée ou masquée"
    )
    size: Annotated[int | None, WithJsonSchema({"type": ["integer", "null"], "minimum": 1})] = (
        Field(description="Taille en octets ; null si la contribution est retirée ou masquée")
    )
    sha256: str = Field(
        description="SHA-256 du fichier, certifié par le registre de la consultation"
    )
    url: Text = Field(
        description="Adresse du PDF ; null si la contribution est retirée ou masquée (il "
        "n'est plus servi)"
    )


class Contribution(Shape):
    """A contribution as published: a withdrawn or hidden one keeps its record, not its
    texts (null)."""

    id: int
    tracking_number: str
    kind: KindValue
    article_id: IdOrNull
    paragraph: IdOrNull
    position: PositionOrNull
    title: Text
    body: Text
    proposed_text: Text
    url: Text
    paper: Paper | None = Field(
        description="Contribution écrite jointe (PDF), comme l'export la donne ; null sans "
        "contribution écrite"
    )
    parent_id: IdOrNull
    author: Author
    offline: bool
    created_at: Instant
    edited_at: Instant
    withdrawn_at: Instant
    moderation: ContributionModeration
    votes: Votes


class Answer(Shape):
    """The administration's answer to a contribution."""

    status: Annotated[
        str, one_of(_values(AnswerStatus)), WithJsonSchema(enum_schema(_values(AnswerStatus)))
    ]
    label: str
    body: Text = Field(
        description="Texte de la réponse ; null si la contribution est retirée ou masquée "
        "(le statut reste publié)"
    )
    answered_at: Instant


class AnsweredContribution(Contribution):
    answer: Answer | None


class Receipt(Shape):
    index: int
    leaf_hash: str


class SubmittedContribution(Contribution):
    ledger: Receipt | None = Field(
        description="Le reçu : la place de la contribution dans le registre de la consultation"
    )


class VotedContribution(Contribution):
    my_vote: OpinionOrNull


class ContributionList(Shape):
    contributions: list[AnsweredContribution]
    next_cursor: NextCursor


class ArticleVote(Shape):
    article_id: int
    value: OpinionOrNull
    votes: Votes


class VoteInput(RequestShape):
    value: OpinionInput = None


class ContributionInput(RequestShape):
    """A contribution: the kind's required fields are checked by the service."""

    kind: KindInput = None
    article_id: int | None = None
    paragraph: int | None = None
    position: PositionInput = None
    title: str | None = _limited(participation_limits.TITLE_MAX)
    body: str | None = _limited(participation_limits.BODY_MAX)
    proposed_text: str | None = _limited(participation_limits.BODY_MAX)
    url: str | None = _limited(participation_limits.URL_MAX)
    parent_id: int | None = None


class ContributionChanges(RequestShape):
    """The wording of one's contribution: only these fields change; `remove_paper` removes its
    position paper."""

    title: str | None = _limited(participation_limits.TITLE_MAX)
    body: str | None = _limited(participation_limits.BODY_MAX)
    proposed_text: str | None = _limited(participation_limits.BODY_MAX)
    url: str | None = _limited(participation_limits.URL_MAX)
    position: PositionInput = None
    remove_paper: Annotated[bool, Refusal(REMOVE_PAPER_MESSAGE)] = Field(
        default=False,
        description="true retire la contribution écrite jointe (elle reste liée à la version "
        "remplacée)",
    )


# A position paper sent as a multipart/form-data part (the other fields are text parts).
PAPER_FILE = WithJsonSchema(
    {
        "type": "string",
        "format": "binary",
        "description": "La contribution écrite jointe : un PDF, POSITION_PAPER_MAX_BYTES au "
        "plus, sans JavaScript, action de lancement ni fichier joint, non chiffré",
    }
)


class ContributionUpload(ContributionInput):
    """A contribution sent as multipart/form-data with its position paper: the fields of
    ContributionInput as text parts (whole numbers in digits), the PDF in `paper`."""

    paper: Annotated[bytes | None, PAPER_FILE] = None


class ContributionChangesUpload(ContributionChanges):
    """An edit sent as multipart/form-data: the fields of ContributionChanges as text parts
    (`remove_paper`: true or false; a part left empty changes nothing), and in `paper` a PDF
    attached, or replacing the one attached."""

    paper: Annotated[bytes | None, PAPER_FILE] = None


# --- Moderation -------------------------------------------------------------------------------


class Report(Shape):
    id: int
    contribution_id: int
    reason: ReasonValue
    created_at: Instant


class Appeal(Shape):
    id: int
    contribution_id: int
    created_at: Instant


class ModeratedPaper(Shape):
    """A contribution's position paper as its moderators read it, whatever the contribution's
    state: its file is served to them at `url` (GET /moderation/contributions/{id}/paper)."""

    name: str = Field(description="Nom du fichier")
    size: Annotated[int, WithJsonSchema({"type": "integer", "minimum": 1})] = Field(
        description="Taille en octets"
    )
    sha256: str = Field(
        description="SHA-256 du fichier, certifié par le registre de la consultation"
    )
    url: str = Field(
        description="Adresse du PDF pour les modérateurs (jeton), même si la contribution est "
        "masquée ou retirée"
    )


class ModerationState(Shape):
    """A contribution as the moderators see it."""

    id: int
    tracking_number: str
    hidden: bool
    hidden_reason: ReasonOrNull
    notice: Text
    duplicate_of: IdOrNull
    open_reports: int
    paper: ModeratedPaper | None = Field(
        description="Contribution écrite jointe (PDF), lisible par les modérateurs quel que "
        "soit l'état de la contribution ; null sans contribution écrite"
    )


class Decision(Shape):
    id: int
    action: Annotated[
        str,
        one_of(_values(ModerationAction)),
        WithJsonSchema(enum_schema(_values(ModerationAction))),
    ]
    reason: ReasonOrNull
    note: Text
    created_at: Instant


class Block(Shape):
    user_id: int
    reason: ReasonValue


class Moderated(ModerationState):
    """The contribution after a decision, and the decision (or, for `block`, the block)."""

    decision: Decision | None = Field(default=None, description="Sauf pour block")
    block: Block | None = Field(default=None, description="Pour block")


class Skipped(Shape):
    id: int
    message: str


class BulkResult(Shape):
    done: list[int]
    skipped: list[Skipped]


class QueuedContribution(ModerationState):
    consultation: str
    kind: KindValue
    title: Text
    body: Text


class OpenAppeal(Shape):
    body: str
    created_at: Instant


class QueueItem(Shape):
    contribution: QueuedContribution
    open_reports: dict[str, int] = Field(description="Signalements ouverts, par motif")
    open_appeal: OpenAppeal | None


class ModerationQueue(Shape):
    total: int
    next_cursor: NextCursor
    items: list[QueueItem]


class ModerationFigures(Shape):
    contributions: int
    reports: int
    reports_by_reason: dict[str, int]
    hidden: int
    hidden_by_reason: dict[str, int]
    restored: int
    dismissed: int
    duplicates: int


ReasonInput = Annotated[Any, WithJsonSchema(enum_schema(_values(ModerationReason)))]


class ReportInput(RequestShape):
    reason: ReasonInput = None
    details: str | None = None


class AppealInput(RequestShape):
    body: str | None = None


class ModerationInput(RequestShape):
    action: Annotated[
        Any,
        WithJsonSchema(enum_schema(["hide", "restore", "dismiss", "duplicate", "block"])),
    ] = None
    reason: ReasonInput = None
    note: str | None = None
    duplicate_of: Annotated[
        Any,
        WithJsonSchema(
            {
                "type": ["integer", "string", "null"],
                "description": "Pour duplicate : l'identifiant ou le numéro de suivi de l'original",
            }
        ),
    ] = None


class BulkModerationInput(RequestShape):
    action: Annotated[Any, WithJsonSchema(enum_schema(["hide", "restore", "dismiss", "block"]))] = (
        None
    )
    reason: ReasonInput = None
    note: str | None = None
    ids: Annotated[
        list[Any],
        WithJsonSchema({"type": "array", "items": {"type": "integer"}, "maxItems": 500}),
    ] = Field(default_factory=list)
    notify: Annotated[Any, WithJsonSchema({"type": ["boolean", "null"]})] = Field(
        default=None,
        description="Pour hide et block : prévenir les auteurs par e-mail, un message par "
        "auteur avec le motif et un lien de recours par contribution, envoyé après "
        "l'enregistrement de la décision ; absent ou null : oui, sauf pour le motif spam. Une "
        "autre valeur qu'un booléen est refusée (422 invalid).",
    )


# --- Search -----------------------------------------------------------------------------------


class ConsultationRef(Shape):
    slug: str
    title: str
    status: StatusValue


SEARCH_KINDS = ["consultation", *_values(ContributionKind)]


class SearchResult(Shape):
    kind: Annotated[str, one_of(SEARCH_KINDS), WithJsonSchema(enum_schema(SEARCH_KINDS))]
    consultation: ConsultationRef
    contribution_id: IdOrNull
    title: str = Field(description="Titre, en texte brut")
    title_html: str = Field(description="Titre échappé, les mots trouvés entre <mark> et </mark>")
    extract: str = Field(description="Extrait, en texte brut")
    extract_html: str = Field(
        description="Extrait échappé, les mots trouvés entre <mark> et </mark>"
    )
    url: Annotated[str, WithJsonSchema({"type": "string", "format": "uri"})]
    title_match: bool = Field(
        description="Tous les mots sont dans le titre (ces résultats viennent d'abord)"
    )


class SearchPage(Shape):
    query: str
    total: int = Field(description="Nombre de résultats (100 au plus)")
    total_capped: bool = Field(description="Plus de 100 résultats")
    results: list[SearchResult]
    next_cursor: NextCursor


# --- Answers ----------------------------------------------------------------------------------


class AnswerInput(RequestShape):
    status: Annotated[Any, WithJsonSchema(enum_schema(_values(AnswerStatus)))] = None
    body: Annotated[Any, WithJsonSchema({"type": "string"})] = _limited(synthesis_limits.ANSWER_MAX)


class AnswerResult(Shape):
    contribution_id: int
    answer: Answer | None


# --- Synthesis: drafts, publication, follow-ups -----------------------------------------------

FollowUpStatusValue = Annotated[
    str, one_of(_values(FollowUpStatus)), WithJsonSchema(enum_schema(_values(FollowUpStatus)))
]
Day = Annotated[str | None, WithJsonSchema({"type": ["string", "null"], "format": "date"})]


class SynthesisJob(Shape):
    """A run of the synthesis draft (a background job)."""

    id: int
    status: Annotated[
        str, one_of(_values(JobStatus)), WithJsonSchema(enum_schema(_values(JobStatus)))
    ]
    progress: int = Field(description="Avancement, en pour cent")
    step: str = Field(description="Étape en cours (français)")
    error: Text = Field(description="Pourquoi la tâche a échoué")
    created_at: Instant
    started_at: Instant
    finished_at: Instant


class DraftStarted(Shape):
    job: SynthesisJob


class Campaign(Shape):
    """Contributions sent in near-identical words, counted once with their additions."""

    model_config = ConfigDict(strict=True, extra="allow")

    count: int
    representative: Text = Field(description="Le texte type ; null s'il est retiré ou masqué")
    contribution_ids: list[int]


class DraftData(Shape):
    """The figures and analyses of the draft, as the analysis computes them (open: the
    analysis may add fields; quotations of withdrawn or hidden contributions withheld)."""

    model_config = ConfigDict(strict=True, extra="allow")

    figures: dict[str, Any]
    articles: list[dict[str, Any]]
    campaigns: list[Campaign]
    themes: list[dict[str, Any]]
    opinion_groups: dict[str, Any]


class Draft(Shape):
    markdown: str
    data: DraftData | None
    generated_at: Instant


class VersionSummary(Shape):
    number: int
    published_at: Instant
    change_note: str


class ReviewFigures(Shape):
    """The review's figures, as the published synthesis gives them."""

    themes: int
    themes_drafted: int = Field(description="Tels que proposés par l'analyse")
    themes_reviewed: int = Field(description="Créés ou modifiés par une personne")
    themes_removed: int = Field(description="Fusionnés ou supprimés par une personne")
    contributions_placed: int = Field(description="Placées par une personne")
    contributions_read: int = Field(description="Lues par une personne de l'institution")
    # Absent from the versions published before the review of proposals and excerpts.
    proposal_groups: int | None = Field(default=None, description="Groupes de propositions")
    proposal_groups_drafted: int | None = Field(
        default=None, description="Groupes tels que trouvés par l'analyse"
    )
    proposal_groups_reviewed: int | None = Field(
        default=None, description="Groupes créés, renommés ou recevant une fusion par une personne"
    )
    proposal_groups_merged: int | None = Field(
        default=None, description="Groupes fusionnés dans un autre par une personne"
    )
    excerpts_pinned: int | None = Field(
        default=None, description="Extraits épinglés pour un thème par une personne"
    )
    excerpts_dropped: int | None = Field(
        default=None, description="Extraits écartés d'un thème par une personne"
    )


class PublishedTheme(Shape):
    """A theme of a published version, numbered as on its page, with every contribution."""

    number: int
    label: str
    size: int
    contribution_ids: list[int]
    contributions: list[str]  # the same, by tracking number (what the record certifies)


class PublishedProposalGroup(Shape):
    """A proposal group of a published version, numbered as on its page, with the contributions
    making it (every one since method 1.3; the first 200 before)."""

    number: int
    count: int
    contribution_ids: list[int]
    contributions: list[str]  # the same, by tracking number (what the record certifies)


class SynthesisVersion(Shape):
    """A published version of the synthesis (the open-data export carries the same shape)."""

    number: int
    published_at: Instant
    change_note: str
    body: str = Field(description="Texte de la synthèse (Markdown)")
    observations_considered: str
    reasons_url: Text
    published_days_after_closing: IdOrNull
    review: ReviewFigures | None = Field(
        default=None,
        description="La relecture des thèmes à la publication : ce que l'analyse a proposé, "
        "ce que des personnes ont décidé et lu (null : version publiée avant la relecture)",
    )
    themes: list[PublishedTheme] = Field(
        default_factory=list,
        description="Ses thèmes, chacun avec toutes ses contributions (page : "
        "/consultations/{slug}/synthese/versions/{n}/themes/{number})",
    )
    proposal_groups: list[PublishedProposalGroup] = Field(
        default_factory=list,
        description="Ses propositions regroupées (page : "
        "/consultations/{slug}/synthese/versions/{n}/propositions/{number})",
    )


class FollowUpEvent(Shape):
    kind: Annotated[
        str, one_of(["created", "changed"]), WithJsonSchema(enum_schema(["created", "changed"]))
    ]
    at: Instant
    changes: dict[str, list[Any]] = Field(
        description="Champs modifiés : [avant, après] (articles par libellé, contributions par "
        "numéro de suivi)"
    )
    note: Text


class FollowUp(Shape):
    """A follow-up the administration announces, with its public history."""

    id: int
    title: str
    description: str
    due_date: Day
    status: FollowUpStatusValue
    status_label: str
    url: Text
    article_ids: list[int]
    contribution_ids: list[int]
    history: list[FollowUpEvent]


class WorkingSynthesis(Shape):
    """What the institution's staff saved: the working text and the follow-ups."""

    body: str
    observations_considered: str
    reasons_url: str
    updated_at: Instant
    problems: dict[str, str] = Field(
        description="Ce qui manque pour publier, par champ (vide : publiable)"
    )
    review_changed_after_draft: Instant | None = Field(
        default=None,
        description="La dernière décision de relecture, si elle suit le dernier brouillon "
        "(relancer la rédaction pour que thèmes, propositions et extraits la suivent)",
    )
    follow_ups: list[FollowUp]


STAFF_ONLY = "Équipe de l'institution seulement"


class SynthesisSection(Shape):
    """A section of the working text: the text before the first `##` heading (key
    `ouverture`), then each `##` heading down to the next. `text` is Markdown with its heading
    line; contributions are named by tokens `[[C-…]]`, made links where the text is shown."""

    key: str
    heading: str
    text: str
    fingerprint: str = Field(description="À renvoyer avec la partie modifiée")
    length: int


class SynthesisDocument(Shape):
    """The synthesis as the viewer may see it: the published versions for everyone; the draft
    run, the draft and the text being edited for the institution's staff."""

    published: bool
    published_at: Instant
    versions: list[VersionSummary]
    latest: SynthesisVersion | None
    published_days_after_closing: IdOrNull
    follow_ups: list[FollowUp] = Field(
        description="Publiques une fois une version publiée ; en préparation pour l'équipe"
    )
    observations_considered: str | None = Field(default=None, description=STAFF_ONLY)
    reasons_url: str | None = Field(default=None, description=STAFF_ONLY)
    problems: dict[str, str] | None = Field(default=None, description=STAFF_ONLY)
    review_changed_after_draft: Instant | None = Field(default=None, description=STAFF_ONLY)
    status: Annotated[
        str | None,
        one_of(_values(JobStatus)),
        WithJsonSchema(enum_schema(_values(JobStatus), nullable=True, description=STAFF_ONLY)),
    ] = None
    progress: int | None = Field(default=None, description=STAFF_ONLY)
    step: str | None = Field(default=None, description=STAFF_ONLY)
    error: str | None = Field(default=None, description=STAFF_ONLY)
    job: SynthesisJob | None = Field(default=None, description=STAFF_ONLY)
    draft: Draft | None = Field(default=None, description=STAFF_ONLY)
    body: str | None = Field(default=None, description=STAFF_ONLY + " : le texte en cours")
    sections: list[SynthesisSection] | None = Field(
        default=None,
        description=STAFF_ONLY + " : le texte en cours (sinon le brouillon) partie par partie",
    )
    unknown_tokens: list[str] | None = Field(
        default=None,
        description=STAFF_ONLY + " : les jetons [[C-…]] du texte qui ne désignent aucune "
        "contribution de la consultation (affichés sans lien)",
    )


class SectionInput(RequestShape):
    """One section of the working text (PUT …/synthesis/sections/{key}): its new Markdown,
    heading line included, and the fingerprint it had when it was read (GET …/synthesis)."""

    text: Annotated[Any, WithJsonSchema({"type": "string"})] = _limited(
        synthesis_limits.SYNTHESIS_MAX
    )
    fingerprint: Annotated[Any, WithJsonSchema({"type": "string"})] = Field(
        default=None, description="L'empreinte de la partie lue : refusée (409) si elle a changé"
    )


class SavedSection(Shape):
    """The working text once a section is saved: the key the section now has (null once
    emptied: removed), the sections and the tokens that name no contribution."""

    key: str | None
    sections: list[SynthesisSection]
    unknown_tokens: list[str]


class FollowUpChanges(RequestShape):
    """A follow-up's fields: those sent change (PATCH), with a `note` for its history. The
    values are checked by the service (a known status, articles of the text…)."""

    title: Annotated[str | None, Refusal(_l("Donnez un titre à la suite envisagée."))] = _limited(
        synthesis_limits.FOLLOW_UP_TITLE_MAX
    )
    description: str | None = _limited(synthesis_limits.FOLLOW_UP_DESCRIPTION_MAX)
    due_date: Annotated[
        str | None,
        Refusal(DAY_MESSAGE),
        WithJsonSchema({"type": ["string", "null"], "description": "JJ/MM/AAAA ou AAAA-MM-JJ"}),
    ] = None
    status: Annotated[Any, WithJsonSchema(enum_schema(_values(FollowUpStatus)))] = None
    url: Annotated[str | None, Refusal(_l(WEB_ADDRESS_MESSAGE))] = _limited(
        synthesis_limits.URL_MAX
    )
    article_ids: Annotated[list[int] | None, Refusal(IDS_MESSAGE)] = None
    contribution_ids: Annotated[list[int] | None, Refusal(IDS_MESSAGE)] = None
    note: Annotated[str | None, Field(description="Gardée dans l'historique public")] = _limited(
        synthesis_limits.FOLLOW_UP_NOTE_MAX
    )


class FollowUpInput(FollowUpChanges):
    """A follow-up of the whole list: with an `id` it changes that one, without it is new."""

    id: Annotated[int | None, Refusal(_l("Suite inconnue dans cette consultation."))] = None


class SynthesisInput(RequestShape):
    """The whole working document (PUT). `follow_ups`, when sent, is the complete list in
    order; without it the follow-ups stay as they are."""

    body: str | None = _limited(synthesis_limits.SYNTHESIS_MAX)
    observations_considered: str | None = _limited(synthesis_limits.OBSERVATIONS_MAX)
    reasons_url: Annotated[str | None, Refusal(_l(WEB_ADDRESS_MESSAGE))] = _limited(
        synthesis_limits.URL_MAX
    )
    follow_ups: Annotated[
        list[FollowUpInput] | None, Refusal("Liste de suites attendue (objets JSON).")
    ] = None


class PublicationInput(RequestShape):
    change_note: Annotated[str | None, Field(description="Ce qui change (après la 1re)")] = (
        _limited(synthesis_limits.CHANGE_NOTE_MAX)
    )


# --- Synthesis: the review of the themes ------------------------------------------------------

OriginValue = Annotated[str, one_of(_values(Origin)), WithJsonSchema(enum_schema(_values(Origin)))]
BY_PERSON = "Nom de la personne, null pour l'analyse"


class ReviewTheme(Shape):
    """A theme of the review, with who made and changed it: the draft's analysis (`origin`
    machine: which run, when) or a person (who, when)."""

    id: int
    name: str
    origin: OriginValue
    active: bool = Field(description="Faux une fois fusionné ou supprimé (gardé pour mémoire)")
    job_id: IdOrNull = Field(description="La rédaction du brouillon qui l'a proposé")
    drafted_at: Instant
    created_at: Instant
    created_by: Text = Field(description=BY_PERSON)
    renamed_at: Instant
    renamed_by: Text
    deleted_at: Instant
    deleted_by: Text
    merged_into_id: IdOrNull
    split_from: IdOrNull = Field(
        description="Le thème dont une personne l'a détaché en le scindant, null sinon"
    )
    contribution_count: int
    read_count: int


class ThemeAssignment(Shape):
    """Where a contribution sits; `theme_id` null: a person took it out of every theme."""

    contribution_id: int
    theme_id: IdOrNull
    origin: OriginValue
    assigned_at: Instant
    assigned_by: Text = Field(description=BY_PERSON)


class ReviewThemes(Shape):
    """The review workbench of a consultation (the institution's staff)."""

    themes: list[ReviewTheme]
    assignments: list[ThemeAssignment]
    read_contribution_ids: list[int]
    figures: ReviewFigures


class ContributionReading(Shape):
    contribution_id: int
    read: bool
    read_at: Instant
    read_by: Text


class ProposalMember(Shape):
    contribution_id: int
    tracking_number: str
    sentence: str = Field(description="La phrase de la proposition (vide : texte retiré ou masqué)")


class ProposalGroup(Shape):
    """A group of near-identical proposals, with who made and changed it: the draft's analysis
    (`origin` machine: which run, when) or a person (who, when)."""

    id: int
    label: str
    origin: OriginValue
    active: bool = Field(description="Faux une fois fusionné dans un autre (gardé pour mémoire)")
    job_id: IdOrNull = Field(description="La rédaction du brouillon qui l'a trouvé")
    drafted_at: Instant
    created_at: Instant
    created_by: Text = Field(description=BY_PERSON)
    renamed_at: Instant
    renamed_by: Text
    merged_at: Instant
    merged_by: Text
    merged_into_id: IdOrNull
    merged_from: list[int] = Field(description="Les groupes fusionnés dans celui-ci")
    contribution_count: int
    members: list[ProposalMember]


class ProposalGroups(Shape):
    """The proposal groups of the review, biggest first (the merged ones last, inactive)."""

    groups: list[ProposalGroup]
    figures: ReviewFigures


class ProposalMergeInput(RequestShape):
    groups: Annotated[
        Any, WithJsonSchema({"type": "array", "items": {"type": "integer"}, "minItems": 2})
    ] = None
    label: Annotated[
        Any, WithJsonSchema({"type": ["string", "null"], "description": "Nouveau libellé"})
    ] = None


class ProposalLabelInput(RequestShape):
    label: Annotated[Any, WithJsonSchema({"type": "string"})] = None


class ThemeSplitInput(RequestShape):
    contribution_ids: Annotated[
        Any, WithJsonSchema({"type": "array", "items": {"type": "integer"}, "minItems": 1})
    ] = None
    name: Annotated[Any, WithJsonSchema({"type": "string"})] = None


EXCERPT_STATES = ["pinned", "dropped"]


class ExcerptInput(RequestShape):
    contribution_id: Annotated[Any, WithJsonSchema({"type": "integer"})] = None
    state: Annotated[
        Any,
        WithJsonSchema(
            enum_schema(
                EXCERPT_STATES,
                nullable=True,
                description="pinned : cité en premier ; dropped : jamais cité ; null : annuler",
            )
        ),
    ] = None


class ThemeExcerpt(Shape):
    contribution_id: int
    tracking_number: str
    text: str
    in_draft: bool = Field(description="Un des extraits choisis par l'analyse")
    state: Annotated[
        str | None,
        one_of(EXCERPT_STATES),
        WithJsonSchema(enum_schema(EXCERPT_STATES, nullable=True)),
    ]
    decided_at: Instant
    decided_by: Text


class ThemeExcerpts(Shape):
    theme_id: int
    excerpts: list[ThemeExcerpt]


class ThemeNameInput(RequestShape):
    name: Annotated[Any, WithJsonSchema({"type": "string"})] = _limited(
        synthesis_limits.THEME_NAME_MAX
    )


class ThemeMergeInput(RequestShape):
    into: Annotated[
        Any, WithJsonSchema({"type": "integer", "description": "Le thème qui reçoit"})
    ] = None


class ThemeMoveInput(RequestShape):
    theme_id: Annotated[
        Any, WithJsonSchema({"type": ["integer", "null"], "description": "null : sans thème"})
    ] = None


class ReadingInput(RequestShape):
    read: Annotated[
        Any, WithJsonSchema({"type": "boolean", "description": "false : de nouveau non lue"})
    ] = True


# --- Adoption ---------------------------------------------------------------------------------


class Act(Shape):
    signed_on: Annotated[str, WithJsonSchema({"type": "string", "format": "date"})]
    reference: str
    url: Text
    recorded_at: Instant
    text_sha256: Text
    text_loaded_at: Instant


SEGMENT_OPS = ["same", "added", "removed"]
CHANGE_STATUSES = ["unchanged", "modified", "added", "removed"]


class Segment(Shape):
    op: Annotated[str, one_of(SEGMENT_OPS), WithJsonSchema(enum_schema(SEGMENT_OPS))]
    text: str


class ArticleComparison(Shape):
    number: str
    key: str = Field(description="Le numéro de l'article dans son adresse")
    label: str
    status: Annotated[str, one_of(CHANGE_STATUSES), WithJsonSchema(enum_schema(CHANGE_STATUSES))]
    title: list[Segment]
    paragraphs: list[list[Segment]]
    contribution_ids: list[int] = Field(
        description="Contributions confirmées comme ayant motivé la modification"
    )


class AdoptedText(Shape):
    """The act (or null) and each article of the adopted text compared to the consulted one."""

    consultation: str
    act: Act | None
    articles: list[ArticleComparison]


class ActInput(RequestShape):
    """The act, and with `text` its adopted text, saved together or not at all."""

    signed_on: Annotated[
        str | None,
        Refusal(DAY_MESSAGE),
        WithJsonSchema({"type": "string", "description": "JJ/MM/AAAA ou AAAA-MM-JJ"}),
    ] = None
    reference: Annotated[
        str | None,
        Refusal(
            _l(
                "Indiquez la référence de l'acte, par exemple « Décret n° 2026-123 du 3 mars 2026 »."
            )
        ),
        WithJsonSchema({"type": "string"}),
    ] = _limited(synthesis_limits.ACT_REFERENCE_MAX)
    url: Annotated[str | None, Refusal(_l(WEB_ADDRESS_MESSAGE))] = _limited(
        synthesis_limits.URL_MAX
    )
    text: str | None = None
    acknowledge_warnings: Annotated[bool, Refusal(ACKNOWLEDGE_MESSAGE)] = False


class ActUpload(RequestShape):
    """The act, and with `file` its adopted text, sent as multipart/form-data: the act's
    fields as in ActInput, the text as a file read as a draft's is."""

    signed_on: Annotated[
        str, WithJsonSchema({"type": "string", "description": "JJ/MM/AAAA ou AAAA-MM-JJ"})
    ]
    reference: str = Field(json_schema_extra={"maxLength": synthesis_limits.ACT_REFERENCE_MAX})
    url: str | None = _limited(synthesis_limits.URL_MAX)
    file: Annotated[
        bytes | None,
        WithJsonSchema(
            {
                "type": "string",
                "format": "binary",
                "description": "Le texte adopté (facultatif) : Word (.docx), OpenDocument "
                "(.odt), Markdown (.md) ou texte (.txt, UTF-8), DRAFT_UPLOAD_MAX_BYTES au plus",
            }
        ),
    ] = None
    acknowledge_warnings: Annotated[str, MULTIPART_ACKNOWLEDGE] = "false"


# --- Record and open data: described here, served as the ledger and opendata produce them -----


class LedgerKey(Shape):
    algorithm: str
    public_key: str = Field(description="Clé publique Ed25519, base64")
    signature_format: str
    checkpoint_format: str


class Checkpoint(Shape):
    id: int
    tree_size: int
    root_hash: str = Field(description="Hexadécimal")
    signed_at: Instant
    reason: str
    checkpoint: str = Field(description="Le point de contrôle signé (signed note)")


class LedgerHead(Shape):
    """The latest signed checkpoint of the consultation's record, and the recent ones."""

    tree_size: int
    root_hash: Text
    signature: Text = Field(description="Signature Ed25519 du point de contrôle, base64")
    public_key: str
    checkpoint: Text
    signed_at: Instant
    origin: str
    verifier_key: str
    entries_now: int
    checkpoints: list[Checkpoint]
    checkpoints_url: str


class CheckpointList(Shape):
    checkpoints: list[Checkpoint]
    next_cursor: NextCursor
    next: Text = Field(description="Adresse de la page suivante")


class LedgerEntry(Shape):
    index: int
    leaf: str = Field(description="L'entrée, texte JSON canonique")
    leaf_hash: str


class LedgerEntries(Shape):
    tree_size: int
    entries: list[LedgerEntry]
    next_cursor: NextCursor


class InclusionProof(Shape):
    """RFC 9162 inclusion proof (hashes in hexadecimal)."""

    index: int
    tree_size: int
    leaf_hash: str
    root_hash: str
    proof: list[str]


class ConsistencyProof(Shape):
    """RFC 9162 consistency proof (hashes in hexadecimal)."""

    first: int
    second: int
    first_root_hash: str
    second_root_hash: str
    proof: list[str]


def _export_schema() -> dict[str, Any]:
    """The export's JSON Schema as a component: a copy (the document's titles and descriptions
    are removed from its components; the schema served stays whole)."""
    schema = copy.deepcopy(EXPORT_SCHEMA)
    del schema["$schema"], schema["$id"]
    return schema


class ConsultationDocument(
    RootModel[Annotated[dict[str, Any], WithJsonSchema(copy.deepcopy(EXPORTED_DOCUMENT))]]
):
    """A version of one of the consultation's documents, as the export lists it."""


class ConsultationDocuments(Shape):
    """Every version of the consultation's documents (a draft's: for its staff only)."""

    documents: list[ConsultationDocument]


class DocumentUpload(RequestShape):
    """A document added to a draft (multipart/form-data; a JSON body carries no file)."""

    file: bytes = Field(
        json_schema_extra={"format": "binary"},
        description="PDF, Word (.docx) ou OpenDocument (.odt), DOCUMENT_MAX_BYTES au plus",
    )
    title: str
    kind: Annotated[str, WithJsonSchema(enum_schema(_values(DocumentKind)))]
    articles: str | None = Field(default=None, description="Numéros séparés par des virgules")


class ErratumUpload(RequestShape):
    """A corrected version of a published document (multipart/form-data)."""

    file: bytes = Field(json_schema_extra={"format": "binary"})
    note: str = Field(description="Ce que corrige cette version (publiée)")
    title: str | None = None


class DocumentHideInput(RequestShape):
    """The public reason a published version of a document stops being served."""

    reason: str | None = Field(
        default=None,
        description="Motif du masquage, obligatoire, publié avec l'empreinte du document",
        json_schema_extra={"maxLength": consultation_limits.DOCUMENT_NOTE_MAX},
    )


class ExportDocument(RootModel[Annotated[dict[str, Any], WithJsonSchema(_export_schema())]]):
    """export.json, as opendata.json_export writes it (its schema: opendata.schemas)."""


class JsonSchemaDocument(RootModel[Annotated[dict[str, Any], WithJsonSchema({"type": "object"})]]):
    """A JSON Schema (2020-12)."""


class DataPackage(Shape):
    """The Data Package descriptor of export.zip (Frictionless Data, tabular-data-package)."""

    profile: str
    name: str
    licenses: list[dict[str, str]]
    description: str
    resources: list[dict[str, Any]] = Field(description="Un CSV et son Table Schema chacun")
    title: str | None = Field(default=None, description="Avec une consultation")
    homepage: str | None = Field(default=None, description="Avec une consultation")


class CsvFile(RootModel[Annotated[str, WithJsonSchema({"type": "string"})]]):
    """A CSV file."""


class ZipFile(RootModel[Annotated[bytes, WithJsonSchema({"type": "string", "format": "binary"})]]):
    """A ZIP archive."""


class PdfFile(RootModel[Annotated[bytes, WithJsonSchema({"type": "string", "format": "binary"})]]):
    """A PDF file."""


class OpenApiDocument(Shape):
    """This document (OpenAPI 3.1)."""

    openapi: str
    info: dict[str, Any]
    servers: list[dict[str, str]]
    paths: dict[str, Any]
    components: dict[str, Any]
