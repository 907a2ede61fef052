"""Moderation: the charter, reports, decisions on contributions, blocks, public figures."""
