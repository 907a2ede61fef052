"""End to end in headless Chromium: a moderator edits one section of the demo's drafted water
plan synthesis, names a contribution by its token and previews it — with JavaScript the preview
beside the text follows the typing; without, « Prévisualiser » brings the page back at
#apercu — saves, publishes, and the public page shows the link with the contribution's words.
The editor's pages pass axe."""

import pytest
import sqlalchemy as sa

from consultation.consultations.models import Consultation
from consultation.participation.models import Contribution
from consultation.synthesis import jobs, links
from tests.test_browser import (  # noqa: F401 (fixtures)
    CHROMIUM,
    CHROMIUM_ARGS,
    _sign_in,
    _violations,
    live_server,
    pytestmark,
)


@pytest.fixture
def tabs(chromium):
    """Two pages of one browser: with JavaScript off and on."""
    without = chromium.new_context(locale="fr-FR", bypass_csp=True, java_script_enabled=False)
    with_js = chromium.new_context(
        locale="fr-FR", bypass_csp=True, viewport={"width": 1280, "height": 900}
    )
    yield without.new_page(), with_js.new_page()
    without.close()
    with_js.close()


def _drafted(db) -> tuple[str, int, str, str]:
    """The water plan drafted: its slug, and a public contribution's id, tracking number and
    the words its link says."""
    from consultation.accounts.services import find_user

    consultation = db.session.scalar(
        sa.select(Consultation).where(Consultation.title.like("Plan national%"))
    )
    moderator = find_user("moderateur@demo.consultation.localhost")
    jobs.launch(jobs.start_draft(moderator, consultation).id)  # inline in tests
    item = db.session.scalar(
        sa.select(Contribution)
        .where(Contribution.consultation_id == consultation.id, Contribution.is_public)
        .order_by(Contribution.id)
        .limit(1)
    )
    link = links.contribution_links(consultation.id, ids=[item.id])[0]
    slug = consultation.slug
    db.session.close()  # outside a request a transaction takes the write lock: end it now
    return slug, item.id, link.number, link.words


def test_edit_a_section_with_a_token_preview_and_publish(live_server, tabs, db):  # noqa: F811
    slug, item_id, number, words = _drafted(db)
    tab, page = tabs
    editor = live_server + f"/gestion/consultations/{slug}/synthese"

    # With JavaScript: the preview beside the text follows the typing.
    _sign_in(page, live_server, "moderateur")
    page.goto(editor)
    assert _violations(page) == []
    page.locator("#parties table").get_by_role("link", name="La participation").click()
    page.wait_for_load_state()
    section_url = page.url
    assert "/synthese/parties/la-participation" in section_url
    field = page.get_by_label("Texte de la partie (Markdown)")
    field.fill(field.input_value() + f"\n\nUne contribution marquante : [[{number}]].")
    preview = page.locator("#apercu-contenu")
    preview.get_by_role("link", name=f"{words} ({number})").wait_for(timeout=10_000)
    text_box, preview_box = field.bounding_box(), page.locator("#apercu").bounding_box()
    assert preview_box["x"] > text_box["x"] + text_box["width"] - 1  # beside, not below
    field.fill(field.input_value() + " [[C-ZZZZ-ZZZZ-ZZZZ]]")
    page.locator("#apercu-avertissement").get_by_text("C-ZZZZ-ZZZZ-ZZZZ").wait_for(timeout=10_000)
    assert _violations(page) == []

    # Without JavaScript: « Prévisualiser » comes back at #apercu with the typed text; then save.
    _sign_in(tab, live_server, "moderateur")
    tab.goto(section_url)
    field = tab.get_by_label("Texte de la partie (Markdown)")
    typed = field.input_value() + f"\n\nUne contribution marquante : [[{number}]]."
    field.fill(typed)
    tab.get_by_role("button", name="Prévisualiser").click()
    tab.wait_for_load_state()
    assert tab.url.endswith("#apercu")
    assert tab.get_by_label("Texte de la partie (Markdown)").input_value() == typed.replace(
        "\r\n", "\n"
    )
    assert tab.locator("#apercu-contenu").get_by_role("link", name=f"{words} ({number})").count()
    tab.get_by_role("button", name="Enregistrer la partie").click()
    tab.wait_for_load_state()
    assert "Partie enregistrée" in tab.content()

    # Publish: the draft's warning removed (the opening section), a follow-up, a version.
    tab.goto(editor + "/parties/ouverture")
    tab.get_by_label("Texte de la partie (Markdown)").fill("La synthèse de la consultation.")
    tab.get_by_role("button", name="Enregistrer la partie").click()
    tab.wait_for_load_state()
    tab.goto(editor)
    tab.get_by_label("Observations prises en compte").fill("La priorité à l'eau potable.")
    tab.get_by_label("Adresse de la déclaration des motifs").fill("https://example.org/motifs")
    tab.get_by_role("button", name="Enregistrer", exact=True).click()
    tab.wait_for_load_state()
    tab.goto(editor + "/suites/nouvelle")
    tab.get_by_label("Titre").fill("Publier le décret d'application")
    tab.get_by_role("button", name="Enregistrer la suite").click()
    tab.wait_for_load_state()
    tab.get_by_role("button", name="Publier la version 1").click()
    tab.wait_for_load_state()
    assert tab.url.endswith(f"/consultations/{slug}/synthese")
    link = tab.locator("main").get_by_role("link", name=f"{words} ({number})").first
    assert link.get_attribute("href") == f"/consultations/{slug}/contributions/{item_id}"
    assert "[[" not in tab.locator("main").inner_text()
    page.goto(tab.url)
    assert _violations(page) == []
