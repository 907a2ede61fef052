"""A person's appeals against the hiding of their contributions are part of their data: listed
in "Mes données" (the account page and the download), their text erased with the account while
the row — contribution, dates, outcome — stays, so that the moderators' counts stay true."""

import re

import pytest

from consultation.moderation import appeals, queries
from consultation.moderation import services as moderation
from consultation.moderation.models import Appeal
from consultation.participation import services
from tests.helpers import PASSWORD

WHY = "Mon texte critique le projet sans insulter personne."


@pytest.fixture
def appealed(db, opened, moderator, make_user):
    """Claire's two hidden contributions: one appeal rejected, one waiting."""
    claire = make_user(display_name="Claire Dupont", email="claire@example.org")
    first, second = (
        services.submit_contribution(claire, opened, kind="comment", body=f"Avis {n}.")
        for n in range(2)
    )
    db.session.commit()
    for item in (first, second):
        moderation.hide_contribution(moderator, item, "insult")
        appeals.appeal_hiding(claire, item, WHY)
    db.session.commit()
    moderation.dismiss_reports(moderator, first)
    db.session.commit()
    return claire, first, second


def test_appeals_are_in_the_personal_data_download(db, client, login_as, opened, appealed):
    claire, first, second = appealed
    login_as(claire)
    data = client.get("/compte/mes-donnees.json").get_json()
    assert [a["contribution"] for a in data["appeals"]] == [
        first.tracking_number,
        second.tracking_number,
    ]
    rejected, waiting = data["appeals"]
    assert rejected["consultation"] == {"slug": opened.slug, "title": opened.title}
    assert rejected["body"] == WHY and rejected["status"] == "rejected"
    assert rejected["created_at"] and rejected["decided_at"]
    assert waiting["status"] == "pending" and waiting["decided_at"] is None


def test_appeals_are_listed_on_the_account_page(db, client, login_as, opened, appealed):
    claire, first, second = appealed
    login_as(claire)
    page = client.get("/compte").get_data(as_text=True)
    section = page.split('id="donnees-titre"')[1]
    assert "Mes recours contre un masquage" in section
    assert first.tracking_number in section and second.tracking_number in section
    assert WHY in section and opened.title in section
    # One sentence with the date of the decision, not « Rejeté : …, le » + a date.
    assert re.search(
        r"Rejeté le \d{1,2} \w+ \d{4} à \d{2}h\d{2} : la contribution reste masquée", section
    )
    assert "En attente d&#39;examen" in section or "En attente d'examen" in section


def test_no_appeal_no_table(db, client, login_as, make_user):
    login_as(make_user())
    page = client.get("/compte").get_data(as_text=True)
    assert "Mes recours contre un masquage" not in page
    assert client.get("/compte/mes-donnees.json").get_json()["appeals"] == []


def test_erasure_blanks_the_appeal_text_and_keeps_the_record(
    db, client, login_as, moderator, appealed
):
    claire, first, second = appealed
    waiting_before = queries.open_appeals_count(moderator.institution_id)
    services.erase_participant(claire, PASSWORD)
    db.session.commit()

    rows = db.session.scalars(db.select(Appeal).order_by(Appeal.id)).all()
    assert [(a.contribution_id, a.body, a.resolution) for a in rows] == [
        (first.id, "", "rejected"),
        (second.id, "", None),
    ]
    assert queries.open_appeals_count(moderator.institution_id) == waiting_before == 1
    login_as(moderator)
    page = client.get(f"/moderation/contributions/{second.id}").get_data(as_text=True)
    assert WHY not in page and "texte effacé avec le compte de son auteur" in page
    assert WHY not in client.get("/moderation/?state=appealed").get_data(as_text=True)
