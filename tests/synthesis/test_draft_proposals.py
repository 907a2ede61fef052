"""Proposals, statement kinds and article summaries in the drafted synthesis: a proposal made by
five contributions is counted five times and linked to each; a theme lists its proposals; an
article with comments and no votes is summarised (kinds, themes, proposals, contributions to
read) and never reads « Aucun avis »; its statement kinds are what `classify` says; a proposal of
a contribution hidden since is not quoted on the public page; the method page explains both."""

from __future__ import annotations

import html
import re
from collections import Counter
from datetime import timedelta

import pytest

from consultation.core.charter import ModerationReason
from consultation.moderation import services as moderation
from consultation.participation import services as participation
from consultation.synthesis import follow_ups, jobs, publishing
from consultation.synthesis.analysis.statements import KINDS, classify
from consultation.synthesis.models import Synthesis

REPEATED = "Il faudrait rétablir les trains de nuit entre les grandes villes."
TRAINS = (
    "Les trains régionaux arrivent en retard chaque matin et les gares ferment.",
    "Le prix des billets de train augmente alors que les lignes ferroviaires disparaissent.",
    "Je prends le train tous les jours, les quais des gares sont bondés et sales.",
    "Les petites lignes ferroviaires desservent les villages, les trains y sont rares.",
    "Les gares rurales ferment une à une et le train devient un luxe pour les familles.",
    "Les horaires des trains régionaux ne correspondent plus aux horaires de travail.",
)
SCHOOLS = (
    "Les écoles manquent d'enseignants remplaçants et les classes restent sans professeur.",
    "Les enseignants des écoles rurales gèrent des classes de plusieurs niveaux.",
    "La cantine de l'école coûte trop cher aux familles modestes du quartier.",
    "Les professeurs des collèges demandent des classes moins chargées.",
    "Les écoles maternelles ferment des classes alors que les enfants arrivent.",
    "Les bâtiments des écoles sont mal isolés, les élèves ont froid en classe.",
    "Il faut recruter des enseignants remplaçants pour les écoles des villages.",
    "Les directeurs d'école croulent sous les tâches administratives et les classes.",
    "Le soutien scolaire après la classe devrait être gratuit dans les écoles.",
    "Mon fils n'a pas eu de professeur de mathématiques pendant trois mois au collège.",
    "Les écoles de campagne perdent leurs classes, les enfants font des heures de car.",
    "Pourquoi les classes des écoles publiques comptent-elles trente élèves ?",
)
SECRET_PROPOSAL = "Il faudrait zqsecretmesure les parkings des gares."


@pytest.fixture
def drafted(db, closed, make_user, organiser):
    """The shared `closed` consultation: comments without any vote, on its first article (the
    trains, five of them repeating a proposal, one making a proposal of its own) and on the
    text as a whole (the schools); then its draft. Returns (consultation, repeated, secret,
    trains, synthesis)."""
    consultation = closed
    first = consultation.current_version.articles[0]
    during = consultation.opens_at + timedelta(days=1)

    def comment(body, article=first):
        return participation.submit_contribution(
            make_user(),
            consultation,
            kind="comment",
            body=body,
            article_id=article.id if article else None,
            now=during,
        )

    repeated = [comment(f"{TRAINS[n]} {REPEATED}") for n in range(5)]
    secret = comment(f"{TRAINS[5]} {SECRET_PROPOSAL}")
    trains = [*repeated, secret, *(comment(f"{text} Les trains déçoivent.") for text in TRAINS)]
    for text in SCHOOLS:
        comment(text, article=None)
    db.session.commit()
    jobs.launch(jobs.start_draft(organiser, consultation).id)
    db.session.expire_all()
    synthesis = db.session.get(Synthesis, consultation.id)
    return consultation, repeated, secret, trains, synthesis


def _group(data, words):
    groups = data["proposals"]["groups"]
    return next(
        (n, g) for n, g in enumerate(groups) if g["label"] and words in g["label"].casefold()
    )


def test_a_proposal_made_five_times_is_counted_and_linked(drafted):
    consultation, repeated, _secret, _trains, synthesis = drafted
    data, markdown = synthesis.draft_data, synthesis.draft_markdown
    index, group = _group(data, "trains de nuit")
    assert group["count"] == 5
    assert sorted(group["contribution_ids"]) == sorted(c.id for c in repeated)
    assert index in data["proposals"]["listed"]
    assert data["proposals"]["total"] >= 2

    section = markdown.split("## Les propositions les plus fréquentes", 1)[1].split("\n## ")[0]
    line = next(line for line in section.splitlines() if "trains de nuit" in line)
    assert "5 contributions" in line
    for item in repeated:
        # Each contribution is named by its token (a link that says what it is where shown).
        assert f"[[{item.tracking_number}]]" in line
    assert "propositions distinctes" in section


def test_a_theme_lists_its_most_frequent_proposals(drafted):
    _consultation, repeated, _secret, _trains, synthesis = drafted
    data, markdown = synthesis.draft_data, synthesis.draft_markdown
    assert data["themes"], "the texts are enough for themes"
    index, _group_data = _group(data, "trains de nuit")
    theme = next(t for t in data["themes"] if repeated[0].id in t["contribution_ids"])
    entry = next(e for e in theme["proposals"] if e["group"] == index)
    members = set(theme["contribution_ids"])
    assert entry["count"] == len(members & {c.id for c in repeated}) >= 2
    number = data["themes"].index(theme) + 1
    part = markdown.split(f"### Thème {number} ")[1].split("\n### ")[0]
    assert "Propositions les plus fréquentes dans ce thème" in part
    assert "trains de nuit" in part
    # Its statement kinds are counted over its contributions.
    assert theme["statement_kinds"]["proposal"] >= entry["count"]


def test_an_article_with_comments_and_no_votes_is_summarised(drafted):
    consultation, repeated, _secret, trains, synthesis = drafted
    data, markdown = synthesis.draft_data, synthesis.draft_markdown
    first = consultation.current_version.articles[0]
    summary = next(a for a in data["articles"] if a["id"] == first.id)
    assert sum(summary["votes"].values()) == 0
    assert summary["by_kind"] == {"comment": len(trains)}
    assert summary["themes"] and summary["proposals"]
    index, _group_data = _group(data, "trains de nuit")
    assert {"group": index, "count": 5} | {
        "contribution_ids": summary["proposals"][0]["contribution_ids"]
    } == summary["proposals"][0]
    # Contributions to read first, though none has a vote.
    assert summary["representatives"]
    assert {item["id"] for item in summary["representatives"]} <= {c.id for c in trains}

    part = markdown.split(f"### {first.label}", 1)[1].split("\n### ")[0]
    assert "Aucun avis" not in markdown
    assert "Aucun vote sur l'article" in part
    assert f"{len(trains)} commentaires" in part
    assert "Thèmes de ses contributions" in part
    assert "Propositions les plus fréquentes dans cet article" in part
    assert "trains de nuit" in part
    assert "Ce que font ces contributions : " in part
    assert "À lire en premier, votes ou non" in part


def test_an_article_s_statement_kinds_are_what_classify_says(drafted):
    consultation, _repeated, _secret, trains, synthesis = drafted
    first = consultation.current_version.articles[0]
    summary = next(a for a in synthesis.draft_data["articles"] if a["id"] == first.id)
    expected = Counter(kind for item in trains for kind in classify(item.body))
    assert summary["statement_kinds"] == {kind: expected.get(kind, 0) for kind in KINDS}
    assert expected["proposal"] >= 6 and expected["problem"] >= 1
    nouns = {"proposal": "proposition", "problem": "problème"}
    part = synthesis.draft_markdown.split(f"### {first.label}", 1)[1].split("\n### ")[0]
    for kind, noun in nouns.items():
        assert re.search(rf"{expected[kind]} {noun}s?", part)


def test_a_hidden_contribution_s_proposal_is_not_quoted_on_the_public_page(
    db, client, drafted, organiser, make_user
):
    consultation, repeated, secret, _trains, synthesis = drafted
    assert "zqsecretmesure" in str(synthesis.draft_data)
    publishing.save_synthesis(organiser, consultation, body="## Synthèse\n\nLe public a répondu.")
    follow_ups.create_follow_up(organiser, consultation, title="Un décret d'application")
    publishing.publish_synthesis(organiser, consultation, "")
    db.session.commit()
    page = client.get(f"/consultations/{consultation.slug}/synthese").get_data(as_text=True)
    # Published, the proposal is quoted with its contribution (the control).
    assert "zqsecretmesure" in page
    assert "trains de nuit" in html.unescape(page)

    moderator = make_user("moderator")
    moderation.hide_contribution(moderator, secret, ModerationReason.off_topic)
    moderation.hide_contribution(moderator, repeated[0], ModerationReason.off_topic)
    db.session.commit()
    page = client.get(f"/consultations/{consultation.slug}/synthese").get_data(as_text=True)
    assert "zqsecretmesure" not in page
    assert "texte retiré ou masqué depuis" in page
    assert f"/contributions/{secret.id}" in page  # still counted and linked
    # A wording that public contributions wrote too is still quoted: its words are theirs.
    assert "trains de nuit" in html.unescape(page)


def test_the_method_page_explains_proposals_and_statement_kinds(client):
    page = html.unescape(client.get("/synthese/methode").get_data(as_text=True))
    for anchor in ("propositions", "natures"):
        assert f'id="{anchor}"' in page
    assert "il faudrait" in page and "Créer" in page
    assert "eval/synthesis.py" in page and "précision" in page
    client.get("/langue/en?suivant=/synthese/methode")
    english = html.unescape(client.get("/synthese/methode").get_data(as_text=True))
    assert "Proposals" in english and "precision" in english and "recall" in english
