"""Every contribution of a published theme and proposal group is reachable from the public
synthesis: a page per theme and per group of a version, 50 contributions a page, from what the
version stored (a later version or draft changes nothing), withdrawn and hidden contributions in
their place without their words; the public page says how many each theme holds and links to
them; the export and the API give the ids. And the draft's own themes within each article with
enough substantive contributions, and each theme's spread over articles and participant types."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from itertools import combinations

import pytest

from consultation.accounts import services as accounts
from consultation.accounts.models import Role
from consultation.core import clock
from consultation.moderation import services as moderation
from consultation.participation import services as participation
from consultation.synthesis import jobs
from consultation.synthesis.models import Synthesis, SynthesisVersion

TRAINS = (
    "Les trains régionaux arrivent en retard chaque matin et les gares ferment",
    "Le prix des billets de train augmente alors que les lignes ferroviaires disparaissent",
    "Je prends le train tous les jours, les quais des gares sont bondés et sales",
    "Les petites lignes ferroviaires desservent les villages, les trains y sont rares",
    "Les gares rurales ferment une à une et le train devient un luxe pour les familles",
    "Les horaires des trains régionaux ne correspondent plus aux horaires de travail",
)
SCHOOLS = (
    "Les écoles manquent d'enseignants remplaçants et les classes restent sans professeur",
    "Les enseignants des écoles rurales gèrent des classes de plusieurs niveaux",
    "La cantine de l'école coûte trop cher aux familles modestes du quartier",
    "Les professeurs des collèges demandent des classes moins chargées",
    "Les écoles maternelles ferment des classes alors que les enfants arrivent",
    "Les bâtiments des écoles sont mal isolés, les élèves ont froid en classe",
)


@pytest.fixture
def world(db, closed, make_user):
    """The `closed` consultation: 42 comments on its first article (trains and schools: each
    sentence alone and each pair of sentences of one subject, so that no two are alike), by two
    individuals and an organisation; 3 on its second, 8 on the text as a whole; the first
    article's second comment hidden since, the second article's first withdrawn. Returns
    (consultation, contributions in order)."""
    consultation = closed
    first, second = consultation.current_version.articles[:2]
    during = consultation.opens_at + timedelta(days=1)
    organisation = make_user(display_name="Collectif")
    accounts.update_profile(
        organisation,
        display_name="Collectif",
        profile_type="organisation",
        organisation_category="association",
        organisation_name="Collectif du rail",
    )
    authors = [make_user(display_name="Anne"), make_user(display_name="Basile"), organisation]
    texts = [
        *(f"{sentence}." for subject in (TRAINS, SCHOOLS) for sentence in subject),
        *(f"{a}. {b}." for subject in (TRAINS, SCHOOLS) for a, b in combinations(subject, 2)),
    ]
    places = [first.id] * len(texts) + [second.id] * 3 + [None] * 8
    texts += [f"{TRAINS[n]} ici, numéro {n}." for n in range(3)]
    texts += [f"{SCHOOLS[n % 6]}, remarque générale {n}." for n in range(8)]
    made = [
        participation.submit_contribution(
            authors[n % 3], consultation, kind="comment", body=text, article_id=place, now=during
        )
        for n, (text, place) in enumerate(zip(texts, places, strict=True))
    ]
    db.session.flush()
    withdrawn = made[len(texts) - 11]
    participation.withdraw_contribution(withdrawn.author, withdrawn, now=during)
    moderation.hide_contribution(make_user(Role.moderator), made[1], "off_topic", notify=False)
    db.session.commit()
    return consultation, made


def _publish(db, consultation, number: int, data: dict) -> None:
    db.session.add(
        SynthesisVersion(
            consultation_id=consultation.id,
            number=number,
            body=f"## Version {number}\n\nLa synthèse.",
            change_note="" if number == 1 else "Thèmes revus.",
            published_at=clock.now(),
            data=data,
        )
    )
    consultation.synthesis_published_at = consultation.synthesis_published_at or clock.now()
    db.session.commit()


def _text(response) -> str:
    """What a page says: its HTML without tags, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", response.get_data(as_text=True)))


def _listed_ids(page: str) -> list[int]:
    """The contributions a part's page lists, in order (its links to their pages)."""
    listing = page.split('class="synthesis-theme-list"', 1)[1].split("</ol>", 1)[0]
    return [int(i) for i in re.findall(r"/contributions/(\d+)\"", listing)]


def test_a_theme_and_a_proposal_group_list_every_contribution_fifty_a_page(world, db, client, app):
    consultation, made = world
    ids = [c.id for c in made]
    _publish(
        db,
        consultation,
        1,
        {
            "themes": [
                {"label": "trains et écoles", "size": len(ids), "contribution_ids": ids},
                {"label": "écoles", "size": 2, "contribution_ids": ids[18:20]},
            ],
            "proposals": {
                "groups": [
                    {
                        "label": "Rouvrir les gares",
                        "count": len(ids) - 1,
                        "contribution_ids": ids[1:],
                        "wordings": [{"text": "Rouvrir les gares", "ids": ids[1:]}],
                    }
                ],
                "listed": [0],
            },
        },
    )
    base = f"/consultations/{consultation.slug}/synthese/versions/1/themes/1"
    first = client.get(base)
    assert first.status_code == 200
    page = first.get_data(as_text=True)
    said = _text(first)
    assert "Thème 1 : trains et écoles" in said
    assert f"regroupe {len(ids)} contributions" in said
    assert "Page 1 sur 2" in said
    # Each link says what the contribution is, then its tracking number.
    assert f"Les trains régionaux arrivent en retard chaque matin… ({made[0].tracking_number})" in (
        said
    )
    # The hidden one is in its place, without its words, with the moderation's notice.
    assert f"Contribution masquée par la modération ({made[1].tracking_number})" in said
    assert "motif : hors sujet" in said
    assert f"alors… ({made[1].tracking_number})" not in said
    # The withdrawn one too (the second article's first).
    assert f"Contribution retirée par son auteur ({made[42].tracking_number})" in said
    second = client.get(f"{base}?page=2")
    later = second.get_data(as_text=True)
    assert "Page 2 sur 2" in _text(second)
    listed = _listed_ids(page) + _listed_ids(later)
    assert listed == ids  # every contribution once, in the version's order
    assert len(_listed_ids(page)) == 50
    # A page beyond the last shows the last.
    assert _listed_ids(client.get(f"{base}?page=99").get_data(as_text=True)) == ids[50:]
    # The proposal group's page lists its contributions the same way.
    group = client.get(f"/consultations/{consultation.slug}/synthese/versions/1/propositions/1")
    assert group.status_code == 200
    assert "Proposition 1 : « Rouvrir les gares »" in _text(group)
    assert f"{len(ids) - 1} contributions font cette proposition" in _text(group)
    assert _listed_ids(group.get_data(as_text=True)) == ids[1:51]
    # An unknown theme, group or version, or a number beyond a row's, is not found.
    prefix = f"/consultations/{consultation.slug}/synthese/versions"
    for path in (
        "/1/themes/3",
        "/1/themes/0",
        "/1/propositions/2",
        "/2/themes/1",
        f"/{2**40}/themes/1",
        f"/1/themes/{2**70}",
    ):
        assert client.get(prefix + path).status_code == 404, path


def test_the_public_synthesis_counts_and_links_each_theme_and_later_versions_change_nothing(
    world, db, client, app
):
    consultation, made = world
    ids = [c.id for c in made]
    _publish(
        db,
        consultation,
        1,
        {"themes": [{"label": "trains", "size": 3, "contribution_ids": ids[:3]}]},
    )
    _publish(
        db,
        consultation,
        2,
        {"themes": [{"label": "gares", "size": 2, "contribution_ids": ids[5:7]}]},
    )
    page = html.unescape(
        client.get(f"/consultations/{consultation.slug}/synthese").get_data(as_text=True)
    )
    assert "Ce thème regroupe 2 contributions" in page
    assert f'href="/consultations/{consultation.slug}/synthese/versions/2/themes/1"' in page
    # Version 1's theme still lists what version 1 stored, and says it was replaced.
    old = client.get(f"/consultations/{consultation.slug}/synthese/versions/1/themes/1")
    text = html.unescape(old.get_data(as_text=True))
    assert _listed_ids(text) == ids[:3]
    assert "Cette version de la synthèse a été remplacée" in text
    # The export and the API give each version's themes with their contributions.
    export = client.get(f"/api/v1/consultations/{consultation.slug}/export.json").get_json()
    versions = export["synthesis"]["versions"]
    assert [v["themes"][0]["contribution_ids"] for v in versions] == [ids[:3], ids[5:7]]
    api = client.get(f"/api/v1/consultations/{consultation.slug}/synthesis").get_json()
    numbers = [c.tracking_number for c in made[5:7]]
    assert api["latest"]["themes"] == [
        {
            "number": 1,
            "label": "gares",
            "size": 2,
            "contribution_ids": ids[5:7],
            "contributions": numbers,
        }
    ]


def test_a_draft_finds_themes_within_an_article_with_enough_contributions(
    world, db, organiser, client, login_as
):
    consultation, made = world
    jobs.launch(jobs.start_draft(organiser, consultation).id)
    db.session.expire_all()
    synthesis = db.session.get(Synthesis, consultation.id)
    first, second = synthesis.draft_data["articles"][:2]
    # 42 comments on the first article, one hidden since; campaign copies and non-answers are
    # not substantive: the rest (about forty) are enough for themes of its own.
    data = synthesis.draft_data
    copies = {
        m for c in data["campaigns"] for m in c["contribution_ids"] if m != c["representative_id"]
    }
    left_out = copies | set(data["non_answers"]["contribution_ids"]) | {made[1].id}
    substantive = {c.id for c in made[:42]} - left_out
    assert first["own_themes_texts"] == len(substantive) >= 30
    assert len(first["own_themes"]) >= 2
    within = {m for own in first["own_themes"] for m in own["contribution_ids"]}
    assert within <= substantive
    assert sum(own["size"] for own in first["own_themes"]) == len(within)
    # Three comments (one withdrawn) are too few.
    assert second["own_themes"] == [] and second["own_themes_texts"] == 2
    assert (
        f"Thèmes propres à cet article, cherchés dans ses {len(substantive)} contributions de fond"
        in synthesis.draft_markdown
    )
    assert "Pas de thèmes propres à cet article : 2 contributions de fond" in (
        synthesis.draft_markdown
    )
    # Each theme of the consultation says where its contributions stand and who wrote them.
    for theme in synthesis.draft_data["themes"]:
        assert sum(e["count"] for e in theme["by_article"]) == theme["size"]
        assert sum(theme["by_participant_type"].values()) == theme["size"]
    organisation = sum(
        t["by_participant_type"]["organisation"] for t in synthesis.draft_data["themes"]
    )
    assert organisation > 0
    assert "Qui les a écrites :" in synthesis.draft_markdown
    # The draft page shows both.
    login_as(organiser)
    page = client.get(f"/gestion/consultations/{consultation.slug}/synthese/brouillon")
    assert page.status_code == 200
    said = _text(page)
    assert "Thèmes propres à cet article" in said
    assert "Qui a écrit les contributions de chaque thème" in said
    # The method page says how an article's themes and their number are found.
    method = _text(client.get("/synthese/methode"))
    assert "Un article qui a reçu au moins 30 contributions de fond" in method
    assert "de 2 à 5 thèmes, sans dépasser un thème pour 8 contributions" in method
