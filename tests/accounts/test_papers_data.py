"""The position papers of a person's contributions are part of their data: in "Mes données"
(the account page and the download), the current paper of each contribution and the paper each
earlier version had, with its name, size and SHA-256, whatever the contribution's state."""

from __future__ import annotations

import hashlib
import io
import re

import pytest

from consultation.moderation import services as moderation
from consultation.participation import services
from tests.participation.paper_files import pdf_with_text

FIRST = pdf_with_text("Premiere position de la federation")
SECOND = pdf_with_text("Seconde position, revue")
OTHER = pdf_with_text("Position sur un autre point")


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _paper(name: str, content: bytes) -> dict:
    return {"name": name, "size": len(content), "sha256": _sha(content)}


@pytest.fixture
def author(db, opened, make_user):
    """Claire's three contributions: the first with FIRST replaced by SECOND then its wording
    changed again (a version without a new paper), hidden since; the second without any
    paper; the third with OTHER, its paper removed by an edit."""
    claire = make_user(display_name="Claire Dupont")
    first = services.submit_contribution(
        claire,
        opened,
        kind="comment",
        body="Version 1.",
        paper=io.BytesIO(FIRST),
        paper_filename="position.pdf",
    )
    plain = services.submit_contribution(claire, opened, kind="comment", body="Sans PDF.")
    third = services.submit_contribution(
        claire,
        opened,
        kind="comment",
        body="Avec un PDF retiré ensuite.",
        paper=io.BytesIO(OTHER),
        paper_filename="autre.pdf",
    )
    db.session.commit()
    services.edit_contribution(
        claire, first, {"body": "Version 2."}, paper=io.BytesIO(SECOND), paper_filename="revue.pdf"
    )
    db.session.commit()
    services.edit_contribution(claire, first, {"body": "Version 3."})
    services.edit_contribution(claire, third, {}, remove_paper=True)
    db.session.commit()
    moderation.hide_contribution(make_user("moderator"), first, "insult")
    db.session.commit()
    return claire, first, plain, third


def test_the_download_gives_each_versions_paper(client, login_as, author):
    claire, first, plain, third = author
    login_as(claire)
    data = client.get("/compte/mes-donnees.json").get_json()
    found = {c["tracking_number"]: c for c in data["contributions"]}
    hidden = found[first.tracking_number]
    assert hidden["paper"] == _paper("revue.pdf", SECOND)
    assert [(w["body"], w["paper"]) for w in hidden["earlier_wordings"]] == [
        ("Version 1.", _paper("position.pdf", FIRST)),
        ("Version 2.", _paper("revue.pdf", SECOND)),
    ]
    assert found[plain.tracking_number]["paper"] is None
    removed = found[third.tracking_number]
    assert removed["paper"] is None
    assert [w["paper"] for w in removed["earlier_wordings"]] == [_paper("autre.pdf", OTHER)]
    assert "position_papers" not in data  # each paper is given once, under its version


def test_the_account_page_lists_each_versions_paper(client, login_as, opened, author):
    claire, first, plain, third = author
    login_as(claire)
    page = client.get("/compte").get_data(as_text=True)
    section = page.split('id="donnees-titre"')[1]
    assert "Contributions écrites jointes à mes contributions" in section
    rows = re.findall(r"<tr>(.*?)</tr>", section.split("<tbody>")[1], re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    # Newest contribution first; its current paper, then its earlier versions newest first.
    assert [(c[0], c[3], c[5]) for c in cells] == [
        (third.tracking_number, "autre.pdf", f"<code>{_sha(OTHER)}</code>"),
        (first.tracking_number, "revue.pdf", f"<code>{_sha(SECOND)}</code>"),
        (first.tracking_number, "revue.pdf", f"<code>{_sha(SECOND)}</code>"),
        (first.tracking_number, "position.pdf", f"<code>{_sha(FIRST)}</code>"),
    ]
    assert [c[2].startswith("Remplacée le ") for c in cells] == [True, False, True, True]
    assert cells[1][2] == "Actuelle"
    assert all(c[1] == opened.title for c in cells)
    assert all(re.fullmatch(r"\d+ ko", c[4]) for c in cells)
    assert plain.tracking_number not in section


def test_no_paper_no_table(client, login_as, opened, make_user):
    person = make_user()
    services.submit_contribution(person, opened, kind="comment", body="Sans PDF.")
    login_as(person)
    page = client.get("/compte").get_data(as_text=True)
    assert "Contributions écrites jointes à mes contributions" not in page
    data = client.get("/compte/mes-donnees.json").get_json()
    assert [c["paper"] for c in data["contributions"]] == [None]
