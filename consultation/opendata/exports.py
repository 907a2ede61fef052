"""The consultation's open data beyond the JSON export: the contributions as CSV, and the
version of the exports that conditional requests compare.

`contributions_csv` streams one row per contribution from the same query and the same record
as `export.json` (`opendata.json_export.contributions`), flattened: what the JSON says, the CSV says,
in RFC 4180 with a header row, read in one snapshot, `CHUNK` characters at a time. A text that
a spreadsheet would take for a formula gets a `'` in front (`core.csvsafe`); the JSON keeps it
as written. The same rows also come as the variant French spreadsheets open as they are (`;`,
UTF-8 with a byte-order mark).

`export_version` tells a reuser whether anything in the exports changed since their last
download, from four indexed reads: the size of the tamper-evident record and the time of its
last entry (every contribution, edit, withdrawal, vote, moderation act, erasure and published
synthesis version is one), the latest official answer and the latest change of a follow-up
(neither is in the record), the consultation's own last change and the last change of an
author's public name or profile (`authors_changed`, on `accounts.signals`) — plus its status,
which the clock alone changes at the opening and the closing.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from datetime import datetime

import sqlalchemy as sa

from consultation.consultations.models import Consultation
from consultation.core import clock, csvsafe
from consultation.extensions import db
from consultation.ledger.models import LedgerEntry, LedgerHead
from consultation.opendata import content, json_export
from consultation.participation import kinds
from consultation.participation.models import Contribution
from consultation.synthesis.models import Answer, FollowUp

CHUNK = 64 * 1024

# (column, Table Schema type, French description, how to read it from a contribution record of
# the JSON export)
CONTRIBUTION_COLUMNS = (
    ("id", "integer", "Identifiant (celui de l'API)", lambda r: r["id"]),
    ("tracking_number", "string", "Numéro de suivi public", lambda r: r["tracking_number"]),
    (
        "kind",
        "string",
        f"Type : {kinds.in_words()}",
        lambda r: r["kind"],
    ),
    (
        "article",
        "string",
        "Numéro de l'article visé (vide : le texte entier)",
        lambda r: r["article"],
    ),
    ("paragraph", "integer", "Alinéa visé", lambda r: r["paragraph"]),
    ("position", "string", "Argument : for (pour) ou against (contre)", lambda r: r["position"]),
    (
        "parent",
        "string",
        "Numéro de suivi de la contribution à laquelle elle répond",
        lambda r: r["parent"],
    ),
    ("state", "string", "published, withdrawn (retirée) ou hidden (masquée)", lambda r: r["state"]),
    (
        "hidden_reason",
        "string",
        "Motif de la charte quand elle est masquée",
        lambda r: r["hidden_reason"],
    ),
    ("created_at", "datetime", "Dépôt (ISO 8601, heure de Paris)", lambda r: r["created_at"]),
    ("edited_at", "datetime", "Dernière modification", lambda r: r["edited_at"]),
    (
        "author_type",
        "string",
        "individual, organisation ou offline (observation reçue hors ligne)",
        lambda r: r["author"]["type"],
    ),
    (
        "author_name",
        "string",
        "Nom affiché (pseudonyme admis ; « Participant supprimé » après suppression du compte)",
        lambda r: r["author"]["name"],
    ),
    ("organisation", "string", "Nom de l'organisation", lambda r: r["author"].get("organisation")),
    (
        "organisation_category",
        "string",
        "Catégorie de l'organisation",
        lambda r: r["author"].get("organisation_category"),
    ),
    (
        "hatvp_number",
        "string",
        "Numéro au répertoire des représentants d'intérêts (HATVP)",
        lambda r: r["author"].get("hatvp_number"),
    ),
    (
        "offline_channel",
        "string",
        "Canal d'une observation reçue hors ligne",
        lambda r: r["offline_channel"],
    ),
    ("title", "string", "Titre (vide si retirée ou masquée)", lambda r: r["title"]),
    ("body", "string", "Texte (vide si retirée ou masquée)", lambda r: r["body"]),
    ("proposed_text", "string", "Rédaction proposée (amendement)", lambda r: r["proposed_text"]),
    ("url", "string", "Lien joint", lambda r: r["url"]),
    (
        "paper_url",
        "string",
        "Contribution écrite jointe (PDF) : adresse (vide si retirée ou masquée)",
        lambda r: r["paper"] and r["paper"]["url"],
    ),
    (
        "paper_sha256",
        "string",
        "Contribution écrite jointe (PDF) : SHA-256",
        lambda r: r["paper"] and r["paper"]["sha256"],
    ),
    ("votes_agree", "integer", "Avis d'accord", lambda r: r["votes"]["agree"]),
    ("votes_mixed", "integer", "Avis mitigés", lambda r: r["votes"]["mixed"]),
    ("votes_disagree", "integer", "Avis en désaccord", lambda r: r["votes"]["disagree"]),
    (
        "content_sha256",
        "string",
        "Empreinte des textes, inscrite au registre",
        lambda r: r["content_sha256"],
    ),
    (
        "answer_status",
        "string",
        "Réponse officielle : statut",
        lambda r: r["answer"] and r["answer"]["status"],
    ),
    (
        "answer_body",
        "string",
        "Réponse officielle : texte (vide si la contribution est retirée ou masquée)",
        lambda r: r["answer"] and r["answer"]["body"],
    ),
    (
        "answered_at",
        "datetime",
        "Réponse officielle : date",
        lambda r: r["answer"] and r["answer"]["answered_at"],
    ),
)


def contributions_csv(
    consultation_id: int, csv_format: csvsafe.Format = csvsafe.STANDARD
) -> Iterator[str]:
    """Every contribution of the consultation, oldest first, as CSV text chunks; empty cells
    for what is absent (the texts of a withdrawn or hidden contribution), text cells made safe
    for spreadsheets (`core.csvsafe`). `csv_format`: the standard CSV, or the variant French
    spreadsheet software opens as it is (`csvsafe.FRENCH_SPREADSHEET`), with the same rows."""
    json_export.begin_snapshot()
    buffer = io.StringIO()
    writer = csvsafe.writer(buffer, csv_format)
    writer.writerow(column[0] for column in CONTRIBUTION_COLUMNS)
    for record in json_export.contributions(consultation_id):
        writer.writerow(column[-1](record) for column in CONTRIBUTION_COLUMNS)
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
    db.session.commit()  # nothing was written: this only ends the snapshot


def export_version(consultation: Consultation, now: datetime | None = None) -> tuple[str, datetime]:
    """The exports' entity tag (weak: `generated_at` differs between two downloads of the same
    data) and their last modification."""
    now = now or clock.now()
    size = (
        db.session.scalar(
            sa.select(LedgerHead.size).where(LedgerHead.consultation_id == consultation.id)
        )
        or 0
    )
    last_entry = (
        db.session.scalar(
            sa.select(LedgerEntry.recorded_at).where(
                LedgerEntry.consultation_id == consultation.id,
                LedgerEntry.leaf_index == size - 1,
            )
        )
        if size
        else None
    )
    last_answer = db.session.scalar(
        sa.select(sa.func.max(Answer.updated_at)).where(Answer.consultation_id == consultation.id)
    )
    last_follow_up = db.session.scalar(
        sa.select(sa.func.max(FollowUp.updated_at)).where(
            FollowUp.consultation_id == consultation.id
        )
    )
    moments = [
        moment
        for moment in (
            consultation.updated_at,
            consultation.authors_changed_at,
            last_entry,
            last_answer,
            last_follow_up,
            content.status_changed_at(consultation, now),
        )
        if moment is not None
    ]
    parts = (
        json_export.FORMAT,
        consultation.id,
        size,
        last_answer,
        last_follow_up,
        consultation.updated_at,
        consultation.authors_changed_at,
        consultation.status_at(now).value,
    )
    tag = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return tag, max(moments)


def authors_changed(_sender: object, *, user_id: int, at: datetime) -> None:
    """An author's public name or profile changed (accounts.signals): the exports of every
    consultation they contributed to name them, so their version moves."""
    contributed = sa.select(Contribution.consultation_id).where(Contribution.author_id == user_id)
    db.session.execute(
        sa.update(Consultation)
        .where(Consultation.id.in_(contributed))
        # updated_at is the consultation's own change: left as it is
        .values(authors_changed_at=at, updated_at=Consultation.updated_at)
        .execution_options(synchronize_session=False)
    )
