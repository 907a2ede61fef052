"""The consultation as a data package: one CSV per entity in a ZIP, streamed.

`export.zip` holds `consultation.csv`, `articles.csv`, `paragraphs.csv`, `contributions.csv`
(the same as `export.csv`), `moderation.csv` (figures by charter reason),
`synthesis_versions.csv` and `follow_ups.csv` (once a version is public), and `ledger.csv`
(every record of the tamper-evident record, with its hash), plus `datapackage.json` (a Frictionless
Data Package: a Table Schema per file, French descriptions, keys), `README.md` and `LICENCE`.

The ZIP is written as it is sent: `zipfile` on a pipe that cannot seek writes each member's
sizes and checksum after its data (data descriptors, ZIP64 when needed), so no file is ever
held whole — memory stays what one chunk of rows takes, whatever the consultation's size. The
rows are read in one snapshot (`ledger.export.begin_snapshot`), as `export.json`'s are.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator

import sqlalchemy as sa

from consultation.consultations.models import Consultation
from consultation.core.charter import REASON_LABELS
from consultation.core.clock import isoformat
from consultation.core.urls import external_url
from consultation.extensions import db
from consultation.ledger import export
from consultation.ledger.models import LedgerEntry
from consultation.moderation.services import public_figures
from consultation.opendata import exports
from consultation.synthesis import documents
from consultation.texts.models import Article, Paragraph

CHUNK = 256 * 1024
# Fast deflate: the CSVs shrink about fivefold all the same, at a fraction of the default's time.
COMPRESSION = 1
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"

# Each file: its Table Schema fields (name, type, French description).
TABLES: dict[str, list[tuple[str, str, str]]] = {
    "consultation": [
        ("slug", "string", "Identifiant stable de la consultation"),
        ("title", "string", "Titre"),
        ("institution", "string", "Institution organisatrice"),
        ("legal_basis", "string", "Base légale (code)"),
        ("opens_at", "datetime", "Ouverture (ISO 8601, heure de Paris)"),
        ("closes_at", "datetime", "Clôture (ISO 8601, heure de Paris)"),
        ("text_sha256", "string", "Empreinte SHA-256 du texte consulté"),
        ("url", "string", "Adresse de la consultation"),
    ],
    "articles": [
        ("id", "integer", "Identifiant de l'article"),
        ("number", "string", "Numéro (« 1er », « L. 123-4 »…)"),
        ("title", "string", "Intitulé"),
        ("position", "integer", "Rang dans le texte"),
        ("votes_agree", "integer", "Avis d'accord"),
        ("votes_mixed", "integer", "Avis mitigés"),
        ("votes_disagree", "integer", "Avis en désaccord"),
        ("contributions_count", "integer", "Contributions sur l'article"),
    ],
    "paragraphs": [
        ("article_id", "integer", "Article (articles.csv)"),
        ("number", "integer", "Numéro de l'alinéa"),
        ("text", "string", "Texte de l'alinéa"),
    ],
    "contributions": [
        (name, "string", "Voir export.json, champ du même nom")
        for name, _read in exports.CONTRIBUTION_COLUMNS
    ],
    "moderation": [
        ("reason", "string", "Motif de la charte (code)"),
        ("label", "string", "Motif"),
        ("reports", "integer", "Signalements reçus pour ce motif"),
        ("hidden", "integer", "Contributions masquées pour ce motif"),
    ],
    "synthesis_versions": [
        ("number", "integer", "Numéro de la version publiée"),
        ("published_at", "datetime", "Publication (ISO 8601, heure de Paris)"),
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
        ("url", "string", "Lien"),
        ("history", "string", "Historique public des changements (JSON)"),
    ],
    "ledger": [
        ("index", "integer", "Rang de l'enregistrement dans le registre"),
        ("leaf", "string", "Enregistrement (JSON canonique) tel qu'inscrit"),
        ("leaf_hash", "string", "Empreinte de l'enregistrement (RFC 9162, hexadécimal)"),
    ],
}
KEYS = {
    "articles": {"primaryKey": ["id"]},
    "paragraphs": {
        "primaryKey": ["article_id", "number"],
        "foreignKeys": [
            {"fields": ["article_id"], "reference": {"resource": "articles", "fields": ["id"]}}
        ],
    },
    "contributions": {"primaryKey": ["tracking_number"]},
    "synthesis_versions": {"primaryKey": ["number"]},
    "follow_ups": {"primaryKey": ["id"]},
    "ledger": {"primaryKey": ["index"]},
}

README = """# Données de la consultation « {title} »

Export de la consultation {url}, produit le {generated_at}.
Licence : Licence Ouverte 2.0 (Etalab), {licence} — réutilisation libre, source à mentionner.

| fichier | contenu |
|---|---|
| consultation.csv | la consultation : titre, institution, base légale, dates, empreinte du texte |
| articles.csv | les articles, avec les avis (d'accord, mitigé, pas d'accord) et le nombre de contributions |
| paragraphs.csv | les alinéas de chaque article |
| contributions.csv | une ligne par contribution : type, article, auteur (nom affiché et type), texte, avis, réponse officielle ; une contribution retirée ou masquée n'a pas de texte, une contribution masquée a son motif |
| moderation.csv | signalements et contributions masquées, par motif de la charte |
| synthesis_versions.csv | les versions publiées de la synthèse (vide avant la première) |
| follow_ups.csv | les suites envisagées et l'historique de leurs changements |
| ledger.csv | le registre infalsifiable : chaque enregistrement et son empreinte |
| datapackage.json | la description de chaque fichier (Table Schema) |

Aucune donnée personnelle : ni adresse e-mail, ni adresse IP, ni numéro de compte. Les votes
individuels ne figurent que dans le registre, sous un pseudonyme propre à cette consultation.
Pour vérifier le registre contre la racine signée par la plateforme, téléchargez export.json
et suivez {verification}.
"""

LICENCE = (
    "Licence Ouverte / Open Licence version 2.0 (Etalab)\n"
    f"{LICENCE_URL}\n\n"
    "Réutilisation libre, y compris commerciale, sous réserve de mentionner la source\n"
    "(la plateforme de consultation et l'institution organisatrice) et la date de mise à jour.\n"
)


def descriptor(consultation: Consultation | None = None) -> dict:
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
    package = {
        "profile": "tabular-data-package",
        "name": f"consultation-{consultation.slug}" if consultation else "consultation",
        "licenses": [{"name": "etalab-2.0", "title": "Licence Ouverte 2.0", "path": LICENCE_URL}],
        "resources": resources,
    }
    if consultation is not None:
        package["title"] = consultation.title
        package["homepage"] = external_url("consultations.show", slug=consultation.slug)
    return package


def stream_zip(consultation_id: int, now) -> Iterator[bytes]:
    """The ZIP, in chunks of about CHUNK bytes."""
    export.begin_snapshot()
    consultation = db.session.get(Consultation, consultation_id)
    pipe = _Pipe()
    with zipfile.ZipFile(
        pipe, mode="w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION
    ) as archive:
        for name, rows in _tables(consultation):
            with archive.open(f"{name}.csv", mode="w", force_zip64=True) as member:
                text = io.TextIOWrapper(member, encoding="utf-8", newline="")
                writer = csv.writer(text, lineterminator="\r\n")
                writer.writerow(field for field, _kind, _description in TABLES[name])
                for row in rows:
                    writer.writerow("" if value is None else value for value in row)
                    if pipe.size >= CHUNK:
                        text.flush()
                        yield pipe.drain()
                text.flush()
                text.detach()
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
                licence=LICENCE_URL,
                verification=external_url("ledger.verification"),
            ),
        )
        archive.writestr("LICENCE", LICENCE)
    yield pipe.drain()
    db.session.commit()  # nothing was written: this only ends the snapshot


def _tables(consultation: Consultation) -> Iterable[tuple[str, Iterable[tuple]]]:
    version = consultation.current_version
    yield (
        "consultation",
        [
            (
                consultation.slug,
                consultation.title,
                consultation.institution.name,
                consultation.legal_basis,
                isoformat(consultation.opens_at),
                isoformat(consultation.closes_at),
                version.sha256 if version else None,
                external_url("consultations.show", slug=consultation.slug),
            )
        ],
    )
    version_id = version.id if version else -1
    a = Article
    yield (
        "articles",
        _rows(
            sa.select(
                a.id,
                a.number,
                a.title,
                a.position,
                a.votes_agree,
                a.votes_mixed,
                a.votes_disagree,
                a.contributions_count,
            )
            .where(a.version_id == version_id)
            .order_by(a.position)
        ),
    )
    yield (
        "paragraphs",
        _rows(
            sa.select(Paragraph.article_id, Paragraph.number, Paragraph.text)
            .join(Article, Article.id == Paragraph.article_id)
            .where(Article.version_id == version_id)
            .order_by(Article.position, Paragraph.number)
        ),
    )
    yield (
        "contributions",
        (
            tuple(read(record) for _name, read in exports.CONTRIBUTION_COLUMNS)
            for record in export.contributions(consultation.id)
        ),
    )
    figures = public_figures(consultation)
    yield (
        "moderation",
        [
            (
                reason.value,
                label,
                figures.reports_by_reason.get(reason, 0),
                figures.hidden_by_reason.get(reason, 0),
            )
            for reason, label in REASON_LABELS.items()
        ],
    )
    synthesis = documents.published(consultation)
    yield (
        "synthesis_versions",
        [
            tuple(version.get(field) for field, _kind, _description in TABLES["synthesis_versions"])
            for version in synthesis["versions"]
        ],
    )
    yield (
        "follow_ups",
        [
            (
                item["id"],
                item["title"],
                item["description"],
                item["due_date"],
                item["status"],
                item["url"],
                json.dumps(item["history"], ensure_ascii=False),
            )
            for item in synthesis["follow_ups"]
        ],
    )
    entries = LedgerEntry.__table__.c
    yield (
        "ledger",
        _rows(
            sa.select(entries.leaf_index, entries.leaf, entries.leaf_hash)
            .where(entries.consultation_id == consultation.id)
            .order_by(entries.leaf_index),
            convert=lambda row: (row[0], row[1], bytes(row[2]).hex()),
        ),
    )


def _rows(query, convert: Callable = tuple) -> Iterator[tuple]:
    rows = db.session.execute(query.execution_options(yield_per=export.BATCH))
    try:
        for row in rows:
            yield convert(row)
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

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        self.size += len(data)
        return len(data)

    def drain(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        self.size = 0
        return data
