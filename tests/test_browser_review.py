"""End to end in headless Chromium with JavaScript off: a moderator reviews the drafted themes
of the demo's closed water plan — renames one (an empty name first: refused in place), merges
two, creates one, moves a contribution into it and marks it read — then publishes; the public
page says what the analysis drafted and what people decided. Every page passes axe
(checked in a second browser with JavaScript, which axe needs to run)."""

import sqlalchemy as sa

from consultation.consultations.models import Consultation
from consultation.participation.models import Contribution
from consultation.synthesis import jobs, review
from tests.test_browser import (  # noqa: F401 (fixtures)
    CHROMIUM,
    CHROMIUM_ARGS,
    _sign_in,
    _violations,
    live_server,
    pytestmark,
)


def _drafted(db) -> tuple[str, list[str]]:
    """The water plan drafted, with three drafted themes over its contributions (a fixed split,
    so that the test does not depend on what the analysis finds): its slug and the themes."""
    from consultation.accounts.services import find_user

    consultation = db.session.scalar(
        sa.select(Consultation).where(Consultation.title.like("Plan national%"))
    )
    moderator = find_user("moderateur@demo.consultation.localhost")
    jobs.launch(jobs.start_draft(moderator, consultation).id)  # inline in tests
    ids = list(
        db.session.scalars(
            sa.select(Contribution.id)
            .where(Contribution.consultation_id == consultation.id)
            .order_by(Contribution.id)
        )
    )
    names = ["eau potable, nappes", "agriculture, irrigation", "tarifs de l'eau"]
    thirds = [ids[0::3], ids[1::3], ids[2::3]]
    data = {
        "themes": [{"label": n, "contribution_ids": t} for n, t in zip(names, thirds, strict=True)]
    }
    review.import_draft_themes(consultation, data, consultation.closes_at)
    db.session.commit()
    slug = consultation.slug
    db.session.close()  # outside a request a transaction takes the write lock: end it now
    return slug, names


def test_review_the_themes_then_publish_without_javascript(
    live_server,  # noqa: F811
    tabs,
    db,
):
    """The review is done with JavaScript off; axe (which needs JavaScript to run) checks the
    same pages, the refused form and the published page in a second browser."""
    slug, names = _drafted(db)
    tab, page = tabs
    _sign_in(tab, live_server, "moderateur")
    tab.goto(live_server + f"/gestion/consultations/{slug}/synthese")
    tab.get_by_role("link", name="Relire les thèmes").click()
    tab.wait_for_load_state()
    workbench = tab.url
    assert tab.locator("section.review-theme").count() == 3
    assert tab.get_by_text("Proposé par l'analyse").count() == 3

    # Rename: an empty name is refused next to the field; then a real one.
    first = tab.locator("section.review-theme").first
    first.get_by_label("Nom du thème").fill("  ")
    first.get_by_role("button", name="Renommer").click()
    tab.wait_for_load_state()
    assert "Donnez un nom au thème." in tab.locator("section.review-theme").first.inner_text()
    first = tab.locator("section.review-theme").first
    first.get_by_label("Nom du thème").fill("Eau potable")
    first.get_by_role("button", name="Renommer").click()
    tab.wait_for_load_state()
    assert "Thème renommé « Eau potable »." in tab.content()
    assert "Décidé par" in tab.locator("section.review-theme").first.text_content()

    # Merge the third theme into the second.
    third = tab.locator("section.review-theme").nth(2)
    third.get_by_label("Fusionner dans le thème").select_option(label=names[1])
    third.get_by_role("button", name="Fusionner").click()
    tab.wait_for_load_state()
    assert f"« {names[2]} » fusionné dans « {names[1]} »." in tab.content()
    assert tab.locator("section.review-theme").count() == 2
    assert "Thèmes retirés" in tab.content()

    # Create a theme, move a contribution of « Eau potable » into it, mark it read.
    tab.get_by_label("Nom du thème").last.fill("Qualité de l'eau")
    tab.get_by_role("button", name="Créer le thème").click()
    tab.wait_for_load_state()
    assert "Thème « Qualité de l'eau » créé." in tab.content()
    tab.locator("section.review-theme").first.get_by_role("link", name="contributions").click()
    tab.wait_for_load_state()
    theme_page = tab.url
    item = tab.locator("li.review-contribution").first
    number = item.get_by_role("link").first.inner_text()
    item.get_by_role("combobox").select_option(label="Qualité de l'eau")
    item.get_by_role("button", name="Déplacer").click()
    tab.wait_for_load_state()
    assert f"Contribution {number} déplacée." in tab.content()
    tab.goto(workbench)
    tab.locator("section.review-theme").nth(2).get_by_role("link", name="contribution").click()
    tab.wait_for_load_state()
    assert number in tab.content() and "placée par" in tab.content()
    tab.get_by_role("button", name="Marquer comme lue").first.click()
    tab.wait_for_load_state()
    assert "marquée comme lue" in tab.content()

    # The same pages, and a refused form, pass axe.
    _sign_in(page, live_server, "moderateur")
    for address in (workbench, theme_page, tab.url):
        page.goto(address)
        assert _violations(page) == [], address
    page.goto(workbench)
    page.get_by_label("Nom du thème").first.fill("")
    page.get_by_role("button", name="Renommer").first.click()
    page.wait_for_load_state()
    assert "Donnez un nom au thème." in page.content()
    assert _violations(page) == []
    page.get_by_role("link", name="Supprimer le thème").first.click()
    page.wait_for_load_state()
    assert "deviendront « sans thème »" in page.content()
    assert _violations(page) == []

    # Publish without JavaScript: the public page says what the analysis drafted and what
    # people decided.
    _publish(tab, live_server, slug)
    section = tab.locator("#relecture").inner_text()
    assert "thèmes créés ou modifiés par l'équipe : 3" in section  # renamed, merge target, new
    assert "thèmes retirés par l'équipe (fusionnés ou supprimés) : 1" in section
    assert "contributions lues une à une par l'équipe : 1" in section
    page.goto(tab.url)
    assert _violations(page) == []


def _publish(tab, base: str, slug: str) -> None:
    """Publish version 1 of the drafted synthesis as a moderator does without JavaScript: the
    text without the draft's warning, the environmental basis's two fields, one follow-up; the
    tab ends on the public page."""
    tab.goto(base + f"/gestion/consultations/{slug}/synthese")
    body = tab.get_by_label("Texte de la synthèse (Markdown)")
    body.fill(body.input_value().split("\n\n", 1)[1])  # the draft's warning, read and removed
    tab.get_by_label("Observations prises en compte").fill("La priorité à l'eau potable.")
    tab.get_by_label("Adresse de la déclaration des motifs").fill("https://example.org/motifs")
    tab.get_by_role("button", name="Enregistrer", exact=True).click()
    tab.wait_for_load_state()
    tab.goto(base + f"/gestion/consultations/{slug}/synthese/suites/nouvelle")
    tab.get_by_label("Titre").fill("Publier le décret d'application")
    tab.get_by_role("button", name="Enregistrer la suite").click()
    tab.wait_for_load_state()
    tab.get_by_role("button", name="Publier la version 1").click()
    tab.wait_for_load_state()
    assert tab.url.endswith(f"/consultations/{slug}/synthese")
