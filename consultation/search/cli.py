"""`flask search reindex`: build the search index again from the source tables."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from consultation.extensions import db
from consultation.search import indexer

search_cli = AppGroup("search", help="Index de recherche.")


@search_cli.command("reindex")
def reindex_command() -> None:
    """Empty the search index and fill it from the consultations and contributions (after a
    bulk load that bypassed the application, or to repair it)."""
    started = time.perf_counter()
    count = indexer.rebuild(db.session.connection())
    db.session.commit()
    click.echo(f"{count} documents indexés en {time.perf_counter() - started:.1f} s.")
