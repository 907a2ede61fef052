"""`flask participation …`: operator commands on participation data."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from consultation.consultations.models import Consultation
from consultation.extensions import db
from consultation.participation import tallies

participation_cli = AppGroup("participation", help="Contrôler les données de participation.")


@participation_cli.command("recount")
@click.option("--consultation", "slug", help="Adresse (slug) d'une consultation ; toutes sinon.")
def recount_command(slug: str | None) -> None:
    """Recompter les votes et les contributions et corriger les compteurs affichés."""
    consultation_id = None
    if slug:
        consultation = db.session.scalar(db.select(Consultation).filter_by(slug=slug))
        if consultation is None:
            raise click.ClickException(f"Aucune consultation « {slug} ».")
        consultation_id = consultation.id
    wrong = tallies.recount(consultation_id)
    db.session.commit()
    if wrong:
        click.echo(f"{wrong} compteur(s) corrigé(s) d'après les votes et les contributions.")
    else:
        click.echo("Tous les compteurs correspondent aux votes et aux contributions.")
