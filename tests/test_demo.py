"""`flask demo` loads usable data and can run twice."""

import sqlalchemy as sa

from consultation.accounts import services as accounts
from consultation.consultations.constants import Status
from consultation.consultations.models import Consultation
from consultation.demo.cli import PASSWORD


def test_demo_is_idempotent_and_covers_every_public_status(runner, db):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert runner.invoke(args=["demo"]).exit_code == 0
    consultations = db.session.scalars(sa.select(Consultation)).all()
    assert {c.status for c in consultations} == {Status.open, Status.scheduled, Status.closed}
    assert len(consultations) == 3
    bill = next(c for c in consultations if c.status is Status.open)
    assert len(bill.current_version.articles) >= 10
    organiser = accounts.authenticate("organisateur@demo.consultation.localhost", PASSWORD)
    assert organiser.can_organise(bill.institution_id)


def test_the_closed_consultation_has_matter_for_its_synthesis(runner, db):
    from consultation.synthesis import draft

    assert runner.invoke(args=["demo"]).exit_code == 0
    closed = db.session.scalar(sa.select(Consultation).where(Consultation.title.like("Plan%")))
    assert closed.status is Status.closed
    _markdown, data = draft.build_draft(closed)
    assert data["figures"]["contributions"]["total"] == 18
    assert [campaign["count"] for campaign in data["campaigns"]] == [6]
    groups = data["opinion_groups"]
    assert groups["clear"] and sorted(g["size"] for g in groups["groups"]) == [20, 20]
