"""The tamper-evident record of each consultation (SPEC §6).

**Appending.** Every act that `core.journal` announces (a contribution, an edit, a withdrawal,
a vote or its change or withdrawal, a moderation decision) becomes the next entry of its
consultation's record, in the transaction of the act itself: a rolled-back act leaves no
entry and no gap. `append` flushes the pending changes (the act's own row locks come first),
then runs two statements: an upsert that adds one to the consultation's head and returns the
new size — it keeps the head row locked until the transaction ends, so that appends to one
consultation queue there and each gets the next index — and the insert of the entry.

**The leaf** of entry n is the canonical JSON (`canonical_json`) of

    {"at": "<UTC, ISO 8601, microseconds, Z>", "consultation": "<slug>", "data": {…},
     "index": n, "kind": "<contribution|edit|withdrawal|vote|moderation|…>", "v": 1}

where `data` is the act's public data. A participant appears only as a pseudonym (`pseudonym`:
HMAC-SHA256 of the consultation and user ids under a key derived from SECRET_KEY, 24 hex
digits), and only in votes: a contribution is public under its author's name, and its entries
carry no pseudonym so that nobody can link a named author to their votes. A participant's text
appears only as `content_sha256`, the SHA-256 of the canonical JSON of {title, body,
proposed_text, url}: an export may leave out a withdrawn or hidden text and still be checked.
The leaf hash is SHA-256(0x00 || UTF-8 leaf), as `merkle` builds the tree.

**Checkpoints** are signed tree heads (`signing`), all kept. One is due (`due_reason`) when the
consultation opens, every hour while it is open, at closing, and after closing whenever the
record grew (moderation, late offline observations). `flask ledger checkpoint`, run from cron
every few minutes, makes the due ones; the API makes one lazily when it is due, and the export
makes one covering every entry it carries.
"""

from __future__ import annotations

import base64
import functools
import hmac
import logging
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, cast
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite

from consultation.consultations.constants import Status
from consultation.consultations.models import Consultation
from consultation.core import canonical
from consultation.core.canonical import canonical_json
from consultation.core.db import get_existing
from consultation.core.errors import ValidationFailed
from consultation.core.i18n import number
from consultation.core.journal import Receipt
from consultation.core.plurals import ngettext
from consultation.extensions import db
from consultation.ledger import facts, merkle, signing
from consultation.ledger.models import LedgerCheckpoint, LedgerEntry, LedgerHead

logger = logging.getLogger(__name__)

LEAF_VERSION = 1
CONTENT_FIELDS = ("title", "body", "proposed_text", "url")
HOURLY = timedelta(hours=1)
ENTRIES_PAGE_MAX = 1000
ENTRIES_PAGE = 100  # entries given when the request names no end

# A declarative model's __table__ is its Table (typed as any FromClause).
_entries = cast(sa.Table, LedgerEntry.__table__)
_heads = cast(sa.Table, LedgerHead.__table__)
_checkpoints = cast(sa.Table, LedgerCheckpoint.__table__)


class LedgerDamaged(RuntimeError):
    """The stored record has a gap: something removed entries behind the triggers' back."""


# --- Canonical form --------------------------------------------------------------------------


def content_digest(content: dict[str, str]) -> str:
    """Hex SHA-256 of the canonical JSON of a contribution's texts."""
    return canonical.digest(content)


def contribution_content(
    title: str | None, body: str | None, proposed_text: str | None, url: str | None
) -> dict[str, str]:
    """The texts of a contribution as the record commits to them ("" when absent)."""
    return {
        "title": title or "",
        "body": body or "",
        "proposed_text": proposed_text or "",
        "url": url or "",
    }


def timestamp(moment: datetime) -> str:
    """UTC, ISO 8601 with microseconds and Z: one text per instant."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def pseudonym(consultation_id: int, user_id: int) -> str:
    """A participant's pseudonym in one consultation: stable there, unlinkable across
    consultations and to the account without SECRET_KEY."""
    message = f"{consultation_id}:{user_id}".encode()
    key = _pseudonym_key(current_app.config["SECRET_KEY"])
    return hmac.digest(key, message, "sha256").hex()[:24]


@functools.lru_cache(maxsize=4)
def _pseudonym_key(secret: str) -> bytes:
    """HMAC-SHA256 of a fixed label under SECRET_KEY: the key of the pseudonyms."""
    return hmac.digest(secret.encode(), b"consultation/ledger/pseudonym", "sha256")


def leaf_text(slug: str, index: int, kind: str, at: datetime, data: dict[str, Any]) -> str:
    return canonical_json(
        {
            "at": timestamp(at),
            "consultation": slug,
            "data": data,
            "index": index,
            "kind": kind,
            "v": LEAF_VERSION,
        }
    )


# --- Appending -------------------------------------------------------------------------------


def append(consultation_id: int, kind: str, at: datetime, **data: Any) -> Receipt:
    """Append an act to the consultation's record in the current transaction; its receipt.

    `data` as `core.journal.record` takes it (`participant_id` and `content` are replaced by
    a pseudonym and a commitment). Raises TypeError for data without a canonical form.
    """
    db.session.flush()
    consultation = get_existing(Consultation, consultation_id)
    size = db.session.execute(
        _head_upsert(), {"consultation_id": consultation_id, "delta": 1}
    ).scalar_one()
    row = entry_row(consultation_id, consultation.slug, size - 1, kind, at, data)
    db.session.execute(_entries.insert(), row)
    return Receipt(row["leaf_index"], row["leaf_hash"].hex())


def entry_row(
    consultation_id: int, slug: str, index: int, kind: str, at: datetime, data: dict[str, Any]
) -> dict[str, Any]:
    """The `ledger_entries` row that records an act as entry `index`: its canonical leaf,
    the leaf hash and, for a submission, the contribution's tracking number. `data` as
    `append` takes it. What `append` inserts; bench/generate.py bulk-loads the same rows."""
    public = _public_data(consultation_id, data)
    leaf = leaf_text(slug, index, kind, at, public)
    return {
        "consultation_id": consultation_id,
        "leaf_index": index,
        "kind": kind,
        "leaf": leaf,
        "leaf_hash": merkle.leaf_hash(leaf.encode()),
        "recorded_at": at,
        "tracking_number": public.get("contribution") if kind == "contribution" else None,
    }


def _public_data(consultation_id: int, data: dict[str, Any]) -> dict[str, Any]:
    public: dict[str, Any] = {
        key: timestamp(value) if isinstance(value, datetime) else value
        for key, value in data.items()
    }
    participant_id = public.pop("participant_id", None)
    if participant_id is not None:
        public["participant"] = pseudonym(consultation_id, participant_id)
    content = public.pop("content", None)
    if content is not None:
        public["content_sha256"] = content_digest(content)
    return public


_UPSERTS: dict[str, sa.Executable] = {}


def _head_upsert() -> sa.Executable:
    """INSERT … ON CONFLICT DO UPDATE SET size = size + :delta RETURNING size: one statement
    that creates or moves the head and locks its row (delta 0 only locks it)."""
    dialect = db.session.get_bind().dialect.name
    if dialect not in _UPSERTS:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(_heads).values(
            consultation_id=sa.bindparam("consultation_id"), size=sa.bindparam("delta")
        )
        _UPSERTS[dialect] = statement.on_conflict_do_update(
            index_elements=[_heads.c.consultation_id],
            set_={"size": _heads.c.size + statement.excluded.size},
        ).returning(_heads.c.size)
    return _UPSERTS[dialect]


def receipt_for(tracking_number: str) -> Receipt | None:
    """The receipt of a contribution: the entry that recorded its submission."""
    row = db.session.execute(
        sa.select(_entries.c.leaf_index, _entries.c.leaf_hash).where(
            _entries.c.tracking_number == tracking_number
        )
    ).one_or_none()
    return Receipt(row.leaf_index, bytes(row.leaf_hash).hex()) if row else None


def _on_act(
    _sender: object, *, consultation_id: int, kind: str, at: datetime, data: dict[str, Any]
) -> Receipt:
    if kind == "publication":
        data = facts.publication_data(get_existing(Consultation, consultation_id)) | data
    elif kind == "follow_up":
        consultation = get_existing(Consultation, consultation_id)
        data = facts.follow_up_data(consultation, data["follow_up"])
    elif kind == "document":
        consultation = get_existing(Consultation, consultation_id)
        data = facts.document_data(consultation, data["action"], data["document"])
    return append(consultation_id, kind, at, **data)


def _on_receipt(_sender: object, *, tracking_number: str) -> Receipt | None:
    return receipt_for(tracking_number)


# --- Reading ---------------------------------------------------------------------------------


def tree_size(consultation_id: int) -> int:
    """How many entries the consultation's record holds now."""
    size = db.session.scalar(
        sa.select(_heads.c.size).where(_heads.c.consultation_id == consultation_id)
    )
    return size or 0


def latest_checkpoint(consultation_id: int) -> LedgerCheckpoint | None:
    return db.session.scalar(
        sa.select(LedgerCheckpoint)
        .where(LedgerCheckpoint.consultation_id == consultation_id)
        .order_by(LedgerCheckpoint.id.desc())
        .limit(1)
    )


CHECKPOINTS_PAGE = 100


def checkpoints_page(
    consultation_id: int, before: int | None = None, limit: int = CHECKPOINTS_PAGE
) -> tuple[list[LedgerCheckpoint], int | None]:
    """Checkpoints newest first, `limit` at a time, and the id to continue before."""
    query = sa.select(LedgerCheckpoint).where(LedgerCheckpoint.consultation_id == consultation_id)
    if before is not None:
        query = query.where(LedgerCheckpoint.id < before)
    rows = list(db.session.scalars(query.order_by(LedgerCheckpoint.id.desc()).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].id if more else None)


def leaf_hashes(consultation_id: int, size: int, start: int = 0) -> list[bytes]:
    """The leaf hashes of entries [start, size), in order. Reads every one of them: a proof
    costs one pass over the record (32 bytes an entry). Raises LedgerDamaged on a gap."""
    return list(iter_leaf_hashes(consultation_id, size, start))


def iter_leaf_hashes(consultation_id: int, size: int, start: int = 0) -> Iterator[bytes]:
    """`leaf_hashes` one at a time, read `yield_per` rows at a time: what a checkpoint folds
    onto its frontier in constant memory. Raises LedgerDamaged on a gap."""
    rows = db.session.execute(
        sa.select(_entries.c.leaf_index, _entries.c.leaf_hash)
        .where(
            _entries.c.consultation_id == consultation_id,
            _entries.c.leaf_index >= start,
            _entries.c.leaf_index < size,
        )
        .order_by(_entries.c.leaf_index)
        .execution_options(yield_per=5000)
    )
    expected = start
    with rows:
        for index, digest in rows:
            if index != expected:
                raise LedgerDamaged(f"consultation {consultation_id}: entry {expected} is missing")
            yield bytes(digest)
            expected += 1
    if expected != size:
        raise LedgerDamaged(f"consultation {consultation_id}: entries end before {size}")


def entries(
    consultation: Consultation, start: int, end: int | None
) -> tuple[int, Sequence[sa.Row[int, str, bytes]]]:
    """The record's size and its entries [start, end) (at most ENTRIES_PAGE_MAX; `end`
    defaults to ENTRIES_PAGE entries further). Raises ValidationFailed for a range outside the record."""
    size = tree_size(consultation.id)
    end = min(size, start + ENTRIES_PAGE) if end is None else end
    if start < 0 or start > size:
        raise ValidationFailed(
            ngettext(
                "Début hors du registre, qui compte %(num)s entrée.",
                "Début hors du registre, qui compte %(num)s entrées.",
                size,
            )
            % {"num": size},
            fields={"start": _("Entre %(low)s et %(high)s.", low=0, high=size)},
        )
    if end < start or end > size:
        raise ValidationFailed(
            ngettext(
                "Fin hors du registre, qui compte %(num)s entrée.",
                "Fin hors du registre, qui compte %(num)s entrées.",
                size,
            )
            % {"num": size},
            fields={"end": _("Entre %(low)s et %(high)s.", low=start, high=size)},
        )
    if end - start > ENTRIES_PAGE_MAX:
        raise ValidationFailed(
            _("%(n)s entrées au plus par requête.", n=number(ENTRIES_PAGE_MAX)),
            fields={"end": _("Au plus %(n)s.", n=number(start + ENTRIES_PAGE_MAX))},
        )
    rows = db.session.execute(
        sa.select(_entries.c.leaf_index, _entries.c.leaf, _entries.c.leaf_hash)
        .where(
            _entries.c.consultation_id == consultation.id,
            _entries.c.leaf_index >= start,
            _entries.c.leaf_index < end,
        )
        .order_by(_entries.c.leaf_index)
    ).all()
    return size, rows


def inclusion(consultation: Consultation, index: int, size: int) -> dict[str, Any]:
    """Inclusion proof of entry `index` in the tree of the first `size` entries.
    Raises ValidationFailed when the entry or the size lies outside the record."""
    current = tree_size(consultation.id)
    if not 1 <= size <= current:
        raise ValidationFailed(
            ngettext(
                "Taille d'arbre hors du registre, qui compte %(num)s entrée.",
                "Taille d'arbre hors du registre, qui compte %(num)s entrées.",
                current,
            )
            % {"num": current},
            fields={"tree_size": _("Entre %(low)s et %(high)s.", low=1, high=current)},
        )
    if not 0 <= index < size:
        raise ValidationFailed(
            _("Cette entrée n'appartient pas à l'arbre de cette taille."),
            fields={"index": _("Entre %(low)s et %(high)s.", low=0, high=size - 1)},
        )
    hashes = leaf_hashes(consultation.id, size)
    return {
        "index": index,
        "tree_size": size,
        "leaf_hash": hashes[index].hex(),
        "root_hash": merkle.root(hashes).hex(),
        "proof": [node.hex() for node in merkle.inclusion_proof(hashes, index)],
    }


def consistency(consultation: Consultation, first: int, second: int) -> dict[str, Any]:
    """Consistency proof that the tree of `first` entries is a prefix of that of `second`.
    Raises ValidationFailed unless 1 <= first <= second <= the record's size."""
    current = tree_size(consultation.id)
    if not 1 <= second <= current:
        raise ValidationFailed(
            ngettext(
                "Taille d'arbre hors du registre, qui compte %(num)s entrée.",
                "Taille d'arbre hors du registre, qui compte %(num)s entrées.",
                current,
            )
            % {"num": current},
            fields={"second": _("Entre %(low)s et %(high)s.", low=1, high=current)},
        )
    if not 1 <= first <= second:
        raise ValidationFailed(
            _("La première taille doit être comprise entre 1 et la seconde."),
            fields={"first": _("Entre %(low)s et %(high)s.", low=1, high=second)},
        )
    hashes = leaf_hashes(consultation.id, second)
    return {
        "first": first,
        "second": second,
        "first_root_hash": merkle.root(hashes[:first]).hex(),
        "second_root_hash": merkle.root(hashes).hex(),
        "proof": [node.hex() for node in merkle.consistency_proof(hashes, first)],
    }


# --- Checkpoints -----------------------------------------------------------------------------


def origin(consultation: Consultation) -> str:
    """The log's name: '<host of BASE_URL>/consultations/<slug>' (also the key name)."""
    host = urlsplit(current_app.config["BASE_URL"]).netloc or "localhost"
    return f"{host}/consultations/{consultation.slug}"


def due_reason(
    consultation: Consultation, latest: LedgerCheckpoint | None, size: int, now: datetime
) -> str | None:
    """Why a checkpoint is due now, or None: at opening, hourly while open, at closing, and
    after closing when the record grew since the last one. Nothing before opening."""
    status = consultation.status_at(now)
    if status in (Status.draft, Status.scheduled):
        return None
    if latest is None:
        return "opening" if status is Status.open else "closing"
    _opens_at, closes_at = consultation.dates()  # published: opened or closed
    if latest.created_at < closes_at <= now:
        return "closing"
    if status is Status.open:
        return "hourly" if now - latest.created_at >= HOURLY else None
    return "update" if size != latest.tree_size else None


def make_checkpoint(consultation: Consultation, now: datetime, reason: str) -> LedgerCheckpoint:
    """Sign and keep the head of the consultation's record as it is now, in the current
    transaction (the head row stays locked until commit). Raises LedgerKeyMissing."""
    size = db.session.execute(
        _head_upsert(), {"consultation_id": consultation.id, "delta": 0}
    ).scalar_one()
    checkpoint = LedgerCheckpoint(
        **_checkpoint_values(consultation, latest_checkpoint(consultation.id), size, now, reason)
    )
    db.session.add(checkpoint)
    db.session.flush()
    logger.info(
        "ledger checkpoint: consultation=%s size=%s reason=%s", consultation.id, size, reason
    )
    return checkpoint


def checkpoint_if_due(consultation: Consultation, now: datetime) -> LedgerCheckpoint | None:
    """The checkpoint `due_reason` asks for, made in the current transaction; None if none is
    due. For the cron command."""
    reason = due_reason(
        consultation, latest_checkpoint(consultation.id), tree_size(consultation.id), now
    )
    return make_checkpoint(consultation, now, reason) if reason else None


def published_head(
    consultation: Consultation, now: datetime, *, covering: bool = False
) -> LedgerCheckpoint | None:
    """The latest checkpoint, made first if one is due — or, with `covering`, if the record
    grew since the latest (an export signs everything it carries).

    For read requests: the tree is hashed from what this transaction sees, and the new
    checkpoint is kept through a short transaction of its own (a GET's transaction reads; on
    SQLite it may not turn into a write). Raises LedgerKeyMissing when one must be signed.
    """
    latest = latest_checkpoint(consultation.id)
    size = tree_size(consultation.id)
    reason = due_reason(consultation, latest, size, now)
    if reason is None and covering and (latest is None or latest.tree_size != size):
        reason = "export"
    if reason is None:
        return latest
    values = _checkpoint_values(consultation, latest, size, now, reason)
    with db.engine.begin() as connection:
        new_id = connection.execute(
            _checkpoints.insert().values(**values).returning(_checkpoints.c.id)
        ).scalar_one()
    logger.info(
        "ledger checkpoint: consultation=%s size=%s reason=%s", consultation.id, size, reason
    )
    return LedgerCheckpoint(id=new_id, **values)


def _checkpoint_values(
    consultation: Consultation,
    latest: LedgerCheckpoint | None,
    size: int,
    now: datetime,
    reason: str,
) -> dict[str, Any]:
    if latest is not None and latest.tree_size <= size:
        start, frontier = latest.tree_size, merkle.unpack(latest.frontier)
    else:
        start, frontier = 0, []
    for index, digest in enumerate(iter_leaf_hashes(consultation.id, size, start), start):
        frontier = merkle.frontier_append(frontier, index, digest)
    root_hash = merkle.frontier_root(frontier)
    name = origin(consultation)
    note = signing.sign_note(signing.checkpoint_text(name, size, root_hash, now), name)
    return {
        "consultation_id": consultation.id,
        "tree_size": size,
        "root_hash": root_hash,
        "frontier": merkle.pack(frontier),
        "note": note,
        "reason": reason,
        "created_at": now,
    }


def signature_of(checkpoint: LedgerCheckpoint) -> str:
    """Base64 of the 64-byte Ed25519 signature of the checkpoint's text."""
    blob = checkpoint.note.rstrip("\n").rsplit(" ", 1)[1]
    return base64.b64encode(base64.b64decode(blob)[4:]).decode()
