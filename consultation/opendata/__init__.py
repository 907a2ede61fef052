"""Open data: the catalogue page and feeds (views), the exports of each consultation (JSON in
`ledger.export`, CSV in `exports`, the ZIP data package in `package`), their schemas."""


def init_app(_app) -> None:
    """The exports' version follows their authors' public names (accounts.signals)."""
    from consultation.accounts.signals import public_profile_changed
    from consultation.opendata import exports

    public_profile_changed.connect(exports.authors_changed, weak=False)
