"""core.db.transaction(): the one commit-or-rollback of a view, and core.auth's role checks."""

import pytest
from flask_login import AnonymousUserMixin

from consultation.accounts.models import Institution
from consultation.core.auth import Role, has_role, role_flags
from consultation.core.db import transaction
from consultation.core.errors import NotAllowed


def test_a_block_that_ends_is_committed(app, db):
    with transaction() as done:
        db.session.add(Institution(name="Commune de Brest", slug="brest"))
    assert done.ok and done.error is None
    db.session.rollback()  # nothing pending: the row was committed
    assert db.session.scalar(db.select(Institution).where(Institution.slug == "brest"))


def test_a_refused_rule_rolls_back_and_is_kept_for_the_view(app, db):
    with transaction() as done:
        db.session.add(Institution(name="Commune de Vannes", slug="vannes"))
        db.session.flush()
        raise NotAllowed("Refusé.")
    assert not done.ok and isinstance(done.error, NotAllowed)
    assert db.session.scalar(db.select(Institution).where(Institution.slug == "vannes")) is None


def test_any_other_error_rolls_back_and_goes_on(app, db):
    with pytest.raises(RuntimeError), transaction():
        db.session.add(Institution(name="Commune de Quimper", slug="quimper"))
        db.session.flush()
        raise RuntimeError("bug")
    assert db.session.scalar(db.select(Institution).where(Institution.slug == "quimper")) is None


@pytest.mark.parametrize(
    ("role", "staff", "moderates", "organises"),
    [
        (Role.participant, False, False, False),
        (Role.organiser, True, False, True),
        (Role.moderator, True, True, False),
        (Role.admin, True, True, True),
    ],
)
def test_roles_are_compared_in_one_place(make_user, role, staff, moderates, organises):
    user = make_user(role=role)
    assert has_role(user, Role.organiser) is organises
    assert role_flags(user) == {"user_is_staff": staff, "user_moderates": moderates}
    assert not has_role(AnonymousUserMixin(), Role.participant)
    assert role_flags(None) == {"user_is_staff": False, "user_moderates": False}
