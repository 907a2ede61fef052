"""Search over the public consultations and contributions (SQLite FTS5 or PostgreSQL full-text
search): the index and its upkeep (`models`, `indexer`), the search itself (`services`), the
results page (`views`); the API's route lives in `api.search`. It sits on top of the domains:
`init_app` connects the indexer to every session's flushes."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Keep the index in step with every flush; register the `search` commands."""
    from consultation.search import cli, indexer

    indexer.install()
    app.cli.add_command(cli.search_cli)
