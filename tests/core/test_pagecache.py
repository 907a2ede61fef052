"""The consultation page is rendered once for anonymous visitors and served again while what
it shows is unchanged — never stale: a vote, an extension or the clock changes it."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from consultation.consultations import queries
from consultation.consultations import services as consultations
from consultation.core import clock, pagecache
from consultation.participation import services as participation
from tests.helpers import count_queries


def test_anonymous_visitors_share_one_rendering_until_a_count_changes(
    client, db, make_consultation, make_user
):
    consultation = make_consultation("open")
    db.session.commit()
    url = f"/consultations/{consultation.slug}"
    rendering = count_queries(client, db, url)
    served_again = count_queries(client, db, url)
    assert served_again < rendering  # the text is not read again
    assert "Aucune contribution · aucun avis" in _text(client.get(url))

    participation.cast_article_vote(
        make_user(), consultation.current_version.articles[0], "disagree"
    )
    db.session.commit()
    page = _text(client.get(url))
    assert "1 avis (d'accord : 0, mitigé : 0, pas d'accord : 1)" in page


def test_conditional_get_answers_304_until_the_page_changes(
    client, db, make_consultation, make_user
):
    consultation = make_consultation("open")
    db.session.commit()
    url = f"/consultations/{consultation.slug}"
    etag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304

    participation.cast_article_vote(make_user(), consultation.current_version.articles[1], "agree")
    db.session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_an_extension_and_the_clock_change_the_page(
    client, db, make_consultation, organiser, monkeypatch
):
    consultation = make_consultation("open")
    db.session.commit()
    url = f"/consultations/{consultation.slug}"
    before = client.get(url).get_data(as_text=True)
    new_closing = consultation.closes_at + timedelta(days=10)
    consultations.extend_consultation(organiser, consultation, new_closing, "Forte demande.")
    db.session.commit()
    after = client.get(url).get_data(as_text=True)
    assert "Forte demande." in after and "Forte demande." not in before

    after_closing = consultation.closes_at + timedelta(minutes=1)
    monkeypatch.setattr(clock, "now", lambda: after_closing)
    closed = client.get(url).get_data(as_text=True)
    assert "close depuis" in closed and "close depuis" not in after


def test_signed_in_visitors_never_get_the_shared_page(
    client, db, login_as, make_consultation, make_user
):
    consultation = make_consultation("open")
    db.session.commit()
    url = f"/consultations/{consultation.slug}"
    assert "Se connecter" in client.get(url).get_data(as_text=True)
    login_as(make_user(display_name="Zoé Participante"))
    page = client.get(url)
    assert "Zoé Participante" in page.get_data(as_text=True) and "ETag" not in page.headers


def test_page_parts_are_registered_on_each_application(app):
    registered = pagecache.parts(queries.CONSULTATION_PAGE)
    assert [part.name for part in registered] == ["ledger_checkpoint", "adopted_act", "following"]
    assert [part.name for part in registered if part.stamp is None] == ["following"]
    assert pagecache.parts(queries.CONSULTATION_PAGE, Flask("another")) == ()


def test_a_registered_part_reaches_the_page_and_its_stamp(app, db, make_consultation, monkeypatch):
    """A part reaches the template through the read model, and its stamp column is read with
    the consultation's row: what it shows cannot go stale."""
    consultation = make_consultation("open")
    db.session.commit()
    now = clock.now()
    before = queries.public_page_stamp(consultation.slug, now)
    shown = pagecache.PagePart(
        "shown",
        lambda consultation, viewer, now: f"about {consultation.slug}",
        lambda table: sa.literal_column("'stamped'").label("shown"),
    )
    monkeypatch.setitem(app.extensions["page_stamps"], queries.CONSULTATION_PAGE, {"s": shown})
    after = queries.public_page_stamp(consultation.slug, now)
    assert before is not None and after is not None
    assert "stamped" in after[0] and "stamped" not in before[0]
    context = queries.consultation_page(consultation, None, now).context()
    assert context["shown"] == f"about {consultation.slug}"

    clash = pagecache.PagePart("timing", lambda consultation, viewer, now: "")
    monkeypatch.setitem(app.extensions["page_stamps"], queries.CONSULTATION_PAGE, {"t": clash})
    with pytest.raises(ValueError, match="timing"):
        queries.consultation_page(consultation, None, now).context()


def _text(response) -> str:
    return " ".join(response.get_data(as_text=True).split())
