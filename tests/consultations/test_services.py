"""The lifecycle rules, tested through the service layer with an explicit clock."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from consultation.consultations import services
from consultation.consultations.constants import Status
from consultation.consultations.models import ConsultationEvent, EventKind
from consultation.core import clock
from consultation.core.errors import (
    ClosingNotLater,
    DurationTooShort,
    InvalidState,
    InvalidText,
    NotAllowed,
    NoticeIncomplete,
)
from tests.helpers import SAMPLE_TEXT, complete_notice


def _draft(organiser, institution, opens, closes, legal_basis="crpa_l131_1", **kw):
    values = dict(
        title="Projet de décret",
        summary="Résumé.",
        legal_basis=legal_basis,
        opens_at=opens,
        closes_at=closes,
        text=SAMPLE_TEXT,
        notice=complete_notice(closes),
    )
    values.update(kw)
    return services.create_consultation(
        organiser, institution, now=opens - timedelta(days=10), **values
    )


@pytest.mark.parametrize(
    ("legal_basis", "days"),
    [("crpa_l131_1", 15), ("crpa_l132_1", 15), ("env_l123_19_1", 21), ("env_l123_19", 30)],
)
def test_publication_refused_one_minute_below_the_legal_minimum(
    db, organiser, institution, legal_basis, days
):
    opens = clock.parse_paris_local("2027-02-01T09:00")
    closes = clock.add_paris_days(opens, days) - timedelta(minutes=1)
    notice = complete_notice(closes) | {"commission_name": "Conseil national"}
    consultation = _draft(organiser, institution, opens, closes, legal_basis, notice=notice)
    with pytest.raises(DurationTooShort) as refused:
        services.publish_consultation(organiser, consultation, now=opens - timedelta(days=1))
    assert f"{days} jours" in refused.value.message
    earliest = clock.to_paris(clock.add_paris_days(opens, days))
    assert f"{earliest.day} " in refused.value.message and "09h00" in refused.value.message
    assert refused.value.code == "duration_too_short"
    assert consultation.published_at is None


@pytest.mark.parametrize(
    ("opens", "closes_ok"),
    [
        # Spring change on 2027-03-28: 15 days last 359 hours.
        ("2027-03-20T10:00", "2027-04-04T10:00"),
        # Autumn change on 2027-10-31: 15 days last 361 hours.
        ("2027-10-25T00:00", "2027-11-09T00:00"),
    ],
)
def test_minimum_counted_in_paris_calendar_days_across_dst(
    db, organiser, institution, opens, closes_ok
):
    opens_at = clock.parse_paris_local(opens)
    closes_at = clock.parse_paris_local(closes_ok)
    too_early = _draft(organiser, institution, opens_at, closes_at - timedelta(seconds=1))
    with pytest.raises(DurationTooShort):
        services.publish_consultation(organiser, too_early, now=opens_at - timedelta(days=1))
    exact = _draft(organiser, institution, opens_at, closes_at)
    services.publish_consultation(organiser, exact, now=opens_at - timedelta(days=1))
    assert exact.published_at is not None


def test_status_follows_the_clock(db, organiser, institution):
    opens = clock.parse_paris_local("2027-05-03T09:00")
    closes = clock.add_paris_days(opens, 15)
    consultation = _draft(organiser, institution, opens, closes)
    assert consultation.status_at(opens) is Status.draft
    services.publish_consultation(organiser, consultation, now=opens - timedelta(days=2))
    assert consultation.status_at(opens - timedelta(seconds=1)) is Status.scheduled
    assert consultation.status_at(opens) is Status.open
    assert consultation.status_at(closes - timedelta(milliseconds=1)) is Status.open
    assert consultation.status_at(closes) is Status.closed
    consultation.synthesis_published_at = closes + timedelta(days=10)
    assert consultation.status_at(closes + timedelta(days=11)) is Status.synthesis_published


def test_status_query_matches_the_python_rule(db, make_consultation):
    from consultation.consultations.models import Consultation

    made = {
        status: make_consultation(status, title=f"Consultation {status}")
        for status in ("draft", "scheduled", "open", "closed")
    }
    now = clock.now()
    for status in (Status.draft, Status.scheduled, Status.open, Status.closed):
        ids = db.session.scalars(
            sa.select(Consultation.id).where(Consultation.has_status(status, now))
        ).all()
        assert ids == [made[status.value].id]
    open_ids = db.session.scalars(
        sa.select(Consultation.id).where(Consultation.is_open_at(now))
    ).all()
    assert open_ids == [made["open"].id]


def test_publication_requires_a_complete_notice(db, organiser, institution):
    opens = clock.parse_paris_local("2027-05-03T09:00")
    closes = clock.add_paris_days(opens, 20)
    consultation = _draft(organiser, institution, opens, closes, notice={})
    with pytest.raises(NoticeIncomplete) as refused:
        services.publish_consultation(organiser, consultation, now=opens - timedelta(days=1))
    assert set(refused.value.fields) == {
        "notice.object",
        "notice.explanatory_note",
        "notice.synthesis_expected_on",
    }
    assert consultation.published_at is None


def test_consultation_replacing_a_commission_must_name_it(db, organiser, institution):
    opens = clock.parse_paris_local("2027-05-03T09:00")
    closes = clock.add_paris_days(opens, 20)
    consultation = _draft(organiser, institution, opens, closes, legal_basis="crpa_l132_1")
    assert consultation.notice.replaces_commission is True
    with pytest.raises(NoticeIncomplete) as refused:
        services.publish_consultation(organiser, consultation, now=opens - timedelta(days=1))
    assert "notice.commission_name" in refused.value.fields


def test_synthesis_cannot_be_expected_before_closing(db, organiser, institution):
    opens = clock.parse_paris_local("2027-05-03T09:00")
    closes = clock.add_paris_days(opens, 20)
    notice = complete_notice(closes) | {"synthesis_expected_on": clock.to_paris(opens).date()}
    consultation = _draft(organiser, institution, opens, closes, notice=notice)
    with pytest.raises(NoticeIncomplete) as refused:
        services.publish_consultation(organiser, consultation, now=opens - timedelta(days=1))
    assert "notice.synthesis_expected_on" in refused.value.fields


def test_publication_freezes_and_fingerprints_the_text(db, organiser, institution):
    opens = clock.parse_paris_local("2027-05-03T09:00")
    consultation = _draft(organiser, institution, opens, clock.add_paris_days(opens, 15))
    services.publish_consultation(organiser, consultation, now=opens - timedelta(days=1))
    version = consultation.current_version
    assert version.frozen_at is not None
    assert len(version.sha256) == 64
    import hashlib

    from consultation.texts.importer import normalize_source

    assert version.sha256 == hashlib.sha256(normalize_source(SAMPLE_TEXT).encode()).hexdigest()
    with pytest.raises(InvalidState):
        services.update_consultation(
            organiser, consultation, {"text": "Article 1er\nAutre texte."}, now=opens
        )
    with pytest.raises(InvalidState):
        services.update_consultation(organiser, consultation, {"title": "Autre titre"}, now=opens)
    assert consultation.title == "Projet de décret"


def test_opening_already_past_becomes_the_publication_instant(db, organiser, institution):
    opens = clock.parse_paris_local("2027-05-03T09:00")
    consultation = _draft(organiser, institution, opens, clock.add_paris_days(opens, 30))
    published_at = opens + timedelta(days=2)
    services.publish_consultation(organiser, consultation, now=published_at)
    assert consultation.opens_at == published_at
    # And the minimum is then counted from the real opening.
    late = _draft(organiser, institution, opens, clock.add_paris_days(opens, 15))
    with pytest.raises(DurationTooShort):
        services.publish_consultation(organiser, late, now=opens + timedelta(days=1))


def test_open_consultation_can_be_extended_and_the_extension_is_logged(db, organiser, institution):
    opens = clock.parse_paris_local("2027-05-03T09:00")
    closes = clock.add_paris_days(opens, 15)
    consultation = _draft(organiser, institution, opens, closes)
    services.publish_consultation(organiser, consultation, now=opens - timedelta(days=1))
    later = closes + timedelta(days=7)
    services.extend_consultation(
        organiser, consultation, later, "Forte participation", now=opens + timedelta(days=3)
    )
    assert consultation.closes_at == later
    event = db.session.scalar(
        sa.select(ConsultationEvent).where(ConsultationEvent.kind == EventKind.extended)
    )
    assert (event.previous_closes_at, event.new_closes_at, event.reason) == (
        closes,
        later,
        "Forte participation",
    )
    assert event.actor_id == organiser.id and event.is_public


def test_closing_is_never_brought_forward(db, organiser, institution):
    opens = clock.parse_paris_local("2027-05-03T09:00")
    closes = clock.add_paris_days(opens, 20)
    consultation = _draft(organiser, institution, opens, closes)
    services.publish_consultation(organiser, consultation, now=opens - timedelta(days=1))
    for earlier in (closes, closes - timedelta(days=2)):
        with pytest.raises(ClosingNotLater):
            services.update_consultation(
                organiser, consultation, {"closes_at": earlier}, now=opens + timedelta(days=1)
            )
    assert consultation.closes_at == closes


def test_closed_consultation_cannot_be_extended(db, organiser, institution):
    opens = clock.parse_paris_local("2027-05-03T09:00")
    closes = clock.add_paris_days(opens, 15)
    consultation = _draft(organiser, institution, opens, closes)
    services.publish_consultation(organiser, consultation, now=opens - timedelta(days=1))
    with pytest.raises(InvalidState):
        services.extend_consultation(
            organiser, consultation, closes + timedelta(days=5), "", now=closes
        )


def test_only_organisers_of_the_institution_prepare_and_publish(
    db, make_user, make_institution, organiser, institution
):
    other = make_institution()
    outsider = make_user("organiser", institution=other)
    moderator = make_user("moderator")
    participant = make_user("participant")
    opens = clock.parse_paris_local("2027-05-03T09:00")
    for actor in (outsider, moderator, participant):
        with pytest.raises(NotAllowed):
            _draft(actor, institution, opens, clock.add_paris_days(opens, 15))
    consultation = _draft(organiser, institution, opens, clock.add_paris_days(opens, 15))
    for actor in (outsider, moderator, participant):
        with pytest.raises(NotAllowed):
            services.publish_consultation(actor, consultation, now=opens - timedelta(days=1))
    admin = make_user("admin")
    services.publish_consultation(admin, consultation, now=opens - timedelta(days=1))
    assert consultation.published_at is not None


def test_drafts_are_visible_only_to_their_institution(
    db, make_user, make_institution, make_consultation
):
    draft = make_consultation("draft")
    assert services.can_view(make_user("organiser"), draft)
    assert services.can_view(make_user("moderator"), draft)
    assert not services.can_view(make_user("organiser", institution=make_institution()), draft)
    assert not services.can_view(make_user("participant"), draft)
    assert not services.can_view(None, draft)


def test_unparseable_text_is_refused_with_the_line(db, organiser, institution):
    opens = clock.parse_paris_local("2027-05-03T09:00")
    with pytest.raises(InvalidText) as refused:
        _draft(
            organiser,
            institution,
            opens,
            clock.add_paris_days(opens, 15),
            text="Article 1er\nBon.\nMauvais\x00octet",
        )
    assert "3" in refused.value.message
    assert refused.value.code == "invalid_text"


def test_draft_text_is_replaced_at_each_save(db, organiser, institution):
    opens = clock.parse_paris_local("2027-05-03T09:00")
    consultation = _draft(organiser, institution, opens, clock.add_paris_days(opens, 15))
    assert [a.number for a in consultation.current_version.articles] == ["1er", "2", "3"]
    services.update_consultation(
        organiser, consultation, {"text": "Article unique\nLe texte entier."}, now=opens
    )
    assert len(consultation.versions) == 1
    assert [a.slug for a in consultation.current_version.articles] == ["unique"]


def test_slugs_are_unique(db, organiser, institution):
    opens = clock.parse_paris_local("2027-05-03T09:00")
    first = _draft(
        organiser,
        institution,
        opens,
        clock.add_paris_days(opens, 15),
        title="Loi « Numérique » 2027",
    )
    second = _draft(
        organiser,
        institution,
        opens,
        clock.add_paris_days(opens, 15),
        title="Loi « Numérique » 2027",
    )
    assert (first.slug, second.slug) == ("loi-numerique-2027", "loi-numerique-2027-2")
