"""Participation: opinions on articles, contributions, their position papers, replies, votes."""

from __future__ import annotations

from flask import Flask


def init_app(_app: Flask) -> None:
    """The position papers of one's contributions are part of one's data: listed in « Mes
    données » on the account page (accounts.signals, which the accounts cannot import)."""
    from consultation.accounts.signals import personal_data_requested
    from consultation.participation import participants

    personal_data_requested.connect(participants.papers_data, weak=False)
