"""Fixtures of the record's tests (`opened` and `bearer` come from tests/conftest.py)."""

import json

import pytest
import sqlalchemy as sa

from consultation.ledger.models import LedgerEntry


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
