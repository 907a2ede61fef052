"""What the published synthesis says of its review: the figures kept with the version, shown on
the public page and the method page, given by the API and the export."""

from __future__ import annotations

import html
import json
from datetime import timedelta

from consultation.synthesis import (
    follow_ups,
    jobs,
    publishing,
    review,
    review_excerpts,
    review_proposals,
)
from tests.helpers import download


def _published(db, consultation, organiser, make_contribution):
    """A synthesis published after a review: three drafted themes, one renamed, one deleted,
    two contributions read, one moved."""
    items = [
        make_contribution(consultation, body=f"Avis {n}.", now=consultation.opens_at + timedelta(1))
        for n in range(6)
    ]
    data = {
        "themes": [
            {"label": f"thème {n}", "contribution_ids": [items[2 * n].id, items[2 * n + 1].id]}
            for n in range(3)
        ],
    }
    jobs.launch(jobs.start_draft(organiser, consultation).id)  # inline in tests: the figures
    a, b, c = review.import_draft_themes(consultation, data, consultation.closes_at)
    groups = {
        "proposals": {
            "groups": [
                {"label": f"proposition {n}", "count": 2, "contribution_ids": [items[n].id]}
                for n in range(3)
            ]
        }
    }
    found = review_proposals.import_draft_proposals(
        consultation, groups, None, consultation.closes_at
    )
    review_proposals.merge_groups(organiser, consultation, [g.id for g in found.groups[:2]])
    review_excerpts.choose_excerpt(organiser, a, items[0], "pinned")
    review_excerpts.choose_excerpt(organiser, b, items[2], "dropped")
    review.rename_theme(organiser, a, "Renommé")
    review.delete_theme(organiser, c)
    review.mark_read(organiser, consultation, items[0])
    review.mark_read(organiser, consultation, items[1])
    publishing.save_synthesis(organiser, consultation, body="## Synthèse\n\nUn texte.")
    follow_ups.create_follow_up(organiser, consultation, title="Un décret")
    version = publishing.publish_synthesis(organiser, consultation, "")
    db.session.commit()
    return version


EXPECTED = {
    "themes": 2,
    "themes_drafted": 0,  # « thème 1 » has a dropped excerpt: a person decided on it
    "themes_reviewed": 2,
    "themes_removed": 1,
    "contributions_placed": 2,
    "contributions_read": 2,
    "proposal_groups": 2,
    "proposal_groups_drafted": 1,
    "proposal_groups_reviewed": 1,
    "proposal_groups_merged": 1,
    "excerpts_pinned": 1,
    "excerpts_dropped": 1,
}


def test_the_published_version_keeps_the_review_figures(
    client, db, closed, organiser, make_contribution
):
    version = _published(db, closed, organiser, make_contribution)
    assert version.data["review"] == EXPECTED
    # Later decisions do not change a published version.
    review.create_theme(organiser, closed, "Après coup")
    db.session.commit()
    assert publishing.latest_version(closed).data["review"]["themes"] == 2

    page = html.unescape(client.get(f"/consultations/{closed.slug}/synthese").get_data(True))
    assert "Ce que l'analyse a proposé, ce que l'équipe a décidé" in page
    assert "thèmes proposés par l'analyse et gardés tels quels : 0" in page
    assert "contributions lues une à une par l'équipe : 2" in page
    assert "groupes de propositions fusionnés dans un autre par l'équipe : 1" in page
    assert "extraits épinglés par l'équipe (cités en premier pour leur thème) : 1" in page
    assert "extraits écartés par l'équipe (jamais cités pour leur thème) : 1" in page

    api = client.get(f"/api/v1/consultations/{closed.slug}/synthesis").get_json()
    assert api["latest"]["review"] == EXPECTED
    export = json.loads(
        download(client, f"/api/v1/consultations/{closed.slug}/export.json").get_data()
    )
    assert export["synthesis"]["versions"][0]["review"] == EXPECTED


def test_the_method_page_explains_the_review(client):
    page = html.unescape(client.get("/synthese/methode").get_data(True))
    assert "Relecture des thèmes par l'équipe" in page
    assert "ne défait aucune décision" in page
    assert "épingler l'extrait d'une contribution" in page
