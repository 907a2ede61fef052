"""A review decided after the last draft: the themes, proposal groups and excerpts a version
publishes are the draft's, so the editor says the review changed since, when, and how to bring
the draft up to date; the API says the same to staff. Marking a contribution read, which changes
no draft, says nothing; a new draft clears the notice."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from consultation.synthesis import jobs, publishing, review
from consultation.synthesis.models import Synthesis
from consultation.synthesis.review_models import ReviewTheme

NOTICE = "La relecture a changé depuis le dernier brouillon"


def _drafted(db, consultation, organiser, make_contribution):
    items = [
        make_contribution(consultation, body=f"Avis {n}.", now=consultation.opens_at + timedelta(1))
        for n in range(4)
    ]
    jobs.launch(jobs.start_draft(organiser, consultation).id)  # inline in tests
    data = {"themes": [{"label": "eau", "contribution_ids": [i.id for i in items]}]}
    synthesis = db.session.get(Synthesis, consultation.id)
    (theme,) = review.import_draft_themes(consultation, data, synthesis.draft_generated_at)
    db.session.commit()
    return theme, items


def _api(client, consultation, headers):
    response = client.get(f"/api/v1/consultations/{consultation.slug}/synthesis", headers=headers)
    assert response.status_code == 200
    return response.get_json()["review_changed_after_draft"]


def test_a_review_after_the_draft_is_said_until_the_draft_is_run_again(
    client, db, closed, organiser, login_as, bearer, make_contribution
):
    theme, items = _drafted(db, closed, organiser, make_contribution)
    headers = bearer(organiser)
    login_as(organiser)
    page = client.get(f"/gestion/consultations/{closed.slug}/synthese")
    assert page.status_code == 200 and NOTICE not in page.get_data(as_text=True)
    assert _api(client, closed, headers) is None

    review.mark_read(organiser, closed, items[0])  # changes no draft
    db.session.commit()
    assert publishing.review_after_draft(closed) is None

    review.rename_theme(organiser, theme, "Eau potable")
    db.session.commit()
    renamed = db.session.scalar(sa.select(ReviewTheme.renamed_at))
    page = client.get(f"/gestion/consultations/{closed.slug}/synthese")
    text = page.get_data(as_text=True)
    assert NOTICE in text and "Relancer la rédaction du brouillon" in text
    assert f'href="/gestion/consultations/{closed.slug}/synthese/brouillon"' in text
    assert datetime.fromisoformat(_api(client, closed, headers)) == renamed

    jobs.launch(jobs.start_draft(organiser, closed).id)
    db.session.commit()
    assert publishing.review_after_draft(closed) is None
    page = client.get(f"/gestion/consultations/{closed.slug}/synthese")
    assert NOTICE not in page.get_data(as_text=True)
    assert _api(client, closed, headers) is None


def test_participants_are_not_told(
    client, db, closed, organiser, make_user, bearer, make_contribution
):
    theme, _items = _drafted(db, closed, organiser, make_contribution)
    review.rename_theme(organiser, theme, "Eau potable")
    db.session.commit()
    body = client.get(
        f"/api/v1/consultations/{closed.slug}/synthesis", headers=bearer(make_user())
    ).get_json()
    assert body.get("review_changed_after_draft") is None


def test_undoing_an_excerpt_decision_after_the_draft_is_said(
    db, closed, organiser, make_contribution
):
    """Undoing removes the decision's row: the theme keeps when it happened, and the next
    draft would quote the draft's own choice again, so the review changed after the draft."""
    from consultation.synthesis import review_excerpts
    from consultation.synthesis.review_models import ThemeAssignment

    theme, items = _drafted(db, closed, organiser, make_contribution)
    assignment = db.session.get(ThemeAssignment, items[0].id)
    assert assignment is not None and assignment.theme_id == theme.id
    review_excerpts.choose_excerpt(organiser, theme, items[0], "pinned")
    db.session.commit()
    jobs.launch(jobs.start_draft(organiser, closed).id)  # the draft follows the pin
    db.session.commit()
    assert publishing.review_after_draft(closed) is None

    review_excerpts.choose_excerpt(organiser, theme, items[0], None)
    db.session.commit()
    undone = db.session.get(ReviewTheme, theme.id).excerpt_undone_at
    assert undone is not None
    assert publishing.review_after_draft(closed) == undone

    review_excerpts.choose_excerpt(organiser, theme, items[1], None)  # nothing to undo
    db.session.commit()
    assert db.session.get(ReviewTheme, theme.id).excerpt_undone_at == undone
