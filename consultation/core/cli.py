"""`flask backup …`: operator commands to back up and restore the database."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from consultation.core import backup
from consultation.extensions import db

backup_cli = AppGroup("backup", help="Sauvegarder et restaurer la base de données.")


@backup_cli.command("create")
@click.argument("path", type=click.Path(path_type=Path))
def create_command(path: Path) -> None:
    """Écrire une sauvegarde cohérente de la base dans PATH, sans arrêter la plateforme."""
    db.session.commit()  # no transaction of ours holds the database during the copy
    try:
        backup.create(db.engine, path)
    except backup.BackupFailed as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Sauvegarde écrite : {path} ({path.stat().st_size / 1e6:.1f} Mo).")


@backup_cli.command("restore")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Confirmer le remplacement de toutes les données.")
def restore_command(path: Path, yes: bool) -> None:
    """Remplacer tout le contenu de la base par la sauvegarde PATH."""
    if not yes:
        raise click.ClickException(
            "La restauration remplace toutes les données actuelles : relancez avec --yes."
        )
    db.session.commit()
    try:
        backup.restore(db.engine, path)
    except backup.BackupFailed as error:
        raise click.ClickException(error.message) from None
    db.session.expire_all()  # what this session loaded before is gone
    click.echo(
        f"Base restaurée depuis {path}. Lancez `flask db upgrade` si la sauvegarde est "
        "antérieure à la version installée."
    )
