"""End to end in headless Chromium: from the public synthesis of the demo's closed water plan, a
reader follows a theme's link to the page of all its contributions and a proposal's link to
the page of its own, with JavaScript off; both pages pass axe (checked with JavaScript on,
which axe needs to run)."""

import sqlalchemy as sa

from consultation.consultations.models import Consultation
from consultation.core import clock
from consultation.participation.models import Contribution
from consultation.synthesis import jobs, publishing
from consultation.synthesis.models import Synthesis, SynthesisVersion
from tests.test_browser import (  # noqa: F401 (fixtures)
    CHROMIUM,
    CHROMIUM_ARGS,
    _violations,
    live_server,
    pytestmark,
)


def _published(db) -> Consultation:
    """The water plan drafted, and the draft's data published as version 1."""
    from consultation.accounts.services import find_user

    consultation = db.session.scalar(
        sa.select(Consultation).where(Consultation.title.like("Plan national%"))
    )
    moderator = find_user("moderateur@demo.consultation.localhost")
    jobs.launch(jobs.start_draft(moderator, consultation).id)  # inline in tests
    db.session.expire_all()
    synthesis = db.session.get(Synthesis, consultation.id)
    data = publishing.public_data(synthesis.draft_data)
    # Two themes whatever the analysis finds on the demo's few contributions.
    ids = list(
        db.session.scalars(
            sa.select(Contribution.id)
            .where(Contribution.consultation_id == consultation.id)
            .order_by(Contribution.id)
        )
    )
    if len(data["themes"]) < 2:
        data["themes"] = [
            {"label": "eau potable", "size": len(ids[0::2]), "contribution_ids": ids[0::2]},
            {"label": "irrigation", "size": len(ids[1::2]), "contribution_ids": ids[1::2]},
        ]
    proposals = data.setdefault("proposals", {}) or {}
    if not proposals.get("groups"):
        data["proposals"] = {
            "groups": [
                {"label": "Réduire les prélèvements", "count": len(ids), "contribution_ids": ids}
            ],
            "listed": [0],
        }
    db.session.execute(
        sa.delete(SynthesisVersion).where(SynthesisVersion.consultation_id == consultation.id)
    )
    db.session.add(
        SynthesisVersion(
            consultation_id=consultation.id,
            number=1,
            body="## La synthèse\n\nLe texte publié.",
            data=data,
            published_at=clock.now(),
        )
    )
    consultation.synthesis_published_at = consultation.synthesis_published_at or clock.now()
    db.session.commit()
    return consultation


def test_a_reader_reaches_every_contribution_of_a_theme_and_a_proposal(live_server, tabs, db):  # noqa: F811
    reader, checker = tabs
    consultation = _published(db)
    synthesis = f"{live_server}/consultations/{consultation.slug}/synthese"
    reader.goto(synthesis)
    reader.locator("#donnees-themes summary").first.click()
    link = reader.locator("#donnees-themes a", has_text="les lire toutes").first
    if not link.count():
        link = reader.locator("#donnees-themes a", has_text="la lire").first
    link.click()
    reader.wait_for_load_state()
    assert "/synthese/versions/1/themes/1" in reader.url
    assert reader.locator("h1").inner_text().startswith("Thème 1 : ")
    assert reader.locator("ol.synthesis-theme-list li").count() >= 1
    checker.goto(reader.url)
    assert _violations(checker) == []

    reader.goto(f"{synthesis}/versions/1/propositions/1")
    assert reader.locator("h1").inner_text().startswith("Proposition 1")
    assert reader.locator("ol.synthesis-theme-list li").count() >= 1
    checker.goto(reader.url)
    assert _violations(checker) == []
    # The public page with its new links passes too.
    checker.goto(synthesis)
    assert _violations(checker) == []
