"""End to end in headless Chromium, in English: the pages the public walk of
`test_browser_english` does not reach — a consultation's documents (the public list with its
errata and hidden versions, the organisers' page before and after publication, a refused file,
the downloads), a contribution's position paper, a draft imported from a Word file (the
preview with its folded articles and its warning, the refusal of a PDF), and the synthesis
(the editor by parts and its preview, the review of themes and proposal groups, the public
pages of a published version's themes and proposal groups). No page shows a sentence of the
French interface or a French function word outside what people wrote and what is marked as
French, and each passes axe."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import timedelta

import sqlalchemy as sa

from consultation.consultations.models import Consultation
from consultation.participation.models import Contribution
from tests.documents import files
from tests.participation.paper_files import pdf_with_text
from tests.test_browser import (  # noqa: F401, F811 (fixtures)
    _sign_in,
    _violations,
    live_server,
    pytestmark,
)
from tests.test_browser_english import _french_sentences, _french_words, _interface_text
from tests.test_browser_import_office import DOUBTFUL, bill_with_a_doubtful_line
from tests.test_browser_review_more import _drafted_with_groups_and_excerpts
from tests.texts.office_fixtures import pdf_bytes

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PAPER = pdf_with_text("Notre position sur le projet.")


class Walk:
    """What a reader of the English interface would notice on each page of a walk: a page not
    marked English, a sentence of the French interface or a French word in the interface's
    text (what people wrote and what is marked French left out: the synthesis's own text may
    hold a catalogue sentence, in French on purpose), an axe violation."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.french = _french_sentences()
        self.walked: list[str] = []
        self.problems: list[str] = []

    def check(self, tab, where: str | None = None, *, axe: bool = True) -> None:
        """Check the page `tab` shows now (`where` names it in the report)."""
        where = where or tab.url.removeprefix(self.base)
        self.walked.append(where)
        if tab.locator("html").get_attribute("lang") != "en":
            self.problems.append(f"{where}: not marked English")
        text = _interface_text(tab)
        shown = sorted(s for s in self.french if s in text)
        if shown:
            self.problems.append(f"{where}: {shown[:5]}")
        words = _french_words(tab)
        if words:
            self.problems.append(f"{where}: French words {words[:40]}")
        if axe:
            for violation in _violations(tab):
                self.problems.append(f"{where}: axe {violation}")

    def visit(self, tab, path: str, **options) -> int:
        """Open `path` and check it; its HTTP status."""
        response = tab.goto(self.base + path)
        tab.wait_for_load_state()
        self.check(tab, path, **options)
        return response.status


def _in_english(tab, base: str, who: str | None = None) -> None:
    """Sign `who` in (a demo account, with the French form), then choose English."""
    if who:
        tab.goto(base + "/langue/fr")
        _sign_in(tab, base, who)
    tab.goto(base + "/langue/en")
    tab.wait_for_load_state()
    assert tab.locator("html").get_attribute("lang") == "en"


# --- Documents and position papers -----------------------------------------------------------


def _consultation_with_documents(db, make_consultation) -> tuple[str, str, dict[str, int]]:
    """A consultation of the demo's ministry, opened two days ago with three documents — an
    impact study of article 1er in PDF corrected by an erratum, an explanatory memorandum in
    Word corrected then its first version hidden, an opinion in OpenDocument hidden — and a
    contribution with a position paper; a draft with one document. The slugs, and the ids of
    the documents and the contribution."""
    from consultation.accounts.services import find_user
    from consultation.consultations import documents
    from consultation.consultations import services as consultations
    from consultation.core import clock
    from consultation.participation import services as participation

    organiser = find_user("organisateur@demo.consultation.localhost")
    opens = clock.now() - timedelta(days=2)
    published = make_consultation(
        "draft",
        actor=organiser,
        institution=organiser.institution,
        title="Projet de loi relatif aux études d'impact",
        opens_at=opens,
    )
    added = opens - timedelta(days=4)

    def add(content: bytes, name: str, kind: str, title: str, **values):
        return documents.add_document(
            organiser,
            published,
            file=io.BytesIO(content),
            filename=name,
            title=title,
            kind=kind,
            now=added,
            **values,
        )

    study = add(files.pdf(), "etude.pdf", "impact_study", "Étude d'impact", articles="1er")
    memo = add(files.docx(), "expose.docx", "explanatory_memorandum", "Exposé des motifs")
    opinion = add(files.odt(), "avis.odt", "opinion", "Avis du Conseil national")
    consultations.publish_consultation(organiser, published, now=opens - timedelta(days=1))
    study_2 = documents.publish_erratum(
        organiser,
        study,
        file=io.BytesIO(files.pdf(text="Version 2")),
        filename="etude-v2.pdf",
        note="Un tableau corrigé à la page 3.",
    )
    documents.publish_erratum(
        organiser,
        memo,
        file=io.BytesIO(files.docx("Exposé corrigé")),
        filename="expose-v2.docx",
        note="Une coquille corrigée.",
    )
    documents.hide_document(organiser, memo, "Données personnelles publiées par erreur.")
    documents.hide_document(organiser, opinion, "Décision de justice.")
    author = find_user("association@demo.consultation.localhost")
    paper = participation.submit_contribution(
        author,
        published,
        kind="comment",
        body="Notre position est jointe.",
        article_id=published.current_version.articles[0].id,
        paper=io.BytesIO(PAPER),
        paper_filename="position.pdf",
    )
    draft = make_consultation(
        "draft", actor=organiser, institution=organiser.institution, title="Projet en préparation"
    )
    documents.add_document(
        organiser,
        draft,
        file=io.BytesIO(files.pdf()),
        filename="annexe.pdf",
        title="Annexe technique",
        kind="annex",
    )
    db.session.commit()
    ids = {"study": study_2.id, "opinion": opinion.id, "paper": paper.id}
    slugs = published.slug, draft.slug
    db.session.close()  # outside a request a transaction takes the write lock: end it now
    return *slugs, ids


def test_documents_and_position_papers_in_english(
    live_server,  # noqa: F811
    app,
    page,
    db,
    make_consultation,
    tmp_path,
):
    slug, draft, ids = _consultation_with_documents(db, make_consultation)
    walk = Walk(live_server)

    # The public side: the consultation's page and its article list the documents, the
    # contribution shows its paper; a download says what it is, a hidden version is gone.
    _in_english(page, live_server)
    walk.visit(page, f"/consultations/{slug}")
    listed = page.locator("#documents").inner_text()
    assert "Impact assessment — article 1er: Étude d'impact (PDF, 1 kB, version 2)" in listed
    assert "Opinion: Avis du Conseil national" in listed, listed
    assert "Version 2 of" in listed and "version 1 hidden" in listed, listed
    assert "Document hidden on" in listed, listed
    article = page.locator("main a[href*='/articles/']").first.get_attribute("href")
    walk.visit(page, article)
    walk.visit(page, f"/consultations/{slug}/contributions")
    walk.visit(page, f"/consultations/{slug}/contributions/{ids['paper']}")
    shown = page.locator("main").inner_text()
    assert "Attached written contribution (PDF, 1 kB)" in shown
    assert hashlib.sha256(PAPER).hexdigest() in shown

    link = page.locator("main a[href*='/contribution-ecrite/']").first
    download = page.request.get(live_server + link.get_attribute("href"))
    assert download.status == 200
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"].startswith('inline; filename="position.pdf"')

    # A document's download names its file whatever the reader's language, and is opened in
    # a sandbox; a Word file is saved, not opened. A hidden version is gone, said in English.
    page.goto(live_server + f"/consultations/{slug}")
    for name, kind, disposition in (
        ("etude-v2.pdf", "application/pdf", "inline"),
        ("expose-v2.docx", DOCX, "attachment"),
    ):
        link = page.locator(f"#documents a[href$='/{name}']").first
        download = page.request.get(live_server + link.get_attribute("href"))
        assert download.status == 200
        assert download.headers["content-type"] == kind
        assert download.headers["content-disposition"] == (
            f"{disposition}; filename=\"{name}\"; filename*=UTF-8''{name}"
        )
        assert download.headers["x-content-type-options"] == "nosniff"
        assert download.headers["content-security-policy"].startswith("sandbox")
    hidden = f"/consultations/{slug}/documents/{ids['opinion']}/avis.odt"
    assert walk.visit(page, hidden) == 410

    # The organisers' side: the published consultation's documents (errata, hiding), a refused
    # erratum; the draft's (adding, removing), a refused file.
    _in_english(page, live_server, "organisateur")
    walk.visit(page, f"/gestion/consultations/{slug}/documents")
    page.locator(
        "details", has=page.locator("summary", has_text="Publish an erratum")
    ).first.locator("summary").click()
    page.locator("button", has_text="Publish the new version").first.click()
    page.wait_for_load_state()
    assert "This field is required." in page.locator(".fr-error-text").first.inner_text()
    walk.check(page, "refused erratum")
    walk.visit(page, f"/gestion/consultations/{draft}/documents")
    hostile = tmp_path / "etude.pdf"
    hostile.write_bytes(files.pdf("javascript"))
    page.get_by_label("File").set_input_files(str(hostile))
    page.get_by_label("Title of the document").fill("Étude d'impact")
    page.get_by_role("button", name="Add the document").click()
    page.wait_for_load_state()
    assert "This PDF file contains JavaScript" in page.locator("#file-error").inner_text()
    walk.check(page, "refused document")

    # A file over the limits: the page says them in English (kB, not ko).
    app.config.update(DOCUMENT_MAX_BYTES=50 * 1024, MAX_CONTENT_LENGTH=100 * 1024)
    big = tmp_path / "annexe-lourde.pdf"
    big.write_bytes(files.pdf() + b"%" * 300_000)
    page.get_by_label("File").set_input_files(str(big))
    with page.expect_response(lambda answer: answer.request.method == "POST") as sent:
        page.get_by_role("button", name="Add the document").click()
    page.wait_for_load_state()
    assert sent.value.status == 413
    shown = page.locator("main").inner_text()
    assert "150 kB" in shown and "50 kB" in shown, shown
    walk.check(page, "a document too large")
    assert walk.problems == [], "\n".join(walk.problems)


# --- A draft imported from a Word file -------------------------------------------------------


def test_a_draft_imported_from_a_word_file_in_english(live_server, page):  # noqa: F811
    walk = Walk(live_server)
    _in_english(page, live_server, "organisateur")
    walk.visit(page, "/gestion/consultations/nouvelle")
    page.locator("#title").fill("Projet de loi relatif à l'agriculture")
    page.locator("#text_file").set_input_files(
        files=[{"name": "projet.docx", "mimeType": DOCX, "buffer": bill_with_a_doubtful_line()}]
    )
    page.locator("button[type=submit]", has_text="Preview").first.click()
    page.wait_for_load_state()
    assert "6 articles, 4 divisions, " in page.locator("#apercu").inner_text()
    assert page.locator("details.preview-article").count() == 6
    warning = page.locator(".preview-warning").inner_text()
    assert re.search(r"^Line \d+: “", warning) and DOUBTFUL in warning, warning
    walk.check(page, "the preview of a .docx")
    page.locator("label[for=acknowledge_warnings]").click()
    page.locator("button[type=submit]", has_text="Save").first.click()
    page.wait_for_load_state()
    assert "Draft saved." in page.content()
    walk.check(page, "the saved draft")
    page.locator("#text_file").set_input_files(
        files=[{"name": "projet.docx", "mimeType": DOCX, "buffer": pdf_bytes()}]
    )
    page.locator("button[type=submit]", has_text="Preview").first.click()
    page.wait_for_load_state()
    assert "Send the text as .docx or .odt" in page.locator("#text_file-error").inner_text()
    walk.check(page, "a PDF refused")
    assert walk.problems == [], "\n".join(walk.problems)


# --- The synthesis ---------------------------------------------------------------------------


def _reviewed(db, slug: str) -> dict[str, int]:
    """The moderator's decisions on the drafted themes and proposals, so that the pages show
    who decided what: the first theme renamed, one of its contributions read and its first
    excerpt pinned, the second split, two proposal groups merged. The ids of the first theme
    and of the split one."""
    from consultation.accounts.services import find_user
    from consultation.synthesis import review, review_excerpts, review_proposals
    from consultation.synthesis.review_models import ReviewProposalGroup

    consultation = db.session.scalar(sa.select(Consultation).where(Consultation.slug == slug))
    moderator = find_user("moderateur@demo.consultation.localhost")
    first, second = review.active_themes(consultation)[:2]
    review.rename_theme(moderator, first, "Eau potable et nappes")
    excerpt = review_excerpts.drafted_excerpts(first)[0]
    pinned = db.session.get(Contribution, excerpt["id"])
    review_excerpts.choose_excerpt(moderator, first, pinned, "pinned")
    review.mark_read(moderator, consultation, pinned)
    moved = review.theme_page(second).contributions[:2]
    split = review.split_theme(moderator, second, [item.id for item in moved], "Irrigation")
    groups = db.session.scalars(
        sa.select(ReviewProposalGroup.id)
        .where(ReviewProposalGroup.consultation_id == consultation.id)
        .order_by(ReviewProposalGroup.id)
    ).all()
    review_proposals.merge_groups(
        moderator, consultation, list(groups[:2]), "Réduire les prélèvements"
    )
    db.session.commit()
    ids = {"renamed": first.id, "split": split.id}
    db.session.close()
    return ids


def _publish(db, slug: str) -> None:
    """Publish version 1 of the reviewed synthesis through the services, a contribution of
    its first theme hidden by the moderation since."""
    from consultation.accounts.services import find_user
    from consultation.moderation import services as moderation
    from consultation.synthesis import follow_ups, publishing

    consultation = db.session.scalar(sa.select(Consultation).where(Consultation.slug == slug))
    moderator = find_user("moderateur@demo.consultation.localhost")
    draft = publishing.working_text(consultation)
    publishing.save_synthesis(
        moderator,
        consultation,
        body=draft.split("\n\n", 1)[1],  # without the draft's warning
        observations_considered="La priorité à l'eau potable.",
        reasons_url="https://example.org/motifs",
    )
    follow_ups.create_follow_up(moderator, consultation, title="Un décret d'application")
    publishing.publish_synthesis(moderator, consultation, "")
    version = publishing.latest_version(consultation)
    first = version.data["themes"][0]["contribution_ids"][0]
    moderation.hide_contribution(moderator, db.session.get(Contribution, first), "insult")
    db.session.commit()
    db.session.close()


def test_the_synthesis_pages_in_english(live_server, page, db):  # noqa: F811
    slug, _names = _drafted_with_groups_and_excerpts(db)
    themes = _reviewed(db, slug)
    walk = Walk(live_server)
    _in_english(page, live_server, "moderateur")
    editor = f"/gestion/consultations/{slug}/synthese"
    # The editor lists the text's parts by their French headings; the draft's page.
    walk.visit(page, editor)
    parts = page.locator("#parties table a")
    assert parts.first.inner_text() == "Opening"
    assert page.locator("#parties table a[lang=fr]", has_text="La participation").count() == 1
    walk.visit(page, editor + "/brouillon")

    # A part, and its preview as one types (a token naming no contribution warned).
    walk.visit(page, editor + "/parties/la-participation")
    assert page.locator("h1").inner_text() == "Part “La participation”"
    field = page.locator("textarea").first
    field.fill(field.input_value() + "\n\nUne contribution inconnue : [[C-ZZZZ-ZZZZ-ZZZZ]].")
    page.locator("#apercu-avertissement").get_by_text("C-ZZZZ-ZZZZ-ZZZZ").wait_for(timeout=10_000)
    walk.check(page, "the part's preview")
    walk.visit(page, editor + "/parties/ouverture")

    # The review: the workbench, a renamed theme (its pinned excerpt, a contribution read),
    # the theme split from another, the contributions in no theme, the proposal groups, a
    # refused rename, the deletion's confirmation.
    walk.visit(page, editor + "/themes")
    workbench = page.url
    walk.visit(page, f"/gestion/themes/{themes['renamed']}")
    assert page.locator("h1").inner_text() == "Theme “Eau potable et nappes”"
    shown = " ".join(page.locator("main").text_content().split())  # badges are in capitals
    assert "Decided by Modératrice du ministère on " in shown
    assert "Pinned by Modératrice du ministère on " in shown
    assert "Read by Modératrice du ministère on " in shown
    walk.visit(page, f"/gestion/themes/{themes['split']}")
    assert "Split from “" in page.locator("main").inner_text()
    walk.visit(page, editor + "/themes/sans-theme")
    walk.visit(page, editor + "/propositions")
    assert "merged by Modératrice du ministère on " in page.locator("main").inner_text()
    page.goto(workbench)
    page.locator("section.review-theme input[type=text]").first.fill("")
    page.locator("section.review-theme button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "Give the theme a name." in page.locator("section.review-theme").first.inner_text()
    walk.check(page, "a refused rename")
    page.goto(workbench)
    page.locator("section.review-theme a[href$='/supprimer']").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Delete the theme “Eau potable et nappes”?"
    walk.check(page)

    # Published: the public synthesis, its version, a theme's and a proposal's pages (the
    # contribution hidden since keeps its place, said in English).
    _publish(db, slug)
    public = f"/consultations/{slug}/synthese"
    walk.visit(page, public)
    walk.visit(page, public + "/versions/1")
    walk.visit(page, public + "/versions/1/themes/1")
    assert page.locator("h1").inner_text().startswith("Theme 1: ")
    assert "Contribution hidden by moderation" in page.locator("main").inner_text()
    walk.visit(page, public + "/versions/1/propositions/1")
    assert page.locator("h1").inner_text().startswith("Proposal 1: “")
    assert walk.problems == [], "\n".join(walk.problems)
