"""A consultation's complete export, `export.json`, streamed in constant memory.

`document` yields the export's top-level parts as (key, value) pairs; a value that is an
iterator (articles, records, contributions) becomes a JSON array streamed item by item, rows
being read `yield_per` at a time. `stream` turns the parts into JSON text chunks.
`stream_export` reads the whole document in one transaction (REPEATABLE READ on PostgreSQL —
SQLite's read transactions are snapshots already): its text, records, contributions and signed
head describe the same moment. `opendata/schemas.py` is its JSON Schema.

- `licence` (Licence Ouverte 2.0 and its address) and `schema` (the JSON Schema's address);
- `consultation`, `notice`, `text`, `divisions`, `articles` (with their paragraphs, aggregated
  votes and number of contributions) and `moderation` (public figures by charter reason): what
  `ledger.published` and `opendata.content` read, the same as the CSVs of export.zip;
- `documents`: the consultation's documents, every version (`ledger.published.documents`):
  number, version, title, kind, articles, media type, size, SHA-256, erratum note, publication
  instant, hidden or not and why, and the address to download it;
- `ledger`: the signed checkpoint that covers exactly the records exported (`published_head`
  signs one if the record grew since the latest), with the platform's public key;
- `records`: every entry [0, tree_size): index, the exact canonical JSON leaf, its hex hash —
  the only place where individual votes appear, under a per-consultation pseudonym;
- `contributions`: each with its texts — null when it was withdrawn or hidden by moderation,
  a hidden one keeping its reason — and `content_sha256`, the commitment that its latest record
  entry carries; its aggregated votes; and the administration's official `answer` (status,
  text, date) or null. The answer is not part of the record; a withdrawn or hidden
  contribution keeps its answer's status and date, not its text;
- `synthesis`: once a first version is public, every published version (text, change note,
  date, days after the closing) and the follow-ups with their public history; empty before.

`flask ledger verify` and `static/ledger/verify_ledger.py` read `consultation`, `ledger`,
`records` and `contributions` and skip the other parts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from consultation.accounts.models import User
from consultation.consultations.models import Consultation
from consultation.core.clock import isoformat
from consultation.core.db import get_existing
from consultation.core.errors import InvalidState
from consultation.core.urls import external_url
from consultation.extensions import db
from consultation.ledger import published, services, signing
from consultation.ledger.models import LedgerCheckpoint, LedgerEntry
from consultation.opendata import content
from consultation.participation import papers
from consultation.participation import services as participation
from consultation.participation.models import Contribution, ContributionPaper
from consultation.synthesis import documents
from consultation.synthesis.models import Answer
from consultation.texts.models import Article

FORMAT = "consultation-export/2"
BATCH = 1000
CHUNK = 64 * 1024


def stream_export(consultation_id: int, now: datetime) -> Iterator[str]:
    """The export of a consultation as JSON text chunks, read in one snapshot transaction
    begun here — a streamed response runs after its request's transaction has ended — with
    the signed head computed in that same snapshot; the transaction ends with the document."""
    begin_snapshot()
    consultation = get_existing(Consultation, consultation_id)
    head = services.published_head(consultation, now, covering=True)
    if head is None:  # `covering` signs one whenever none covers the whole record
        raise InvalidState("Aucun point de contrôle signé ne couvre le registre.")
    yield from stream(document(consultation, head, now))
    db.session.commit()  # nothing was written: this only ends the snapshot


def begin_snapshot() -> None:
    """Start a transaction that reads one snapshot: on PostgreSQL REPEATABLE READ, which must
    be set before the transaction's first query (what came before is committed first)."""
    if db.session().in_transaction():
        db.session.commit()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def document(
    consultation: Consultation, head: LedgerCheckpoint, now: datetime
) -> Iterator[tuple[str, object]]:
    """The export's parts, in order."""
    version = consultation.current_version
    version_id = version.id if version else None
    yield "format", FORMAT
    yield "licence", content.licence()
    yield "schema", external_url("api.export_schema")
    yield "generated_at", isoformat(now)
    yield "consultation", published.consultation_record(consultation, now)
    yield "notice", published.notice_record(consultation)
    yield "ledger", ledger_head(head)
    yield "text", published.text_record(version)
    yield "divisions", published.divisions(version_id)
    yield "articles", published.articles(version_id)
    yield "documents", published.documents(consultation)
    yield "moderation", content.moderation(consultation)
    yield "records", records(consultation.id, head.tree_size)
    yield "contributions", contributions(consultation.id)
    yield "synthesis", documents.published(consultation)


def ledger_head(head: LedgerCheckpoint) -> dict[str, Any]:
    """The signed checkpoint and what checks it."""
    body = signing.parse_checkpoint(head.note.rsplit("\n\n", 1)[0] + "\n")
    return {
        "origin": body.origin,
        "tree_size": head.tree_size,
        "root_hash": head.root_hash.hex(),
        "checkpoint": head.note,
        "signature": services.signature_of(head),
        "public_key": signing.public_key_base64(),
        "verifier_key": signing.verifier_key(body.origin),
        "signed_at": isoformat(head.created_at),
        "verification": external_url("ledger.verification"),
    }


def records(consultation_id: int, size: int) -> Iterator[dict[str, Any]]:
    """The entries [0, size), in order."""
    entries = LedgerEntry.__table__.c
    rows = db.session.execute(
        sa.select(entries.leaf_index, entries.leaf, entries.leaf_hash)
        .where(entries.consultation_id == consultation_id, entries.leaf_index < size)
        .order_by(entries.leaf_index)
        .execution_options(yield_per=BATCH)
    )
    try:
        for index, leaf, leaf_hash in rows:
            yield {"index": index, "leaf": leaf, "leaf_hash": bytes(leaf_hash).hex()}
    finally:
        rows.close()  # also when the client goes away mid-stream


def contributions(consultation_id: int) -> Iterator[dict[str, Any]]:
    """Every contribution, oldest first; a withdrawn or hidden one without its texts. Plain
    rows, not objects: nothing accumulates in the session."""
    parent = aliased(Contribution)
    c = Contribution
    rows = db.session.execute(
        sa.select(
            c.id,
            c.tracking_number,
            c.kind,
            Article.number.label("article"),
            c.paragraph,
            c.position,
            parent.tracking_number.label("parent"),
            c.offline_channel,
            c.created_at,
            c.edited_at,
            c.withdrawn_at,
            c.hidden_at,
            c.hidden_reason,
            c.title,
            c.body,
            c.proposed_text,
            c.url,
            c.votes_agree,
            c.votes_mixed,
            c.votes_disagree,
            Answer.status.label("answer_status"),
            Answer.body.label("answer_body"),
            Answer.updated_at.label("answered_at"),
            c.offline_author,
            c.author_salt,
            User.display_name.label("author_name"),
            User.profile_type.label("author_type"),
            User.organisation_name,
            User.organisation_category,
            User.hatvp_number,
            Consultation.slug.label("consultation_slug"),
            ContributionPaper.filename.label("paper_name"),
            ContributionPaper.size.label("paper_size"),
            ContributionPaper.sha256.label("paper_sha256"),
        )
        .join(User, User.id == c.author_id)
        .join(Consultation, Consultation.id == c.consultation_id)
        .outerjoin(ContributionPaper, ContributionPaper.contribution_id == c.id)
        .outerjoin(Article, Article.id == c.article_id)
        .outerjoin(parent, parent.id == c.parent_id)
        .outerjoin(Answer, Answer.contribution_id == c.id)
        .where(c.consultation_id == consultation_id)
        .order_by(c.id)
        .execution_options(yield_per=BATCH)
    )
    try:
        for row in rows:
            yield contribution_record(row)
    finally:
        rows.close()


def contribution_record(row: sa.Row[*tuple[Any, ...]]) -> dict[str, Any]:
    """One contribution of the export, from a row of `contributions`' query."""
    texts: dict[str, Any] = dict(
        services.contribution_content(row.title, row.body, row.proposed_text, row.url)
    )
    state = content.contribution_state(row.withdrawn_at, row.hidden_at)
    reason = row.hidden_reason if state == "hidden" else None
    shown = state == "published"
    paper = _paper(row, shown)
    if row.paper_sha256 is not None:
        texts["paper"] = {
            "name": row.paper_name,
            "size": row.paper_size,
            "sha256": row.paper_sha256,
        }
    return {
        "id": row.id,
        "tracking_number": row.tracking_number,
        "kind": row.kind.value,
        "article": row.article,
        "paragraph": row.paragraph,
        "position": row.position.value if row.position else None,
        "parent": row.parent,
        "offline_channel": row.offline_channel.value if row.offline_channel else None,
        "author": author(row),
        "author_salt": row.author_salt,
        "created_at": isoformat(row.created_at),
        "edited_at": isoformat(row.edited_at),
        "state": state,
        "hidden_reason": reason.value if reason else None,
        **{field: (texts[field] if shown else None) for field in services.CONTENT_FIELDS},
        "paper": paper,
        "content_sha256": services.content_digest(texts),
        "votes": {
            "agree": row.votes_agree,
            "mixed": row.votes_mixed,
            "disagree": row.votes_disagree,
        },
        "answer": _answer(row, shown),
    }


def _paper(row: sa.Row[*tuple[Any, ...]], shown: bool) -> dict[str, Any] | None:
    """The position paper of a row of `contributions`' query (`papers.published`): a link with
    its name, size and SHA-256; of a withdrawn or hidden contribution, its SHA-256 only (None:
    no paper)."""
    if row.paper_sha256 is None:
        return None
    facts = papers.PaperFacts(row.id, row.paper_name, row.paper_size, row.paper_sha256)
    return papers.published(row.id, row.consultation_slug, facts, withheld=not shown)


def author(row: sa.Row[*tuple[Any, ...]]) -> dict[str, Any]:
    """Who wrote it (`participation.services.public_author`, as the record states it)."""
    return participation.public_author(
        offline_channel=row.offline_channel,
        offline_author=row.offline_author,
        profile_type=row.author_type,
        display_name=row.author_name,
        organisation_name=row.organisation_name,
        organisation_category=row.organisation_category,
        hatvp_number=row.hatvp_number,
    )


def _answer(row: sa.Row[*tuple[Any, ...]], shown: bool) -> dict[str, Any] | None:
    """The official answer of a row of `contributions`' query, or None."""
    if row.answer_status is None:
        return None
    return {
        "status": row.answer_status.value,
        "label": row.answer_status.label_fr,
        "body": row.answer_body if shown else None,
        "answered_at": isoformat(row.answered_at),
    }


def stream(parts: Iterable[tuple[str, object]]) -> Iterator[str]:
    """JSON text of an object whose values may be iterators (streamed as arrays), in chunks
    of about CHUNK characters."""
    buffer: list[str] = []
    size = 0

    def emit(text: str) -> None:
        nonlocal size
        buffer.append(text)
        size += len(text)

    emit("{")
    for position, (key, value) in enumerate(parts):
        emit(("," if position else "") + json.dumps(key) + ":")
        if isinstance(value, Iterator):
            emit("[")
            for n, item in enumerate(value):
                emit(("," if n else "") + _dumps(item))
                if size >= CHUNK:
                    yield "".join(buffer)
                    buffer.clear()
                    size = 0
            emit("]")
        else:
            emit(_dumps(value))
    emit("}\n")
    yield "".join(buffer)


# One encoder for the whole export: json.dumps with options builds a new one per call, which
# was a tenth of the export's time over 1.7 million items at RN×10.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _dumps(value: object) -> str:
    return _ENCODER.encode(value)
