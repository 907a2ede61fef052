"""`flask ledger …`: checkpoints of the tamper-evident record, keys, verification of exports.

Cron, every few minutes (each run signs only what is due — see `services.due_reason`):

    */5 * * * *  cd /srv/consultation && .venv/bin/flask --app wsgi ledger checkpoint
"""

from __future__ import annotations

import base64
import binascii
import sys
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from consultation.consultations.models import Consultation
from consultation.core import clock
from consultation.core.database import READ_ONLY
from consultation.extensions import db
from consultation.ledger import services, signing
from consultation.ledger.models import LedgerEntry
from consultation.ledger.verify import (
    ExportReader,
    Unreadable,
    VerificationFailed,
    report,
    verify_export,
)

ledger_cli = AppGroup("ledger", help="Registre infalsifiable : points de contrôle et vérification.")


@ledger_cli.command("checkpoint")
@click.option("--consultation", "slug", help="Adresse (slug) d'une consultation ; toutes sinon.")
def checkpoint_command(slug: str | None) -> None:
    """Signer et publier les points de contrôle dus : à l'ouverture, toutes les heures pendant
    la consultation, à la clôture, puis à chaque ajout au registre. À lancer par cron toutes
    les quelques minutes ; sans effet quand rien n'est dû."""
    now = clock.now()
    query = sa.select(Consultation).where(
        Consultation.published_at.is_not(None), Consultation.opens_at <= now
    )
    if slug:
        query = sa.select(Consultation).where(Consultation.slug == slug)
    consultations = list(db.session.scalars(query.order_by(Consultation.id)))
    db.session.commit()
    if slug and not consultations:
        raise click.ClickException(f"Aucune consultation « {slug} ».")
    made = 0
    for consultation in consultations:
        try:
            checkpoint = services.checkpoint_if_due(consultation, now)
        except signing.LedgerKeyMissing as error:
            raise click.ClickException(error.message) from None
        db.session.commit()  # one consultation at a time: its head is locked only briefly
        if checkpoint is not None:
            made += 1
            click.echo(
                f"{consultation.slug} : point de contrôle ({checkpoint.reason}), "
                f"{checkpoint.tree_size} entrées, racine {checkpoint.root_hash.hex()}."
            )
    if not made:
        click.echo("Aucun point de contrôle n'était dû.")


@ledger_cli.command("verify")
@click.argument("export", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--public-key",
    help="Clé publique Ed25519 (base64) à utiliser ; celle de cette plateforme sinon.",
)
def verify_command(export: Path, public_key: str | None) -> None:
    """Vérifier un export JSON d'une consultation contre son point de contrôle signé.

    Code de sortie 0 si l'export est conforme ; 1 en nommant le premier enregistrement ou la
    première contribution en cause. Quand la consultation est dans cette base, chaque
    enregistrement est aussi comparé à celui que la plateforme a inscrit. Le fichier est lu au
    fur et à mesure : la mémoire utilisée ne croît pas avec le nombre d'enregistrements."""
    key = _public_key(public_key)
    consultation = stored = failure = None
    # A read of the whole record: on SQLite, without taking the write lock for its duration.
    db.session.rollback()
    db.session.connection(execution_options={READ_ONLY: True})
    with export.open(encoding="utf-8") as handle:
        document = ExportReader(handle)
        try:
            described = document.value("consultation")
            slug = described.get("slug") if isinstance(described, dict) else None
            if isinstance(slug, str):
                consultation = db.session.scalar(
                    sa.select(Consultation).where(Consultation.slug == slug)
                )
            stored = _stored_hashes(consultation.id) if consultation is not None else None
            result = verify_export(document, key, iter(stored) if stored is not None else None)
        except Unreadable as error:
            failure = f"Le fichier n'est pas un export JSON lisible : {error}."
        except VerificationFailed as error:
            failure = str(error)
        finally:
            if stored is not None:
                stored.close()
            db.session.rollback()  # a read: end the transaction now
    if failure:
        _fail(failure)
    for line in report(result):
        click.echo(line)
    if consultation is None:
        click.echo("Consultation absente de cette base : vérification par la signature seule.")
    else:
        click.echo("Chaque enregistrement est identique à celui inscrit par la plateforme.")


def _stored_hashes(consultation_id: int) -> sa.Result[Any]:
    """The stored (index, leaf hash) of the consultation's entries, in order, read lazily."""
    entries = LedgerEntry.__table__.c
    return db.session.execute(
        sa.select(entries.leaf_index, entries.leaf_hash)
        .where(entries.consultation_id == consultation_id)
        .order_by(entries.leaf_index)
        .execution_options(yield_per=5000)
    )


def _public_key(given: str | None) -> bytes:
    """The key given — base64 of its 32 bytes, or a verifier key <name>+<id>+<base64(0x01 ||
    key)> (base64 has '+' among its digits: the plain form is tried first) — or this
    platform's."""
    if given:
        text = given.strip()
        key = _base64(text)
        if len(key) not in (32, 33) and text.count("+") >= 2:
            key = _base64(text.split("+", 2)[2])  # a note key name never holds a '+'
        key = key[1:] if len(key) == 33 and key[0] == 1 else key
        if len(key) != 32:
            raise click.UsageError("Clé publique attendue : 32 octets en base64.")
        return key
    try:
        return signing.public_key_bytes()
    except signing.LedgerKeyMissing as error:
        raise click.ClickException(error.message) from None


def _base64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return b""


def _fail(message: str):
    click.echo(f"Échec de la vérification : {message}", err=True)
    sys.exit(1)


@ledger_cli.command("public-key")
def public_key_command() -> None:
    """Afficher la clé publique qui vérifie les points de contrôle (base64)."""
    try:
        click.echo(signing.public_key_base64())
    except signing.LedgerKeyMissing as error:
        raise click.ClickException(error.message) from None


@ledger_cli.command("new-key")
def new_key_command() -> None:
    """Créer une clé de signature, à mettre dans LEDGER_SIGNING_KEY (à garder secrète)."""
    click.echo(signing.new_seed())
