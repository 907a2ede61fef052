"""End to end in headless Chromium with JavaScript off, on the demo's closed water plan: a
moderator splits a theme (nothing ticked first: refused next to the field, the typed name
kept), merges two proposal groups and renames the result, pins one excerpt and drops another,
then publishes; the public page counts what the team decided. The theme page with its split
form and the proposal groups' page pass axe (in a second tab, with JavaScript, which axe
needs to run)."""

import sqlalchemy as sa

from consultation.consultations.models import Consultation
from consultation.participation.models import Contribution
from consultation.synthesis import review_proposals
from consultation.synthesis.models import Synthesis
from tests.test_browser import (  # noqa: F401 (fixtures)
    _sign_in,
    _violations,
    live_server,
    pytestmark,
)
from tests.test_browser_review import _drafted, _publish

GROUPS = ["réduire les prélèvements agricoles", "limiter l'irrigation l'été", "tarif progressif"]


def _drafted_with_groups_and_excerpts(db) -> tuple[str, list[str]]:
    """`_drafted`, with three proposal groups of two contributions each, and its three themes
    in the draft's data, the first quoting two excerpts (fixed, so that the test does not
    depend on what the analysis finds)."""
    slug, names = _drafted(db)
    consultation = db.session.scalar(sa.select(Consultation).where(Consultation.slug == slug))
    rows = db.session.execute(
        sa.select(Contribution.id, Contribution.is_public)
        .where(Contribution.consultation_id == consultation.id)
        .order_by(Contribution.id)
    ).all()
    ids = [row.id for row in rows]
    public = [row.id for row in rows if row.is_public]
    thirds = [ids[0::3], ids[1::3], ids[2::3]]  # as `_drafted` fills its three themes
    quoted = [i for i in thirds[0] if i in set(public)][:2]
    pairs = [public[1:3], public[4:6], public[7:9]]
    groups = [
        {"label": label, "count": 2, "contribution_ids": pair, "wordings": []}
        for label, pair in zip(GROUPS, pairs, strict=True)
    ]
    members = [
        [[i, f"Il faut {label}."] for i in pair] for label, pair in zip(GROUPS, pairs, strict=True)
    ]
    data = {"proposals": {"groups": groups}}
    review_proposals.import_draft_proposals(consultation, data, members, consultation.closes_at)
    synthesis = db.session.get(Synthesis, consultation.id)
    texts = ["Protéger les nappes phréatiques d'abord.", "L'eau potable avant tout autre usage."]
    themes = [
        {
            "label": name,
            "phrases": [],
            "terms": name.split(", "),
            "size": len(third),
            "contribution_ids": third,
            "excerpts": [],
        }
        for name, third in zip(names, thirds, strict=True)
    ]
    themes[0]["excerpts"] = [{"id": i, "text": t} for i, t in zip(quoted, texts, strict=True)]
    synthesis.draft_data = dict(synthesis.draft_data) | {"themes": themes}
    db.session.commit()
    db.session.close()  # outside a request a transaction takes the write lock: end it now
    return slug, names


def test_split_merge_groups_pin_and_drop_then_publish_without_javascript(
    live_server,  # noqa: F811
    tabs,  # noqa: F811
    db,
):
    slug, _names = _drafted_with_groups_and_excerpts(db)
    tab, page = tabs
    _sign_in(tab, live_server, "moderateur")
    tab.goto(live_server + f"/gestion/consultations/{slug}/synthese/themes")
    tab.locator("section.review-theme").first.get_by_role("link", name="contributions").click()
    tab.wait_for_load_state()
    theme_page = tab.url

    # Split: nothing ticked is refused next to the field, the typed name kept.
    tab.get_by_label("Nom du nouveau thème").fill("Nappes phréatiques")
    tab.get_by_role("button", name="Créer le thème avec les contributions cochées").click()
    tab.wait_for_load_state()
    split = tab.locator("#scinder")
    assert "Cochez les contributions qui forment le nouveau thème." in split.inner_text()
    assert tab.get_by_label("Nom du nouveau thème").input_value() == "Nappes phréatiques"
    # Then two contributions ticked.
    boxes = tab.get_by_label("Dans le nouveau thème")
    ticked = [boxes.nth(n).get_attribute("value") for n in (2, 3)]
    for value in ticked:  # DSFR draws the box on the label, which takes the click
        tab.locator(f"label[for='s-contributions-{value}']").click()
    tab.get_by_role("button", name="Créer le thème avec les contributions cochées").click()
    tab.wait_for_load_state()
    assert "Thème « Nappes phréatiques » créé avec les 2 contributions cochées." in tab.content()
    assert tab.locator("li.review-contribution").count() == 2
    assert {tab.locator("li.review-contribution").nth(n).get_attribute("id") for n in (0, 1)} == {
        f"contribution-{i}" for i in ticked
    }

    # Pin one excerpt and drop another, on the theme split from.
    tab.goto(theme_page)
    excerpts = tab.locator("li.review-excerpt")
    assert excerpts.count() == 2
    excerpts.first.get_by_role("button", name="Épingler").click()
    tab.wait_for_load_state()
    assert "épinglé : il sera cité en premier pour ce thème." in tab.content()
    tab.locator("li.review-excerpt").nth(1).get_by_role("button", name="Écarter").click()
    tab.wait_for_load_state()
    assert "écarté : il ne sera pas cité pour ce thème." in tab.content()
    states = tab.locator("li.review-excerpt").all_text_contents()
    assert "Épinglé" in states[0] and "Écarté" in states[1]

    # Merge two proposal groups, then rename the result.
    tab.goto(live_server + f"/gestion/consultations/{slug}/synthese/propositions")
    groups_page = tab.url
    for label in GROUPS[:2]:
        tab.locator("label", has_text=f"À fusionner : « {label} »").click()
    tab.get_by_role("button", name="Fusionner les groupes cochés").click()
    tab.wait_for_load_state()
    assert "2 groupes fusionnés dans « " in tab.content()
    assert tab.locator("li.review-group").count() == 2
    merged = tab.locator("li.review-group").filter(has_text="4 contributions")
    merged.get_by_label("Libellé de la proposition").fill("Moins d'eau pour l'irrigation")
    merged.get_by_role("button", name="Renommer").click()
    tab.wait_for_load_state()
    assert "Proposition renommée « Moins d'eau pour l'irrigation »." in tab.content()
    assert "1 groupe fusionné dans un autre" in tab.locator("#proposal-figures").inner_text()

    # The theme page with its split form (and a refused split), the groups' page: axe.
    _sign_in(page, live_server, "moderateur")
    for address in (theme_page, groups_page):
        page.goto(address)
        assert _violations(page) == [], address
    page.goto(theme_page)
    page.get_by_label("Nom du nouveau thème").fill("")
    page.get_by_role("button", name="Créer le thème avec les contributions cochées").click()
    page.wait_for_load_state()
    assert "Cochez les contributions" in page.locator("#scinder").inner_text()
    assert _violations(page) == []

    # Publish without JavaScript: the public page counts the team's decisions.
    _publish(tab, live_server, slug)
    section = tab.locator("#relecture").inner_text()
    assert "groupes de propositions fusionnés dans un autre par l'équipe : 1" in section
    assert "groupes de propositions relus par l'équipe (renommés ou recevant une fusion) : 1" in (
        section
    )
    assert "extraits épinglés par l'équipe (cités en premier pour leur thème) : 1" in section
    assert "extraits écartés par l'équipe (jamais cités pour leur thème) : 1" in section
    assert "thèmes créés ou modifiés par l'équipe : 2" in section  # split off, and pinned in
