"""A campaign in the drafted synthesis, from the database to the text: its members' trivial
additions are not quoted as personal texts, and it counts once in what the participants agree
on; the method page says so, and a crux hidden since the draft is no longer quoted."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consultation.moderation import services as moderation
from consultation.participation import services as participation
from consultation.synthesis import jobs, quotes
from consultation.synthesis.models import JobStatus, Synthesis, SynthesisJob

COMMON = (
    "Nous demandons que le délai de consultation du public soit porté à soixante jours pour "
    "tous les projets de texte, afin que chacun ait le temps de lire, de comprendre et de "
    "répondre avec sérieux aux questions posées par l'administration."
)
ADDITION = "J'ajoute que les communes rurales doivent être aidées."


@pytest.fixture
def campaign(db, closed, make_user):
    """Five members of one campaign in `closed`: three exact copies, one adding a sentence of
    its own, one adding « Aucune. »; returned as (consultation, members)."""
    when = closed.opens_at + timedelta(days=1)
    bodies = [COMMON, COMMON, COMMON, f"{COMMON} {ADDITION}", f"{COMMON} Aucune."]
    members = [
        participation.submit_contribution(make_user(), closed, now=when, kind="comment", body=body)
        for body in bodies
    ]
    db.session.commit()
    return closed, members


def _draft(db, organiser, consultation) -> Synthesis:
    job_id = jobs.start_draft(organiser, consultation).id
    db.session.commit()
    jobs.launch(job_id)
    db.session.expire_all()
    job = db.session.get(SynthesisJob, job_id)
    assert (job.status, job.error) == (JobStatus.done, "")
    return db.session.get(Synthesis, consultation.id)


def test_only_a_real_addition_is_quoted_as_personal_text(db, campaign, organiser):
    consultation, members = campaign

    synthesis = _draft(db, organiser, consultation)

    found = synthesis.draft_data["campaigns"][0]
    assert found["count"] == 5  # the member who added « Aucune » is counted
    assert [a["id"] for a in found["additions"]] == [members[3].id]
    markdown = synthesis.draft_markdown
    assert "1 personne a ajouté un texte personnel" in markdown
    assert f"« {ADDITION} »" in markdown
    assert "Aucune. »" not in markdown and "« Aucune" not in markdown


def test_a_campaign_counts_once_in_what_participants_agree_on(db, campaign, make_user, organiser):
    consultation, members = campaign
    articles = consultation.current_version.articles
    when = consultation.opens_at + timedelta(days=2)
    for _ in range(24):  # each votes 7 times: 5 campaign texts and 2 articles
        voter = make_user()
        for member in members:
            participation.cast_contribution_vote(voter, member, "agree", now=when)
        for article in articles[:2]:
            participation.cast_article_vote(voter, article, "agree", now=when)
    db.session.commit()

    synthesis = _draft(db, organiser, consultation)

    opinions = synthesis.draft_data["opinion_groups"]
    assert not opinions["clear"]  # 24 participants: too few for groups, consensus of all
    representative = synthesis.draft_data["campaigns"][0]["representative_id"]
    listed = [(s["kind"], s["id"]) for s in opinions["consensus"]]
    assert sorted(listed) == sorted(
        [("contribution", representative)] + [("article", a.id) for a in articles[:2]]
    )
    campaign_entry = opinions["consensus"][listed.index(("contribution", representative))]
    assert campaign_entry["votes"] == 5 * 24
    assert opinions["cruxes"] == []
    markdown = synthesis.draft_markdown
    agreed = markdown.split("Ce que la plupart des participants comparés approuvent")[1]
    cited = [m.id for m in members if f"[[{m.tracking_number}]]" in agreed.split("\n\n##")[0]]
    assert cited == [representative]
    assert f"d'accord ({5 * 24} votes)" in agreed


def test_the_method_page_explains_agreement_division_and_trivial_additions(client):
    french = " ".join(client.get("/synthese/methode").get_data(as_text=True).split())
    client.get("/langue/en?suivant=/synthese/methode")
    english = " ".join(client.get("/synthese/methode").get_data(as_text=True).split())

    assert "classés par le produit des parts d'accord des groupes" in french
    assert "<strong>Ce qui divise les groupes</strong>" in french
    assert "qu'à partir de 20 votes" in french
    assert "moins de 3 mots porteurs de sens" in french
    assert "ranked by the product of the groups' agreement shares" in english
    assert "<strong>What divides the groups</strong>" in english
    assert "only from 20 votes" in english and "the first 5 are kept" in english
    assert "fewer than 3 meaningful words" in english


def test_a_crux_hidden_since_the_draft_loses_its_words(db, campaign, make_user):
    consultation, members = campaign
    moderation.hide_contribution(make_user("moderator"), members[0], "insult")
    db.session.commit()
    crux = {"kind": "contribution", "id": members[0].id, "excerpt": COMMON[:40], "votes": 40}
    data = {"opinion_groups": {"groups": [], "consensus": [], "cruxes": [crux]}}

    shown = quotes.withhold(data, consultation.id)

    assert shown["opinion_groups"]["cruxes"][0]["excerpt"] is None
    assert shown["opinion_groups"]["cruxes"][0]["withheld"] is True
    assert data["opinion_groups"]["cruxes"][0]["excerpt"] == COMMON[:40]


@pytest.fixture
def short_answers(db, closed, make_user):
    """« RAS » twelve times, « Géothermie » thirteen times and a real campaign of three in
    `closed`; returned as (consultation, RAS members, Géothermie members)."""
    when = closed.opens_at + timedelta(days=1)

    def send(body):
        return participation.submit_contribution(
            make_user(), closed, now=when, kind="comment", body=body
        )

    empty = [send("RAS" if i % 2 else "ras.") for i in range(12)]
    frequent = [send("Géothermie" if i % 3 else "geothermie") for i in range(13)]
    for _ in range(3):
        send(COMMON)
    db.session.commit()
    return closed, empty, frequent


def test_non_answers_and_short_common_answers_are_not_campaigns(db, short_answers, organiser):
    consultation, empty, frequent = short_answers

    synthesis = _draft(db, organiser, consultation)
    data = synthesis.draft_data

    assert [c["count"] for c in data["campaigns"]] == [3]  # only the real campaign
    assert [(f["text"], f["count"]) for f in data["frequent_answers"]] == [("Géothermie", 13)]
    assert data["non_answers"]["count"] == 12
    assert sorted(data["non_answers"]["contribution_ids"]) == sorted(c.id for c in empty)
    in_themes = {i for theme in data["themes"] for i in theme["contribution_ids"]}
    assert not in_themes & {c.id for c in empty}
    markdown = synthesis.draft_markdown
    assert "12 contributions sans contenu (« ras. », « RAS »…)" in markdown
    assert "« Géothermie » ×13" in markdown
    assert "Campagne 2" not in markdown
