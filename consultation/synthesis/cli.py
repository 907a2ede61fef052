"""`flask jobs …`: the worker that runs background jobs when the platform runs with Redis.

Without `REDIS_URL` no worker is needed: jobs run on background threads of the web process.
With it, synthesis drafts go on the RQ queue "synthesis" and messages to many people on
"default" (`core.jobs`); this worker takes both, drafts first, in the application's context
(its configuration and database), one job at a time.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from consultation.core.jobs import QUEUES

jobs_cli = AppGroup(
    "jobs", help="Tâches de fond (brouillons de synthèse, envois groupés de courriels)."
)


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="S'arrêter quand la file est vide.")
def worker_command(burst: bool) -> None:
    """Traiter les files « synthesis » et « default » (nécessite REDIS_URL)."""
    from redis import Redis
    from rq import SimpleWorker

    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException(
            "REDIS_URL n'est pas défini : sans Redis, les tâches de fond sont exécutées par "
            "le serveur web lui-même et aucun travailleur n'est nécessaire."
        )
    # SimpleWorker runs each job in this process, inside the application context the command
    # runs in; a forking worker would share the database connections with its children.
    worker = SimpleWorker(list(QUEUES), connection=Redis.from_url(url))
    worker.work(burst=burst)
