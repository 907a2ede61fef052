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


def test_every_demo_export_verifies_against_its_record(runner, db, client, tmp_path):
    """The demo's consultations went through the services: each export, as served, is what
    the record says — both verifiers, the command comparing with the stored entries."""
    assert runner.invoke(args=["demo"]).exit_code == 0
    db.session.commit()
    slugs = db.session.scalars(sa.select(Consultation.slug).order_by(Consultation.id)).all()
    for slug in slugs:
        response = client.get(f"/api/v1/consultations/{slug}/export.json")
        assert response.status_code == 200
        path = tmp_path / f"{slug}.json"
        path.write_bytes(response.get_data())
        result = runner.invoke(args=["ledger", "verify", str(path)])
        assert result.exit_code == 0, result.output
        assert "Export conforme" in result.output
        assert "identique à celui inscrit par la plateforme" in result.output
