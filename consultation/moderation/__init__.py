"""Moderation: the charter, reports, decisions on contributions, blocks, public figures."""


def init_app(_app) -> None:
    """Appeals are part of their author's data: listed in "Mes données", their text erased
    with the account (accounts.signals). The contributions pages (participation, below
    moderation) show the report and appeal flags registered here."""
    from consultation.accounts.signals import account_erased, personal_data_requested
    from consultation.moderation import appeals, queries
    from consultation.participation import queries as participation_queries

    personal_data_requested.connect(appeals.personal_data, weak=False)
    account_erased.connect(appeals.erase_texts, weak=False)
    participation_queries.connect_moderation(
        report_states=queries.report_states, can_appeal=appeals.can_appeal
    )
