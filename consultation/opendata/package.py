"""The consultation as a data package: one CSV per entity in a ZIP, streamed.

`export.zip` holds, in this order, `consultation.csv` and `notice.csv` (one row each),
`divisions.csv`, `articles.csv`, `paragraphs.csv`, `documents.csv` (the text's documents,
every version), `article_votes.csv` (aggregated),
`contributions.csv` (the same as `export.csv`), `contribution_votes.csv` (aggregated),
`answers.csv`, `moderation.csv` (figures by charter reason), `synthesis_versions.csv`,
`follow_ups.csv` and `follow_up_events.csv` (empty until a first version is public) and
`ledger.csv` (every record of the tamper-evident record, with its hash: the only place where
individual votes appear, under a per-consultation pseudonym), plus `datapackage.json` (a
Frictionless Data Package: a Table Schema per file, French descriptions, keys), `README.md` and
`LICENCE`. The rows come from the same functions as `export.json`'s (`ledger.published`,
`opendata.content`, `opendata.json_export`), so that both say the same thing.

The ZIP is written as it is sent: `zipfile` on a pipe that cannot seek writes each member's
sizes and checksum after its data (data descriptors, ZIP64 when needed), so no file is ever
held whole — memory stays what one chunk of rows takes, whatever the consultation's size. The
rows are read in one snapshot (`opendata.json_export.begin_snapshot`), as `export.json`'s are.
"""

from __future__ import annotations

import io
import json
import textwrap
import zipfile
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from consultation.consultations.models import Consultation
from consultation.consultations.services import (
    NOTICE_BOOL_FIELDS,
    NOTICE_DATE_FIELDS,
    NOTICE_FIELDS,
    NOTICE_INT_FIELDS,
)
from consultation.core import csvsafe
from consultation.core.clock import isoformat
from consultation.core.db import get_existing
from consultation.core.urls import external_url
from consultation.extensions import db
from consultation.ledger import published
from consultation.ledger.models import LedgerEntry
from consultation.opendata import content, exports, json_export
from consultation.opendata.content import LICENCE_NAME, LICENCE_URL
from consultation.synthesis import documents

CHUNK = 256 * 1024
# Fast deflate: the CSVs shrink about fivefold all the same, at a fraction of the default's time.
COMPRESSION = 1
WHEN = "ISO 8601, heure de Paris"
# Tables whose rows `_tables` gives as CSV lines already (see `_ledger_rows`).
WRITTEN_AS_LINES = {"ledger"}


def _notice_type(field: str) -> str:
    if field in NOTICE_BOOL_FIELDS:
        return "boolean"
    if field in NOTICE_DATE_FIELDS:
        return "date"
    return "integer" if field in NOTICE_INT_FIELDS else "string"


VOTES = [
    ("agree", "integer", "Avis d'accord"),
    ("mixed", "integer", "Avis mitigés"),
    ("disagree", "integer", "Avis en désaccord"),
]

# Each file: its Table Schema fields (name, type, French description), in the CSV's order.
TABLES: dict[str, list[tuple[str, str, str]]] = {
    "consultation": [
        ("slug", "string", "Identifiant stable de la consultation"),
        ("title", "string", "Titre"),
        ("summary", "string", "Résumé"),
        ("status", "string", "État à la date de l'export : open, closed, synthesis_published…"),
        ("institution", "string", "Institution organisatrice"),
        ("legal_basis", "string", "Base légale (code)"),
        ("legal_basis_reference", "string", "Texte qui prévoit la consultation"),
        ("published_at", "datetime", f"Mise en ligne ({WHEN})"),
        ("opens_at", "datetime", f"Ouverture ({WHEN})"),
        ("closes_at", "datetime", f"Clôture ({WHEN})"),
        ("synthesis_published_at", "datetime", f"Première publication de la synthèse ({WHEN})"),
        ("text_sha256", "string", "Empreinte SHA-256 du texte consulté"),
        ("url", "string", "Adresse de la consultation"),
    ],
    "notice": [(field, _notice_type(field), label) for field, label in NOTICE_FIELDS.items()],
    "divisions": [
        ("id", "integer", "Identifiant de la division"),
        ("parent_id", "integer", "Division qui la contient (divisions.csv)"),
        ("position", "integer", "Rang dans le texte"),
        ("depth", "integer", "Profondeur (0 : premier niveau)"),
        ("kind", "string", "Nature : titre, chapitre, section…"),
        ("label", "string", "Intitulé court (« Chapitre II »)"),
        ("title", "string", "Titre"),
        ("intro", "string", "Texte d'introduction, un alinéa par ligne"),
    ],
    "articles": [
        ("id", "integer", "Identifiant de l'article"),
        ("division_id", "integer", "Division qui le contient (divisions.csv)"),
        ("position", "integer", "Rang dans le texte"),
        ("number", "string", "Numéro (« 1er », « L. 123-4 »…)"),
        ("slug", "string", "Adresse de l'article dans la consultation"),
        ("label", "string", "Intitulé court (« Article 1er »)"),
        ("title", "string", "Intitulé"),
        ("contributions_count", "integer", "Contributions sur l'article, retirées comprises"),
    ],
    "paragraphs": [
        ("article_id", "integer", "Article (articles.csv)"),
        ("number", "integer", "Numéro de l'alinéa"),
        ("text", "string", "Texte de l'alinéa"),
    ],
    "documents": [
        ("id", "integer", "Identifiant de cette version du document"),
        ("number", "integer", "Numéro du document (ses versions le partagent)"),
        ("version", "integer", "Version (1 : publiée avec le texte ; au-delà : erratum)"),
        ("title", "string", "Titre"),
        (
            "kind",
            "string",
            "explanatory_memorandum, impact_study, opinion, annex ou other",
        ),
        ("kind_label", "string", "Nature en clair"),
        ("articles", "array", "Numéros des articles concernés (tableau JSON)"),
        ("media_type", "string", "Type du fichier, lu dans son contenu"),
        ("size", "integer", "Taille en octets"),
        ("sha256", "string", "Empreinte SHA-256 du fichier (hexadécimal)"),
        ("note", "string", "Note de l'erratum (vide pour une version publiée avec le texte)"),
        ("published_at", "datetime", f"Publication ({WHEN})"),
        ("hidden", "boolean", "Version masquée (plus diffusée)"),
        ("hidden_reason", "string", "Motif du masquage"),
        ("filename", "string", "Nom du fichier"),
        ("url", "string", "Adresse de téléchargement (vide si masquée)"),
    ],
    "article_votes": [("article_id", "integer", "Article (articles.csv)"), *VOTES],
    "contributions": [
        (name, kind, description) for name, kind, description, _read in exports.CONTRIBUTION_COLUMNS
    ],
    "contribution_votes": [
        ("tracking_number", "string", "Contribution (contributions.csv)"),
        *VOTES,
    ],
    "answers": [
        ("tracking_number", "string", "Contribution (contributions.csv)"),
        (
            "status",
            "string",
            "retained, partially_retained, not_retained, under_study ou out_of_scope",
        ),
        ("label", "string", "Statut en clair"),
        ("body", "string", "Texte de la réponse (vide si la contribution est retirée ou masquée)"),
        ("first_answered_at", "datetime", f"Première réponse ({WHEN})"),
        ("answered_at", "datetime", f"Dernière modification de la réponse ({WHEN})"),
    ],
    "moderation": [
        ("reason", "string", "Motif de la charte (code)"),
        ("label", "string", "Motif"),
        ("reports", "integer", "Signalements reçus pour ce motif"),
        ("hidden", "integer", "Contributions masquées pour ce motif"),
    ],
    "synthesis_versions": [
        ("number", "integer", "Numéro de la version publiée"),
        ("published_at", "datetime", f"Publication ({WHEN})"),
        ("published_days_after_closing", "integer", "Jours calendaires après la clôture"),
        ("change_note", "string", "Ce qui a changé depuis la version précédente"),
        ("body", "string", "Texte de la synthèse (Markdown)"),
        ("observations_considered", "string", "Observations prises en compte"),
        ("reasons_url", "string", "Déclaration des motifs"),
    ],
    "follow_ups": [
        ("id", "integer", "Identifiant de la suite envisagée"),
        ("title", "string", "Titre"),
        ("description", "string", "Description"),
        ("due_date", "date", "Échéance annoncée"),
        ("status", "string", "announced, in_progress, done ou abandoned"),
        ("status_label", "string", "Statut en clair"),
        ("url", "string", "Lien"),
        ("article_ids", "array", "Articles concernés (articles.csv, tableau JSON)"),
        ("contribution_ids", "array", "Contributions retenues liées (contributions.csv, id)"),
    ],
    "follow_up_events": [
        ("follow_up_id", "integer", "Suite envisagée (follow_ups.csv)"),
        ("kind", "string", "created (annonce) ou changed (changement)"),
        ("at", "datetime", f"Date du changement ({WHEN})"),
        ("changes", "object", "Champs changés : {champ: [avant, après]} (JSON)"),
        ("note", "string", "Note publique accompagnant le changement"),
    ],
    "ledger": [
        ("index", "integer", "Rang de l'enregistrement dans le registre"),
        ("kind", "string", "Nature de l'acte : contribution, edit, withdrawal, vote, moderation…"),
        (
            "leaf",
            "string",
            "Enregistrement (JSON canonique) tel qu'inscrit ; un vote y figure sous le pseudonyme du participant propre à cette consultation",
        ),
        ("leaf_hash", "string", "Empreinte de l'enregistrement (RFC 9162, hexadécimal)"),
    ],
}


def _refers(field: str, resource: str, key: str) -> dict[str, Any]:
    return {"fields": [field], "reference": {"resource": resource, "fields": [key]}}


KEYS: dict[str, dict[str, Any]] = {
    "divisions": {"primaryKey": ["id"], "foreignKeys": [_refers("parent_id", "divisions", "id")]},
    "articles": {
        "primaryKey": ["id"],
        "foreignKeys": [_refers("division_id", "divisions", "id")],
    },
    "paragraphs": {
        "primaryKey": ["article_id", "number"],
        "foreignKeys": [_refers("article_id", "articles", "id")],
    },
    "article_votes": {
        "primaryKey": ["article_id"],
        "foreignKeys": [_refers("article_id", "articles", "id")],
    },
    "contributions": {"primaryKey": ["tracking_number"]},
    "contribution_votes": {
        "primaryKey": ["tracking_number"],
        "foreignKeys": [_refers("tracking_number", "contributions", "tracking_number")],
    },
    "answers": {
        "primaryKey": ["tracking_number"],
        "foreignKeys": [_refers("tracking_number", "contributions", "tracking_number")],
    },
    "moderation": {"primaryKey": ["reason"]},
    "synthesis_versions": {"primaryKey": ["number"]},
    "follow_ups": {"primaryKey": ["id"]},
    "follow_up_events": {"foreignKeys": [_refers("follow_up_id", "follow_ups", "id")]},
    "ledger": {"primaryKey": ["index"]},
}

# How the CSVs keep spreadsheets from running what a participant wrote (`core.csvsafe`): said in
# the README of the ZIP and in datapackage.json.
SPREADSHEET_SAFE = (
    "Protection des tableurs : une cellule de texte qui commence par =, +, -, @, une "
    "tabulation ou un retour chariot reçoit une apostrophe (') en tête, pour qu'un tableur "
    "l'affiche comme du texte au lieu de l'exécuter comme une formule (recommandation de "
    "l'OWASP, « CSV Injection ») ; une cellule qui commençait déjà par des apostrophes suivies "
    "d'un de ces caractères en reçoit une de plus. Pour retrouver le texte exact, retirez la "
    "première apostrophe de toute cellule qui commence par une ou plusieurs apostrophes suivies "
    "d'un de ces caractères ; export.json donne les textes tels qu'ils ont été écrits. Les "
    "nombres restent des nombres."
)

README = """# Données de la consultation « {title} »

Export de la consultation {url}, produit le {generated_at}.
Licence : {licence_name}, {licence} — réutilisation libre, y compris commerciale, en
mentionnant la source (la plateforme et l'institution organisatrice) et la date de l'export.

| fichier | contenu |
|---|---|
| consultation.csv | la consultation : titre, état, institution, base légale, dates, empreinte du texte |
| notice.csv | les modalités publiées avec la consultation (objet, organisateur, charte…) |
| divisions.csv | les titres, chapitres et sections du texte consulté |
| articles.csv | les articles du texte consulté et leur nombre de contributions |
| paragraphs.csv | les alinéas de chaque article |
| documents.csv | les documents joints au texte (exposé des motifs, étude d'impact, avis, annexes), chaque version avec sa taille et son empreinte SHA-256 |
| article_votes.csv | les avis sur chaque article : d'accord, mitigé, pas d'accord (totaux) |
| contributions.csv | une ligne par contribution : type, article, auteur (nom affiché et type ; organisation et numéro HATVP), texte, avis, réponse officielle ; une contribution retirée ou masquée n'a pas de texte, une contribution masquée a son motif |
| contribution_votes.csv | les avis sur chaque contribution (totaux) |
| answers.csv | les réponses officielles de l'administration ; à une contribution retirée ou masquée, le statut de la réponse sans son texte |
| moderation.csv | signalements et contributions masquées, par motif de la charte |
| synthesis_versions.csv | les versions publiées de la synthèse (vide avant la première) |
| follow_ups.csv | les suites envisagées (vide avant la publication de la synthèse) |
| follow_up_events.csv | l'historique public des changements de chaque suite |
| ledger.csv | le registre infalsifiable : chaque enregistrement et son empreinte |
| datapackage.json | la description de chaque fichier (Table Schema : champs, types, clés) |

Les fichiers sont en UTF-8, au format CSV de la RFC 4180 (virgule, guillemets doubles, une
ligne d'en-tête) ; les dates sont en ISO 8601 avec le décalage horaire de Paris.

{spreadsheet_safe}

Aucune donnée personnelle : ni adresse e-mail, ni adresse IP, ni numéro de compte. Les
auteurs figurent sous leur nom affiché (un pseudonyme est admis ; « Participant supprimé »
après la suppression d'un compte) et leur type. Les votes individuels ne figurent que dans le
registre, sous un pseudonyme propre à cette consultation, qui ne permet pas de relier un
participant d'une consultation à l'autre.

## Vérifier le registre

Le registre est un arbre de Merkle (RFC 9162) dont la plateforme signe régulièrement la racine.
Pour vérifier qu'aucun enregistrement n'a été modifié ni supprimé, téléchargez l'export
complet {export_json} (il porte la racine signée et la clé publique) et suivez la
procédure décrite sur {verification} : le script `verify_ledger.py` qui y est proposé
(`python3 verify_ledger.py export.json --public-key CLÉ` ; Python et le paquet
`cryptography` suffisent) dit si l'export est conforme ou nomme l'enregistrement en cause.
"""

LICENCE = (
    "Licence Ouverte / Open Licence version 2.0 (Etalab)\n"
    f"{LICENCE_URL}\n\n"
    "Réutilisation libre, y compris commerciale, sous réserve de mentionner la source\n"
    "(la plateforme de consultation et l'institution organisatrice) et la date de mise à jour.\n"
)


def descriptor(consultation: Consultation | None = None) -> dict[str, Any]:
    """The Data Package descriptor; with a consultation, its name and addresses."""
    resources = []
    for name, fields in TABLES.items():
        schema = {
            "fields": [
                {"name": field, "type": kind, "description": description}
                for field, kind, description in fields
            ],
            **KEYS.get(name, {}),
        }
        resources.append(
            {
                "name": name,
                "path": f"{name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
            }
        )
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": f"consultation-{consultation.slug}" if consultation else "consultation",
        "licenses": [{"name": "etalab-2.0", "title": LICENCE_NAME, "path": LICENCE_URL}],
        "description": SPREADSHEET_SAFE,
        "resources": resources,
    }
    if consultation is not None:
        package["title"] = consultation.title
        package["homepage"] = external_url("consultations.show", slug=consultation.slug)
    return package


def stream_zip(consultation_id: int, now: datetime) -> Iterator[bytes]:
    """The ZIP, in chunks of about CHUNK bytes."""
    json_export.begin_snapshot()
    consultation = get_existing(Consultation, consultation_id)
    pipe = _Pipe()
    # Rows are written as text into `buffer` and handed to the archive CHUNK characters at a
    # time: one encode and one deflate call per chunk rather than per row (None is written as
    # an empty cell by the csv module itself).
    buffer = io.StringIO()
    writer = csvsafe.writer(buffer)
    with zipfile.ZipFile(
        pipe, mode="w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION
    ) as archive:
        for name, rows in _tables(consultation, now):
            with archive.open(f"{name}.csv", mode="w", force_zip64=True) as member:
                writer.writerow(field for field, _kind, _description in TABLES[name])
                # Lines as text, or rows of values.
                write: Callable[[Any], object] = (
                    buffer.write if name in WRITTEN_AS_LINES else writer.writerow
                )
                for row in rows:
                    write(row)
                    if buffer.tell() >= CHUNK:
                        member.write(_take(buffer))
                        if pipe.size >= CHUNK:
                            yield pipe.drain()
                member.write(_take(buffer))
            yield pipe.drain()
        archive.writestr(
            "datapackage.json", json.dumps(descriptor(consultation), ensure_ascii=False, indent=2)
        )
        archive.writestr(
            "README.md",
            README.format(
                title=consultation.title,
                url=external_url("consultations.show", slug=consultation.slug),
                generated_at=isoformat(now),
                licence_name=LICENCE_NAME,
                licence=LICENCE_URL,
                export_json=external_url("api.export_json", slug=consultation.slug),
                verification=external_url("ledger.verification"),
                spreadsheet_safe=_wrap(SPREADSHEET_SAFE),
            ),
        )
        archive.writestr("LICENCE", LICENCE)
    yield pipe.drain()
    db.session.commit()  # nothing was written: this only ends the snapshot


def _wrap(text: str) -> str:
    return textwrap.fill(text, width=95, break_long_words=False, break_on_hyphens=False)


def _take(buffer: io.StringIO) -> bytes:
    """The text written so far, encoded; the buffer emptied."""
    data = buffer.getvalue().encode()
    buffer.seek(0)
    buffer.truncate()
    return data


def _tables(consultation: Consultation, now: datetime) -> Iterator[tuple[str, Iterable[Any]]]:
    """Each file's name and rows, the rows' values in the order of its fields."""
    version = consultation.current_version
    version_id = version.id if version else None
    yield (
        "consultation",
        [_values("consultation", published.consultation_record(consultation, now))],
    )
    yield "notice", [_values("notice", published.notice_record(consultation))]
    yield (
        "divisions",
        [
            _values("divisions", {**division, "intro": "\n".join(division["intro"])})
            for division in published.divisions(version_id)
        ],
    )
    yield "articles", (_values("articles", a) for a in published.articles(version_id))
    yield (
        "paragraphs",
        (
            (article["id"], paragraph["number"], paragraph["text"])
            for article in published.articles(version_id)
            for paragraph in article["paragraphs"]
        ),
    )
    yield (
        "documents",
        [
            _values("documents", {**item, "articles": json.dumps(item["articles"])})
            for item in published.documents(consultation)
        ],
    )
    yield (
        "article_votes",
        (
            (a["id"], a["votes"]["agree"], a["votes"]["mixed"], a["votes"]["disagree"])
            for a in published.articles(version_id)
        ),
    )
    yield (
        "contributions",
        (
            tuple(column[-1](record) for column in exports.CONTRIBUTION_COLUMNS)
            for record in json_export.contributions(consultation.id)
        ),
    )
    yield "contribution_votes", content.contribution_votes(consultation.id)
    yield "answers", (_values("answers", answer) for answer in content.answers(consultation.id))
    yield (
        "moderation",
        [_values("moderation", r) for r in content.moderation(consultation)["by_reason"]],
    )
    synthesis = documents.published(consultation)
    yield "synthesis_versions", [_values("synthesis_versions", v) for v in synthesis["versions"]]
    yield (
        "follow_ups",
        [
            _values(
                "follow_ups",
                {
                    **item,
                    "article_ids": json.dumps(item["article_ids"]),
                    "contribution_ids": json.dumps(item["contribution_ids"]),
                },
            )
            for item in synthesis["follow_ups"]
        ],
    )
    yield (
        "follow_up_events",
        [
            (
                item["id"],
                event["kind"],
                event["at"],
                json.dumps(event["changes"], ensure_ascii=False),
                event["note"],
            )
            for item in synthesis["follow_ups"]
            for event in item["history"]
        ],
    )
    entries = LedgerEntry.__table__.c
    yield (
        "ledger",
        _ledger_rows(
            sa.select(entries.leaf_index, entries.kind, entries.leaf, entries.leaf_hash)
            .where(entries.consultation_id == consultation.id)
            .order_by(entries.leaf_index)
        ),
    )


def _values(table: str, record: dict[str, Any]) -> tuple[Any, ...]:
    """A record's values in the order of `table`'s fields."""
    return tuple(record.get(field) for field, _kind, _description in TABLES[table])


def _ledger_rows(query: sa.Select[Any]) -> Iterator[str]:
    """Ledger rows as CSV lines, the hash in hex, read `BATCH` at a time.

    The one table written without the csv module: 1.6 million rows at RN×10, where its
    per-row cost was a third of the ZIP's time. An integer, a kind among the journal's
    identifiers and a hex hash need no quoting; the leaf (JSON) is quoted with its quotes
    doubled, which is what `csv.writer` writes for it (a test compares the two). The texts go
    through the same spreadsheet-safe rule as every other cell (`csvsafe.neutralise`): a
    journal's kind and a JSON object (`{…}`) never begin with a formula character, so the
    line stays what `csvsafe.writer` writes."""
    neutralise = csvsafe.neutralise
    rows = db.session.execute(query.execution_options(yield_per=json_export.BATCH))
    try:
        for index, kind, leaf, leaf_hash in rows:
            if not kind.isidentifier():  # not one of the journal's: quoted as the csv module does
                kind = '"' + neutralise(kind).replace('"', '""') + '"'
            quoted = neutralise(leaf).replace('"', '""')
            yield f'{index},{kind},"{quoted}",{bytes(leaf_hash).hex()}\r\n'
    finally:
        rows.close()


class _Pipe(io.RawIOBase):
    """Where the ZIP writes: bytes collected until the generator takes them. Not seekable, so
    `zipfile` streams (data descriptors)."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:  # a bytes-like object (zipfile's)
        self._chunks.append(bytes(data))
        self.size += len(data)
        return len(data)

    def drain(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        self.size = 0
        return data
