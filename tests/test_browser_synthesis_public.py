"""End to end in headless Chromium, on a phone's width (375 px): the published synthesis of the
demo's closed consultation opens with its summary, the follow-ups and a table of contents; its
data sits in closed accordions that open with and without JavaScript; nothing overflows the
screen sideways; the page passes axe-core's WCAG 2.1 A/AA rules."""

import sqlalchemy as sa

from consultation.accounts.models import Role, User
from consultation.consultations.models import Consultation
from consultation.synthesis import follow_ups, jobs, publishing
from tests.test_browser import (  # noqa: F401 (fixtures)
    _violations,
    live_server,
    pytestmark,
)

PHONE = {"width": 375, "height": 800}


def _publish(db) -> str:
    """Draft, review and publish the synthesis of the demo's closed consultation: its address."""
    consultation = next(
        c for c in db.session.scalars(sa.select(Consultation)) if c.status.value == "closed"
    )
    organiser = db.session.scalar(sa.select(User).where(User.role == Role.organiser))
    jobs.launch(jobs.start_draft(organiser, consultation).id)  # inline in tests
    draft = publishing.working_text(consultation)
    publishing.save_synthesis(
        organiser,
        consultation,
        body=draft.split("\n\n", 1)[1],  # without the draft's warning
        observations_considered="Le délai de mise en œuvre a été allongé.",
        reasons_url="https://example.org/motifs",
    )
    follow_ups.create_follow_up(organiser, consultation, title="Un décret d'application")
    publishing.publish_synthesis(organiser, consultation, "")
    db.session.commit()
    return f"/consultations/{consultation.slug}/synthese"


def _no_sideways_scroll(tab) -> bool:
    return tab.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_the_public_synthesis_reads_on_a_phone(live_server, page, db):  # noqa: F811
    address = _publish(db)
    page.set_viewport_size(PHONE)
    page.goto(live_server + address)
    headings = page.locator("main h2").evaluate_all("all => all.map(h => h.textContent.trim())")
    assert (
        headings.index("En bref") < headings.index("Suites envisagées") < headings.index("Sommaire")
    )
    contents = page.locator("nav.fr-summary a")
    assert contents.count() >= 5
    assert "Ce que ce brouillon ne dit pas" not in page.content()
    accordions = page.locator("details.synthesis-accordion")
    assert accordions.count() >= 5
    assert page.locator("details.synthesis-accordion[open]").count() == 0
    assert _no_sideways_scroll(page)
    assert _violations(page) == []

    # A table of contents link leads to its part of the text.
    target = contents.first.get_attribute("href")
    contents.first.click()
    assert page.url.endswith(target)

    # Each accordion opens, and its chart and table stay within the screen (the table scrolls
    # inside its own frame).
    figures = page.locator("#donnees-participation")
    figures.locator("summary").first.click()
    assert figures.get_attribute("open") is not None
    daily = page.locator("summary", has_text="Contributions déposées par jour")
    daily.click()
    assert page.get_by_text("Jours sans activité omis du tableau").first.is_visible()
    assert _no_sideways_scroll(page)
    assert _violations(page) == []


def test_the_accordions_open_without_javascript(live_server, page_without_javascript, db):  # noqa: F811
    address = _publish(db)
    page_without_javascript.set_viewport_size(PHONE)
    page_without_javascript.goto(live_server + address)
    themes = page_without_javascript.locator("#donnees-themes")
    assert not themes.locator(".synthesis-accordion__content").is_visible()
    themes.locator("summary").first.click()
    assert themes.locator(".synthesis-accordion__content").is_visible()
    assert _no_sideways_scroll(page_without_javascript)
