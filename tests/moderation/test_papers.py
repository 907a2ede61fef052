"""The moderators read the position papers they act on: the paper of a contribution and those
of its earlier versions, at the moderation's own addresses, whatever the contribution's state
(hidden or withdrawn included), under the rule of the decision page; the decision page and the
queue link to them; the organiser's answer page links to the public paper."""

from __future__ import annotations

import hashlib
import re

from consultation.moderation import services as moderation
from consultation.participation import services as participation
from tests.participation.paper_files import FIRST, SECOND


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _current(item) -> str:
    return f"/moderation/contributions/{item.id}/contribution-ecrite/revue.pdf"


def _earlier(item) -> str:
    [revision] = item.revisions
    return f"/moderation/contributions/{item.id}/versions/{revision.id}/contribution-ecrite/position.pdf"


def _public(opened, item) -> str:
    return f"/consultations/{opened.slug}/contributions/{item.id}/contribution-ecrite/revue.pdf"


def _read(client, url: str, content: bytes) -> None:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response.headers["Content-Disposition"].startswith("inline; filename=")
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.get_data() == content
    response.close()


def test_a_moderator_reads_the_papers_of_a_hidden_contribution(
    client, db, opened, papered, moderator, login_as
):
    moderation.hide_contribution(moderator, papered, "insult")
    db.session.commit()
    assert client.get(_public(opened, papered)).status_code == 410  # gone for the public
    login_as(moderator)
    _read(client, _current(papered), SECOND)
    _read(client, _earlier(papered), FIRST)


def test_a_moderator_reads_the_papers_of_a_withdrawn_contribution(
    client, db, opened, papered, make_user, login_as
):
    participation.withdraw_contribution(papered.author, papered)
    db.session.commit()
    assert client.get(_public(opened, papered)).status_code == 410
    login_as(make_user("admin"))  # an administrator moderates every institution
    _read(client, _current(papered), SECOND)
    _read(client, _earlier(papered), FIRST)


def test_a_published_contributions_papers_too(client, papered, moderator, login_as):
    login_as(moderator)
    _read(client, _current(papered), SECOND)
    _read(client, _earlier(papered), FIRST)


def test_nobody_else_reads_them(
    client, db, papered, moderator, organiser, make_user, make_institution, login_as
):
    moderation.hide_contribution(moderator, papered, "insult")
    db.session.commit()
    urls = (_current(papered), _earlier(papered))
    for url in urls:  # anonymous: asked to sign in, as on the moderation pages
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/connexion" in response.headers["Location"]
    other = make_institution()
    refused = {
        "the author": papered.author,
        "a participant": make_user(),
        "the institution's organiser": organiser,
        "an organiser of another institution": make_user("organiser", institution=other),
        "a moderator of another institution": make_user("moderator", institution=other),
    }
    for who, user in refused.items():
        login_as(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 403, (who, url)
            assert response.get_data() not in (FIRST, SECOND)
            assert b"%PDF" not in response.get_data()


def test_what_is_not_there_is_not_found_and_a_wrong_name_is_corrected(
    client, db, opened, papered, moderator, login_as
):
    plain = participation.submit_contribution(
        papered.author, opened, kind="comment", body="Sans contribution écrite."
    )
    db.session.commit()
    [revision] = papered.revisions
    login_as(moderator)
    for url in (
        f"/moderation/contributions/{plain.id}/contribution-ecrite/revue.pdf",
        # An earlier version of another contribution, and one that does not exist.
        f"/moderation/contributions/{plain.id}/versions/{revision.id}/contribution-ecrite/x.pdf",
        f"/moderation/contributions/{papered.id}/versions/999999/contribution-ecrite/x.pdf",
        "/moderation/contributions/999999/contribution-ecrite/x.pdf",
    ):
        assert client.get(url).status_code == 404, url
    renamed = client.get(f"/moderation/contributions/{papered.id}/contribution-ecrite/autre.pdf")
    assert renamed.status_code == 301
    assert renamed.headers["Location"].endswith(_current(papered))
    earlier = client.get(
        f"/moderation/contributions/{papered.id}/versions/{revision.id}/contribution-ecrite/a.pdf"
    )
    assert earlier.status_code == 301
    assert earlier.headers["Location"].endswith(_earlier(papered))


def test_the_decision_page_links_to_each_paper_with_its_size_and_sha256(
    client, db, opened, papered, moderator, login_as
):
    moderation.hide_contribution(moderator, papered, "insult")
    db.session.commit()
    login_as(moderator)
    page = client.get(f"/moderation/contributions/{papered.id}").get_data(as_text=True)
    assert f'href="{_current(papered)}"' in page
    assert f'href="{_earlier(papered)}"' in page
    assert _sha(SECOND) in page and _sha(FIRST) in page
    assert re.search(r"Contribution écrite jointe \(PDF, \d+ ko\)", page)
    assert re.search(r"Contribution écrite jointe à cette version \(PDF, \d+ ko\)", page)
    assert "revue.pdf" in page and "position.pdf" in page
    assert "/contribution-ecrite/" not in page.replace(_current(papered), "").replace(
        _earlier(papered), ""
    )  # no link to the public address, which answers 410


def test_the_decision_page_of_a_contribution_without_paper_shows_none(
    client, db, opened, make_contribution, moderator, login_as
):
    item = make_contribution(opened)
    login_as(moderator)
    page = client.get(f"/moderation/contributions/{item.id}").get_data(as_text=True)
    assert "Contribution écrite jointe" not in page and "/contribution-ecrite/" not in page


def test_the_queue_links_each_item_to_its_paper_with_its_size(
    client, db, opened, papered, moderator, make_contribution, login_as
):
    plain = make_contribution(opened, body="Sans pièce jointe.")
    moderation.hide_contribution(moderator, papered, "insult")
    moderation.hide_contribution(moderator, plain, "insult")
    db.session.commit()
    login_as(moderator)
    page = client.get("/moderation/?state=hidden").get_data(as_text=True)
    assert plain.tracking_number in page and papered.tracking_number in page
    assert page.count("/contribution-ecrite/") == 1
    assert f'href="{_current(papered)}"' in page
    assert re.search(
        r"Contribution écrite jointe \(PDF, \d+ ko\)<span class=\"fr-sr-only\"> de la "
        + re.escape(f"contribution {papered.tracking_number}"),
        page,
    )


def test_the_answer_page_links_to_the_public_paper_while_it_is_public(
    client, db, opened, papered, moderator, organiser, login_as
):
    login_as(organiser)
    url = f"/gestion/contributions/{papered.id}/reponse"
    page = client.get(url).get_data(as_text=True)
    assert f'href="{_public(opened, papered)}"' in page
    assert re.search(r"Contribution écrite jointe \(PDF, \d+ ko\)", page)
    moderation.hide_contribution(moderator, papered, "insult")
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "/contribution-ecrite/" not in page  # the public address answers 410 now
