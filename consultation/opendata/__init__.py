"""Open data: the catalogue page and feeds (views), the exports of each consultation (JSON in
`json_export`, CSV in `exports`, the ZIP data package in `package`), their schemas. It reads the
record (`ledger`), which never reads it."""


def init_app(_app) -> None:
    """The exports' version follows their authors' public names (accounts.signals)."""
    from consultation.accounts.signals import public_profile_changed
    from consultation.opendata import exports

    public_profile_changed.connect(exports.authors_changed, weak=False)
