"""The tamper-evident record through the API: signed head, checkpoints, entries, proofs,
and the consultation's exports (streamed): the JSON that carries its records, and the
contributions as CSV, both answering conditional requests (ETag, Last-Modified).

Hashes are lowercase hex, except inside checkpoint notes (base64, as the format wants);
signatures and public keys are base64. Every bad parameter is a JSON error (SPEC §7).
"""

from __future__ import annotations

from typing import Literal, overload

from flask import Response, jsonify, request, stream_with_context
from flask_babel import gettext as _
from werkzeug.http import is_resource_modified

from consultation.api import bp
from consultation.api.auth import api_user
from consultation.api.input import page_limit
from consultation.consultations.services import get_visible
from consultation.core import clock, csvsafe, cursors
from consultation.core.clock import isoformat
from consultation.core.errors import NotFound, ValidationFailed
from consultation.core.limits import export_limits
from consultation.core.urls import external_url
from consultation.ledger import services, signing
from consultation.ledger.models import LedgerCheckpoint
from consultation.opendata import exports, json_export, package, schemas


@bp.get("/ledger/public-key")
def ledger_public_key():
    """The platform's Ed25519 public key, which signs every checkpoint."""
    return jsonify(
        {
            "algorithm": "Ed25519",
            "public_key": signing.public_key_base64(),
            "signature_format": "https://c2sp.org/signed-note",
            "checkpoint_format": "https://c2sp.org/tlog-checkpoint",
        }
    )


@bp.get("/consultations/<slug>/ledger")
def ledger_head(slug: str):
    """The latest signed checkpoint (made first when one is due) and the recent ones."""
    consultation = get_visible(slug, api_user())
    head = services.published_head(consultation, clock.now())
    recent, more = services.checkpoints_page(consultation.id, limit=20)
    if head is not None and (not recent or recent[0].id != head.id):
        recent = [head, *recent[:19]]
    body = {
        "tree_size": head.tree_size if head else 0,
        "root_hash": head.root_hash.hex() if head else None,
        "signature": services.signature_of(head) if head else None,
        "public_key": signing.public_key_base64(),
        "checkpoint": head.note if head else None,
        "signed_at": isoformat(head.created_at) if head else None,
        "origin": services.origin(consultation),
        "verifier_key": signing.verifier_key(services.origin(consultation)),
        "entries_now": services.tree_size(consultation.id),
        "checkpoints": [_checkpoint(c) for c in recent],
        "checkpoints_url": external_url("api.ledger_checkpoints", slug=slug),
    }
    return jsonify(body)


@bp.get("/consultations/<slug>/ledger/checkpoints")
def ledger_checkpoints(slug: str):
    """Every checkpoint kept, newest first, `limit` a page (100 by default); `next_cursor`
    continues. `?before=<id>`, the older form, is still read."""
    consultation = get_visible(slug, api_user())
    before = _integer("before", minimum=1, required=False)
    cursor = request.args.get("cursor")
    if cursor:
        [before] = _cursor_values(cursor)
    rows, next_before = services.checkpoints_page(
        consultation.id, before, limit=page_limit(services.CHECKPOINTS_PAGE)
    )
    next_cursor = cursors.encode([next_before]) if next_before else None
    return jsonify(
        {
            "checkpoints": [_checkpoint(c) for c in rows],
            "next_cursor": next_cursor,
            "next": external_url("api.ledger_checkpoints", slug=slug, cursor=next_cursor)
            if next_cursor
            else None,
        }
    )


@bp.get("/consultations/<slug>/ledger/entries")
def ledger_entries(slug: str):
    """Entries [start, end) of the record (100 from `start` when `end` is not given): the leaf
    (canonical JSON text) and its hash. `next_cursor` gives the next 100 while the record goes
    on; `cursor` may stand for `start`."""
    consultation = get_visible(slug, api_user())
    start = _integer("start", minimum=0, required=False) or 0
    cursor = request.args.get("cursor")
    if cursor:
        [start] = _cursor_values(cursor)
    end = _integer("end", minimum=0, required=False)
    size, rows = services.entries(consultation, start, end)
    reached = rows[-1].leaf_index + 1 if rows else start
    return jsonify(
        {
            "tree_size": size,
            "entries": [
                {"index": r.leaf_index, "leaf": r.leaf, "leaf_hash": bytes(r.leaf_hash).hex()}
                for r in rows
            ],
            "next_cursor": cursors.encode([reached]) if reached < size else None,
        }
    )


def _cursor_values(cursor: str) -> list[int]:
    """The one non-negative integer a ledger list's cursor carries."""
    return cursors.decode(cursor, cursors.integer)


@bp.get("/consultations/<slug>/ledger/proof/inclusion")
def ledger_inclusion_proof(slug: str):
    """RFC 9162 inclusion proof of entry `index` in the tree of `tree_size` entries (default:
    the latest checkpoint's size). Reads every leaf hash up to that size."""
    consultation = get_visible(slug, api_user())
    index = _integer("index", minimum=0)
    size = _integer("tree_size", minimum=1, required=False)
    if size is None:
        size = _signed_size(consultation)
    return jsonify(services.inclusion(consultation, index, size))


@bp.get("/consultations/<slug>/ledger/proof/consistency")
def ledger_consistency_proof(slug: str):
    """RFC 9162 consistency proof between the trees of `first` and `second` entries
    (default second: the latest checkpoint's size)."""
    consultation = get_visible(slug, api_user())
    first = _integer("first", minimum=1)
    second = _integer("second", minimum=1, required=False)
    if second is None:
        second = _signed_size(consultation)
    return jsonify(services.consistency(consultation, first, second))


@bp.get("/consultations/<slug>/export.json")
@export_limits
def export_json(slug: str):
    """The consultation's export, streamed: metadata, the signed checkpoint covering every
    record exported, the records and the contributions (see `opendata.json_export`)."""
    consultation = get_visible(slug, api_user())
    version = exports.export_version(consultation)
    if not _modified_since(*version):
        return _not_modified(*version)
    signing.private_key()  # a missing key is a 503 now, not a broken stream later
    chunks = json_export.stream_export(consultation.id, clock.now())
    response = Response(stream_with_context(chunks), mimetype="application/json")
    return _download(response, f"{slug}.json", *version)


@bp.get("/consultations/<slug>/export.csv")
@export_limits
def export_csv(slug: str):
    """The consultation's contributions, one CSV row each (see `opendata.exports`)."""
    consultation = get_visible(slug, api_user())
    version = exports.export_version(consultation)
    if not _modified_since(*version):
        return _not_modified(*version)
    chunks = exports.contributions_csv(consultation.id)
    response = Response(stream_with_context(chunks), mimetype="text/csv")
    return _download(response, f"{slug}-contributions.csv", *version)


@bp.get("/consultations/<slug>/export-fr.csv")
@export_limits
def export_csv_fr(slug: str):
    """The same rows as export.csv, as French spreadsheet software opens them as they are:
    `;` between cells, UTF-8 with a byte-order mark (see `core.csvsafe`)."""
    consultation = get_visible(slug, api_user())
    version = exports.export_version(consultation)
    if not _modified_since(*version):
        return _not_modified(*version)
    chunks = exports.contributions_csv(consultation.id, csvsafe.FRENCH_SPREADSHEET)
    response = Response(stream_with_context(chunks), mimetype="text/csv")
    return _download(response, f"{slug}-contributions-tableur.csv", *version)


@bp.get("/consultations/<slug>/export.zip")
@export_limits
def export_zip(slug: str):
    """One CSV per entity, the data package descriptor, a README and the licence, in a ZIP
    written as it is sent (see `opendata.package`)."""
    consultation = get_visible(slug, api_user())
    version = exports.export_version(consultation)
    if not _modified_since(*version):
        return _not_modified(*version)
    chunks = package.stream_zip(consultation.id, clock.now())
    response = Response(stream_with_context(chunks), mimetype="application/zip")
    return _download(response, f"{slug}.zip", *version)


@bp.get("/schemas/export.json")
def export_schema():
    """The JSON Schema of export.json."""
    response = jsonify(schemas.EXPORT_SCHEMA)
    response.mimetype = "application/schema+json"
    return response


@bp.get("/schemas/datapackage.json")
def datapackage_schema():
    """The Table Schema of each CSV of export.zip, as a Data Package descriptor."""
    return jsonify(package.descriptor())


def _modified_since(tag: str, last_modified) -> bool:
    """False when the reuser's copy (If-None-Match, else If-Modified-Since) is current."""
    return is_resource_modified(request.environ, etag=tag, last_modified=last_modified)


def _not_modified(tag: str, last_modified) -> Response:
    response = Response(status=304)
    response.set_etag(tag, weak=True)
    response.last_modified = last_modified
    return response


def _download(response: Response, filename: str, tag: str, last_modified) -> Response:
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.set_etag(tag, weak=True)
    response.last_modified = last_modified
    return response


def _checkpoint(checkpoint: LedgerCheckpoint) -> dict:
    return {
        "id": checkpoint.id,
        "tree_size": checkpoint.tree_size,
        "root_hash": checkpoint.root_hash.hex(),
        "signed_at": isoformat(checkpoint.created_at),
        "reason": checkpoint.reason,
        "checkpoint": checkpoint.note,
    }


def _signed_size(consultation) -> int:
    latest = services.latest_checkpoint(consultation.id)
    size = latest.tree_size if latest else services.tree_size(consultation.id)
    if size < 1:
        raise NotFound(_("Le registre de cette consultation est encore vide."))
    return size


@overload
def _integer(name: str, *, minimum: int, required: Literal[True] = True) -> int: ...
@overload
def _integer(name: str, *, minimum: int, required: bool) -> int | None: ...


def _integer(name: str, *, minimum: int, required: bool = True) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        if required:
            raise ValidationFailed(
                _("Paramètre « %(name)s » manquant.", name=name),
                fields={name: _("Nombre entier attendu.")},
            )
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12 or int(raw) < minimum:
        raise ValidationFailed(
            _(
                "Paramètre « %(name)s » invalide : nombre entier d'au moins %(minimum)s attendu.",
                name=name,
                minimum=minimum,
            ),
            fields={name: _("Nombre entier d'au moins %(minimum)s attendu.", minimum=minimum)},
        )
    return int(raw)
