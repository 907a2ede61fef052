"""`flask jobs …`: the worker that drafts syntheses when the platform runs with Redis.

Without `REDIS_URL` no worker is needed: drafts run on a background thread of the web process.
With it, starting a draft puts it on the RQ queue "synthesis" and this worker takes it, in
the application's context (its configuration and database), one draft at a time.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from consultation.synthesis.jobs import QUEUE_NAME

jobs_cli = AppGroup("jobs", help="Tâches de fond (brouillons de synthèse).")


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="S'arrêter quand la file est vide.")
def worker_command(burst: bool) -> None:
    """Traiter la file « synthesis » (nécessite REDIS_URL)."""
    from redis import Redis
    from rq import SimpleWorker

    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException(
            "REDIS_URL n'est pas défini : sans Redis, les brouillons sont rédigés par le "
            "serveur web lui-même et aucun travailleur n'est nécessaire."
        )
    # SimpleWorker runs each job in this process, inside the application context the command
    # runs in; a forking worker would share the database connections with its children.
    worker = SimpleWorker([QUEUE_NAME], connection=Redis.from_url(url))
    worker.work(burst=burst)
