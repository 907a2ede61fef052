"""Fixtures of the record's tests."""

import json

import pytest
import sqlalchemy as sa

from consultation.ledger.models import LedgerEntry


@pytest.fixture
def opened(make_consultation):
    return make_consultation("open")


@pytest.fixture
def leaves(db):
    """The consultation's record as (kind, parsed leaf), in index order."""

    def read(consultation):
        rows = db.session.scalars(
            sa.select(LedgerEntry)
            .where(LedgerEntry.consultation_id == consultation.id)
            .order_by(LedgerEntry.leaf_index)
        )
        return [json.loads(row.leaf) for row in rows]

    return read


@pytest.fixture
def bearer(db):
    from consultation.accounts import services as accounts

    def make(user):
        _token, secret = accounts.create_api_token(user, "tests")
        db.session.commit()
        return {"Authorization": f"Bearer {secret}"}

    return make
