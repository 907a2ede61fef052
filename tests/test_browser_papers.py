"""End to end in headless Chromium with JavaScript off: an organisation edits its contribution
and replaces its written contribution (PDF) — a PDF carrying JavaScript first, refused next to
the field with the typed text kept — then sees the new paper on the card and the first one in
the history; and a participant's comment on the whole text carries a paper. Every page passes
axe (checked in a second browser with JavaScript, which axe needs to run)."""

import hashlib
import io
import re

import pytest

from tests.documents import files
from tests.participation.paper_files import pdf_with_text
from tests.test_browser import (  # noqa: F401 (fixtures)
    CHROMIUM,
    _sign_in,
    _violations,
    live_server,
    pytestmark,
)

FIRST = pdf_with_text("Position de l'association, premiere version.")
SECOND = pdf_with_text("Position de l'association, version revue.")


def _file(name: str, content: bytes) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": content}


@pytest.fixture
def demo_bill(live_server, db):  # noqa: F811
    """The slug of the demo's open bill."""
    from consultation.consultations.models import Consultation

    slug = db.session.scalar(
        db.select(Consultation.slug).where(Consultation.title.like("Projet de loi pour une%"))
    )
    db.session.close()  # outside a request a transaction takes the write lock: end it now
    return slug


@pytest.fixture
def positioned(demo_bill, db):
    """A comment of the demo's association on the open bill, with its written contribution."""
    from consultation.accounts.services import find_user
    from consultation.consultations.models import Consultation
    from consultation.participation import services

    consultation = db.session.scalar(db.select(Consultation).where(Consultation.slug == demo_bill))
    item = services.submit_contribution(
        find_user("association@demo.consultation.localhost"),
        consultation,
        kind="comment",
        body="Notre position sur le projet, détaillée en pièce jointe.",
        paper=io.BytesIO(FIRST),
        paper_filename="position.pdf",
    )
    db.session.commit()
    found = (f"/consultations/{demo_bill}/contributions/{item.id}", item.tracking_number)
    db.session.close()
    return found


def _paper_link(page, tracking_number: str):
    """The card's link to its paper, found by its accessible name (unique to the card)."""
    return page.get_by_role(
        "link",
        name=re.compile(
            r"^Contribution écrite jointe \(PDF, \d+ ko\) de la contribution "
            + re.escape(tracking_number)
            + "$"
        ),
    )


def test_the_author_replaces_the_paper_and_sees_the_new_one_on_the_card(
    live_server,  # noqa: F811
    tabs,
    positioned,
    tmp_path,
):
    page, checker = tabs
    url, number = positioned
    for tab in (page, checker):
        _sign_in(tab, live_server, "association")

    page.goto(live_server + url)
    assert _paper_link(page, number).get_attribute("href").endswith("/position.pdf")
    page.get_by_role("link", name=f"Modifier la contribution {number}").click()
    page.wait_for_load_state()
    assert page.url == live_server + url + "/modifier"
    assert "position.pdf" in page.locator("form[enctype]").inner_text()

    # A PDF carrying JavaScript: refused next to the field, the typed text kept, nothing saved.
    body = page.get_by_role("textbox", name="Votre contribution")
    body.fill("Notre position, revue après les échanges.")
    page.get_by_label("Remplacer par un autre PDF (facultatif)").set_input_files(
        _file("revue.pdf", files.pdf("javascript"))
    )
    page.get_by_role("button", name="Enregistrer la modification").click()
    page.wait_for_load_state()
    assert "contient du JavaScript" in page.locator("#paper-error").inner_text()
    assert body.input_value() == "Notre position, revue après les échanges."

    page.get_by_label("Remplacer par un autre PDF (facultatif)").set_input_files(
        _file("revue.pdf", SECOND)
    )
    page.get_by_role("button", name="Enregistrer la modification").click()
    page.wait_for_load_state()
    assert page.url.startswith(live_server + url)
    assert "Votre contribution est modifiée" in page.content()
    link = _paper_link(page, number)
    assert link.get_attribute("href").endswith(url + "/contribution-ecrite/revue.pdf")
    assert page.request.get(live_server + link.get_attribute("href")).body() == SECOND
    # The version replaced keeps the first paper, in the history.
    page.locator("details summary").click()
    earlier = page.get_by_role(
        "link", name=re.compile("^Contribution écrite jointe à cette version")
    )
    assert page.request.get(live_server + earlier.get_attribute("href")).body() == FIRST

    # The same card on the list of contributions.
    page.goto(live_server + url.split("/contributions/")[0] + "/contributions?ordre=recent")
    assert _paper_link(page, number).get_attribute("href").endswith("/revue.pdf")

    # axe, on each page of the walk: the edit form, its refusal, the contribution, the list.
    checker.goto(live_server + url + "/modifier")
    assert _violations(checker) == []
    checker.get_by_label("Remplacer par un autre PDF (facultatif)").set_input_files(
        _file("x.pdf", files.pdf("launch"))
    )
    checker.get_by_role("button", name="Enregistrer la modification").click()
    checker.wait_for_load_state()
    assert checker.locator("[id$=paper-error]").count() == 1
    assert _violations(checker) == []
    checker.goto(live_server + url)
    assert _violations(checker) == []
    checker.goto(live_server + url.split("/contributions/")[0] + "/contributions?ordre=recent")
    assert _violations(checker) == []


def test_a_comment_on_the_whole_text_carries_a_paper(
    live_server,  # noqa: F811
    tabs,
    demo_bill,
):
    page, checker = tabs
    url = f"{live_server}/consultations/{demo_bill}/contributions"
    for tab in (page, checker):
        _sign_in(tab, live_server, "camille")

    page.goto(url)
    form = page.locator("form#commenter")
    form.get_by_role("textbox", name="Votre commentaire").fill("Le texte oublie les communes.")
    form.get_by_label("Contribution écrite (PDF, facultatif)").set_input_files(
        _file("communes.pdf", files.pdf("embedded"))
    )
    form.get_by_role("button", name="Envoyer mon commentaire").click()
    page.wait_for_load_state()
    assert "fichiers joints" in page.locator("#paper-error").inner_text()
    form = page.locator("form#commenter")
    assert (
        form.get_by_role("textbox", name="Votre commentaire").input_value()
        == "Le texte oublie les communes."
    )
    form.get_by_label("Contribution écrite (PDF, facultatif)").set_input_files(
        _file("communes.pdf", FIRST)
    )
    form.get_by_role("button", name="Envoyer mon commentaire").click()
    page.wait_for_load_state()
    assert "Votre commentaire est enregistré sous le numéro C-" in page.content()
    number = re.search(r"C-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", page.url + page.content())[0]
    link = _paper_link(page, number)
    assert link.get_attribute("href").endswith("/contribution-ecrite/communes.pdf")
    assert page.request.get(live_server + link.get_attribute("href")).body() == FIRST

    checker.goto(url)
    assert _violations(checker) == []
    checker.locator("form#commenter").get_by_role("button", name="Envoyer mon commentaire").click()
    checker.wait_for_load_state()
    assert _violations(checker) == []  # the form sent back with its errors
    checker.goto(page.url)
    assert _violations(checker) == []


def test_with_javascript_the_paper_is_replaced_in_place_on_the_card(
    live_server,  # noqa: F811
    page,
    positioned,
):
    url, number = positioned
    _sign_in(page, live_server, "association")
    page.goto(live_server + url.split("/contributions/")[0] + "/contributions?ordre=recent")
    page.get_by_role("link", name=f"Modifier la contribution {number}").click()
    panel = page.locator("[data-inplace-panel]")
    panel.get_by_label("Remplacer par un autre PDF (facultatif)").set_input_files(
        _file("en-place.pdf", SECOND)
    )
    assert _violations(page) == []
    panel.get_by_role("button", name="Enregistrer la modification").click()
    page.locator(".contribution__notice").get_by_text("Votre contribution est modifiée").wait_for()
    link = _paper_link(page, number)
    assert "/contributions?ordre=recent" in page.url  # still on the list
    assert link.get_attribute("href").endswith(url + "/contribution-ecrite/en-place.pdf")
    assert page.request.get(live_server + link.get_attribute("href")).body() == SECOND
    assert _violations(page) == []


def test_a_moderator_reads_a_hidden_contributions_paper_from_the_queue(
    live_server,  # noqa: F811
    tabs,
    positioned,
    db,
):
    """Hidden, the paper is gone for the public; the moderator finds it in the queue and on
    the contribution's moderation page (its size and SHA-256), and reads it."""
    from consultation.accounts.services import find_user
    from consultation.moderation import services as moderation
    from consultation.participation.models import Contribution

    url, number = positioned
    item = db.session.scalar(db.select(Contribution).where(Contribution.tracking_number == number))
    moderation.hide_contribution(
        find_user("moderateur@demo.consultation.localhost"), item, "insult"
    )
    db.session.commit()
    item_id = item.id
    db.session.close()
    page, checker = tabs
    assert page.request.get(live_server + url + "/contribution-ecrite/position.pdf").status == 410
    for tab in (page, checker):
        _sign_in(tab, live_server, "moderateur")

    page.goto(live_server + "/moderation/?state=hidden")
    queued = page.get_by_role(
        "link",
        name=re.compile(
            r"^Contribution écrite jointe \(PDF, \d+ ko\) de la contribution "
            + re.escape(number)
            + "$"
        ),
    )
    assert queued.get_attribute("href") == (
        f"/moderation/contributions/{item_id}/contribution-ecrite/position.pdf"
    )
    page.get_by_role("link", name=number, exact=True).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == f"Modérer la contribution {number}"
    paper = page.get_by_role(
        "link", name=re.compile(r"^Contribution écrite jointe \(PDF, \d+ ko\)$")
    )
    assert hashlib.sha256(FIRST).hexdigest() in page.locator("main").inner_text()
    assert page.request.get(live_server + paper.get_attribute("href")).body() == FIRST

    for path in ("/moderation/?state=hidden", f"/moderation/contributions/{item_id}"):
        checker.goto(live_server + path)
        assert _violations(checker) == [], path


def test_the_author_finds_the_paper_in_their_data(
    live_server,  # noqa: F811
    page,
    positioned,
):
    """« Mes données » lists the paper with its name, size and SHA-256; the page passes axe."""
    _url, number = positioned
    _sign_in(page, live_server, "association")
    page.goto(live_server + "/compte")
    table = page.get_by_role("table", name="Contributions écrites jointes à mes contributions")
    row = table.get_by_role("row").filter(has_text=number)
    assert "position.pdf" in row.inner_text() and "Actuelle" in row.inner_text()
    assert hashlib.sha256(FIRST).hexdigest() in row.inner_text()
    assert _violations(page) == []
