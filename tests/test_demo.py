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


def test_the_open_bill_is_a_living_consultation(runner, db, client):
    """Votes, every kind of contribution, replies, an edit and an answer in the open bill, and
    a demo account whose "Mes contributions" shows where each stands; nothing doubles on a
    second run."""
    from consultation.participation.models import ArticleVote, Contribution, ContributionVote

    first = runner.invoke(args=["demo"])
    assert "3 consultations ajoutées" in first.output
    bill = db.session.scalar(
        sa.select(Consultation).where(Consultation.title.like("Projet de loi%"))
    )
    items = db.session.scalars(
        sa.select(Contribution).where(Contribution.consultation_id == bill.id)
    ).all()
    assert {c.kind.value for c in items} == {
        "argument",
        "amendment",
        "new_article",
        "source",
        "comment",
    }
    assert sum(c.parent_id is not None for c in items) >= 3
    assert any(c.edited_at for c in items) and any(c.paragraph for c in items)
    ids = [c.id for c in items]
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).where(ContributionVote.contribution_id.in_(ids))
        )
        > 20
    )
    articles = [a.id for a in bill.current_version.articles]
    assert (
        db.session.scalar(sa.select(sa.func.count()).where(ArticleVote.article_id.in_(articles)))
        > 10
    )
    page = client.get(f"/consultations/{bill.slug}/contributions").get_data(as_text=True)
    assert "Réponse officielle : À l&#39;étude" in page or "Réponse officielle : À l'étude" in page

    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0 and "(0 consultation ajoutée)" in again.output
    assert len(
        db.session.scalars(
            sa.select(Contribution.id).where(Contribution.consultation_id == bill.id)
        ).all()
    ) == len(items)

    camille = accounts.authenticate("camille@demo.consultation.localhost", PASSWORD)
    with client.session_transaction() as session:
        session["_user_id"] = camille.get_id()
        session["_fresh"] = True
    mine = client.get("/compte/participation").get_data(as_text=True)
    assert "Publiée" in mine and bill.title in mine
