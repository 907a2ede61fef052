"""Sane dates: one extension postpones the closing by at most EXTENSION_MAX_DAYS (a year by
default) Paris calendar days, and a draft's dates stay between 2000 and ten years from now;
the same rule, with the same French message on `closes_at`, from the service, the API's PATCH
and the back-office forms."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consultation.consultations import services
from consultation.core import clock
from consultation.core.errors import ExtensionTooLong, ValidationFailed
from tests.helpers import SAMPLE_TEXT, complete_notice

FAR = "9999-12-31T23:59:00+01:00"


@pytest.fixture
def published(db, organiser, institution):
    """Published on 2027-05-02, open from 2027-05-03 09:00 to 2027-05-24 09:00 (Paris)."""
    opens = clock.parse_paris_local("2027-05-03T09:00")
    closes = clock.add_paris_days(opens, 21)
    consultation = services.create_consultation(
        organiser,
        institution,
        title="Projet de décret",
        summary="Résumé.",
        legal_basis="crpa_l131_1",
        opens_at=opens,
        closes_at=closes,
        text=SAMPLE_TEXT,
        notice=complete_notice(closes),
        now=opens - timedelta(days=10),
    )
    services.publish_consultation(organiser, consultation, now=opens - timedelta(days=1))
    db.session.commit()
    return consultation


def test_an_extension_may_add_one_year_in_paris_calendar_days(db, organiser, published):
    closes = published.closes_at
    now = clock.parse_paris_local("2027-05-10T12:00")
    # A year later at the same Paris wall-clock time, whatever daylight saving does meanwhile.
    latest = clock.add_paris_days(closes, 365)
    assert clock.to_paris(latest).strftime("%Y-%m-%d %H:%M") == "2028-05-23 09:00"
    with pytest.raises(ExtensionTooLong) as refused:
        services.extend_consultation(
            organiser, published, latest + timedelta(minutes=1), "Trop loin", now=now
        )
    message = refused.value.fields["closes_at"]
    assert refused.value.code == "extension_too_long" and refused.value.status == 422
    assert "plus de 365 jours" in message and "23 mai 2028 à 09h00" in message
    assert published.closes_at == closes
    services.extend_consultation(organiser, published, latest, "Un an de plus", now=now)
    assert published.closes_at == latest


def test_the_maximum_is_a_setting(app, db, organiser, published):
    app.config["EXTENSION_MAX_DAYS"] = 30
    now = clock.parse_paris_local("2027-05-10T12:00")
    with pytest.raises(ExtensionTooLong) as refused:
        services.extend_consultation(
            organiser, published, published.closes_at + timedelta(days=31), "", now=now
        )
    assert "plus de 30 jours" in refused.value.message
    services.extend_consultation(
        organiser, published, clock.add_paris_days(published.closes_at, 30), "", now=now
    )


def test_a_draft_refuses_absurd_years(db, organiser, institution):
    now = clock.parse_paris_local("2027-01-10T12:00")
    for field, value, words in (
        ("closes_at", clock.parse_paris_local("9999-12-31T23:59"), "trop lointaine"),
        ("opens_at", clock.parse_paris_local("2037-02-01T09:00"), "trop lointaine"),
        ("opens_at", clock.parse_paris_local("1999-12-31T09:00"), "trop ancienne"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            services.create_consultation(
                organiser,
                institution,
                title="Projet",
                legal_basis="crpa_l131_1",
                now=now,
                **{field: value},
            )
        assert words in refused.value.fields[field], (field, value)
    # Ten years ahead is still accepted (a programme announced far in advance).
    draft = services.create_consultation(
        organiser,
        institution,
        title="Projet",
        legal_basis="crpa_l131_1",
        closes_at=clock.parse_paris_local("2036-12-31T09:00"),
        now=now,
    )
    with pytest.raises(ValidationFailed) as refused:
        services.update_consultation(
            organiser, draft, {"closes_at": clock.parse_paris_local(FAR[:16])}, now=now
        )
    assert "trop lointaine" in refused.value.fields["closes_at"]


def test_the_api_refuses_an_extension_beyond_a_year(
    client, db, organiser, make_consultation, bearer
):
    consultation = make_consultation("open")
    headers, url = bearer(organiser), f"/api/v1/consultations/{consultation.slug}"
    closes = consultation.closes_at
    for value in (FAR, clock.isoformat(clock.add_paris_days(closes, 365) + timedelta(hours=1))):
        response = client.patch(url, json={"closes_at": value}, headers=headers)
        assert response.status_code == 422, value
        error = response.json["error"]
        assert error["code"] == "extension_too_long"
        assert "plus de 365 jours" in error["fields"]["closes_at"]
    db.session.expire_all()
    assert consultation.closes_at == closes
    one_year = clock.isoformat(clock.add_paris_days(closes, 365))
    assert client.patch(url, json={"closes_at": one_year}, headers=headers).status_code == 200


def test_the_api_refuses_absurd_years_on_a_draft(client, db, organiser, make_consultation, bearer):
    draft = make_consultation("draft")
    response = client.patch(
        f"/api/v1/consultations/{draft.slug}",
        json={"closes_at": FAR},
        headers=bearer(organiser),
    )
    assert response.status_code == 422
    assert "trop lointaine" in response.json["error"]["fields"]["closes_at"]


def test_the_back_office_refuses_an_extension_beyond_a_year(
    client, db, login_as, organiser, make_consultation
):
    consultation = make_consultation("open")
    closes = consultation.closes_at
    login_as(organiser)
    response = client.post(
        f"/gestion/consultations/{consultation.slug}/prolonger",
        data={"closes_at": "9999-12-31T23:59", "reason": "Motif tapé avec soin"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "plus de 365 jours" in page and "Motif tapé avec soin" in page
    db.session.expire_all()
    assert consultation.closes_at == closes


def test_the_back_office_refuses_absurd_years_on_a_draft(
    client, db, login_as, organiser, make_consultation
):
    draft = make_consultation("draft")
    login_as(organiser)
    page = client.get(f"/gestion/consultations/{draft.slug}")
    assert page.status_code == 200
    response = client.post(
        f"/gestion/consultations/{draft.slug}",
        data={
            "title": "Titre gardé",
            "legal_basis": "crpa_l131_1",
            "closes_at": "9999-12-31T23:59",
            "action": "save",
        },
    )
    assert response.status_code == 422
    assert "trop lointaine" in response.get_data(as_text=True)
