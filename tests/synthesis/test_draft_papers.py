"""Position papers in the drafted synthesis: the contributions with one are counted in the
figures and said in the participation part (only when there are some); the paper's text is read
with its contribution's, so that a proposal made only in the PDF is found and names that
contribution; a hidden contribution's paper is counted, never read."""

from __future__ import annotations

import copy
import html
import io
from datetime import timedelta

import pytest

from consultation.core.charter import ModerationReason
from consultation.extensions import db
from consultation.moderation import services as moderation
from consultation.participation import services as participation
from consultation.synthesis import draft, draft_markdown, jobs
from consultation.synthesis.models import Synthesis
from tests.participation.paper_files import pdf_with_text
from tests.synthesis.test_draft_markdown import SUBJECT, make_data

PROPOSAL = "Il faut verser la pension par la CAF."
HIDDEN_PROPOSAL = "Il faut zqcacher la pension au guichet."
SAID = "avec une contribution écrite jointe (PDF)"
OTHERS = (
    "Les pensions alimentaires impayées plongent des familles dans la pauvreté.",
    "Le recouvrement des pensions par les huissiers coûte cher aux parents seuls.",
    "Les délais de versement des pensions sont trop longs pour les familles.",
    "Les parents seuls attendent des mois avant de toucher la pension due.",
    "Les caisses d'allocations familiales connaissent bien les familles concernées.",
    "Le montant des pensions alimentaires n'est pas revalorisé chaque année.",
)


@pytest.fixture
def consulted(db, closed, make_user):
    """The shared `closed` consultation with comments on its first article (whose summary lists
    even a proposal made once), one of them with a short body and a position paper (through
    the participation service) that makes a proposal. Returns (consultation,
    comment(body, paper=None), the one with a paper)."""
    during = closed.opens_at + timedelta(days=1)
    article = closed.current_version.articles[0]

    def comment(body, paper=None):
        item = participation.submit_contribution(
            make_user(),
            closed,
            kind="comment",
            body=body,
            article_id=article.id,
            paper=io.BytesIO(pdf_with_text(paper)) if paper else None,
            paper_filename="position.pdf" if paper else None,
            now=during,
        )
        db.session.commit()
        return item

    for text in OTHERS:
        comment(text)
    return closed, comment, comment("Notre position, en pièce jointe.", paper=PROPOSAL)


def _draft(consultation, organiser) -> tuple[dict, str]:
    """The draft's data and Markdown."""
    jobs.launch(jobs.start_draft(organiser, consultation).id)
    db.session.expire_all()
    synthesis = db.session.get(Synthesis, consultation.id)
    assert synthesis is not None and synthesis.draft_data is not None
    return synthesis.draft_data, synthesis.draft_markdown


def _participation(markdown: str) -> str:
    return markdown.split("## La participation", 1)[1].split("\n## ")[0]


def test_a_paper_is_counted_said_and_its_proposal_found(consulted, organiser, client, login_as):
    consultation, _comment, with_paper = consulted
    data, markdown = _draft(consultation, organiser)

    assert data["figures"]["contributions"]["with_paper"] == 1
    assert f"dont 1 {SAID}" in _participation(markdown)
    # The proposal is only in the PDF: read after the short body, it names that contribution.
    groups = data["proposals"]["groups"]
    found = [g for g in groups if g["label"] and "caf" in g["label"].casefold()]
    assert found, [g["label"] for g in groups]
    assert found[0]["contribution_ids"] == [with_paper.id]
    index = groups.index(found[0])
    (summary,) = data["articles"][:1]
    assert {"group": index, "count": 1, "contribution_ids": [with_paper.id]} in summary["proposals"]
    assert any(
        "CAF" in line and f"[[{with_paper.tracking_number}]]" in line
        for line in markdown.splitlines()
    ), markdown
    assert data["method"]["thresholds"]["paper_text_max"] == draft.PAPER_TEXT_MAX

    # The editor's data block says it in its participation figures.
    login_as(organiser)
    page = client.get(f"/gestion/consultations/{consultation.slug}/synthese")
    figures = page.get_data(as_text=True).split('id="donnees-participation"', 1)[1]
    assert f"dont 1 {SAID}" in html.unescape(figures.split("</ul>", 1)[0])


def test_a_hidden_contributions_paper_is_counted_never_read(consulted, organiser, make_user):
    consultation, comment, _with_paper = consulted
    hidden = comment("Notre avis, en pièce jointe.", paper=HIDDEN_PROPOSAL)
    moderation.hide_contribution(make_user("moderator"), hidden, ModerationReason.off_topic)
    db.session.commit()
    data, markdown = _draft(consultation, organiser)

    assert data["figures"]["contributions"]["with_paper"] == 2
    assert f"dont 2 {SAID}" in _participation(markdown)
    assert not [g for g in data["proposals"]["groups"] if "zqcacher" in (g["label"] or "")]
    assert "zqcacher" not in markdown


def test_said_with_the_replies_and_only_when_there_are_papers():
    data = make_data([])
    data["figures"]["contributions"] |= {"total": 9, "replies": 2, "with_paper": 3}
    line = next(
        line
        for line in _participation(draft_markdown.write(SUBJECT, data)).splitlines()
        if "déposées" in line
    )
    assert f"dont 2 réponses à d'autres contributions et 3 {SAID}" in line

    without = copy.deepcopy(data)
    without["figures"]["contributions"]["with_paper"] = 0
    assert SAID not in draft_markdown.write(SUBJECT, without)
    del without["figures"]["contributions"]["with_paper"]  # a draft computed before papers
    assert SAID not in draft_markdown.write(SUBJECT, without)
