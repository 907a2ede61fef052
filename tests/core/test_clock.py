"""Paris calendar days across both daylight-saving changes (no database needed)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from consultation.core import clock


def test_days_are_counted_at_same_paris_wall_clock_across_spring_change():
    # 2026-03-29: clocks go from 02:00 to 03:00 in Paris.
    opens = clock.parse_paris_local("2026-03-20T10:00")
    closes = clock.add_paris_days(opens, 15)
    assert clock.to_paris(closes).isoformat() == "2026-04-04T10:00:00+02:00"
    assert closes - opens == timedelta(days=15) - timedelta(hours=1)  # 359 hours


def test_days_are_counted_at_same_paris_wall_clock_across_autumn_change():
    # 2026-10-25: clocks go from 03:00 back to 02:00 in Paris.
    opens = clock.parse_paris_local("2026-10-20T00:00")
    closes = clock.add_paris_days(opens, 15)
    assert clock.to_paris(closes).isoformat() == "2026-11-04T00:00:00+01:00"
    assert closes - opens == timedelta(days=15, hours=1)  # 361 hours


def test_naive_input_is_paris_time_and_offset_input_is_kept():
    assert clock.parse_paris_local("2026-01-10T12:00") == datetime(2026, 1, 10, 11, 0, tzinfo=UTC)
    assert clock.parse_paris_local("2026-07-10T12:00") == datetime(2026, 7, 10, 10, 0, tzinfo=UTC)
    assert clock.parse_paris_local("2026-07-10T12:00:00Z") == datetime(
        2026, 7, 10, 12, 0, tzinfo=UTC
    )


def test_time_skipped_by_spring_change_moves_forward():
    moment = clock.parse_paris_local("2026-03-29T02:30")
    assert clock.to_paris(moment).isoformat() == "2026-03-29T03:30:00+02:00"


def test_malformed_date_raises_value_error():
    with pytest.raises(ValueError):
        clock.parse_paris_local("31/12/2026")


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        ("2026-03-20T10:00", "2026-04-04T10:00", 15),
        ("2026-03-20T10:00", "2026-04-04T09:59", 14),
        ("2026-10-20T00:00", "2026-11-04T00:00", 15),
        ("2026-10-20T00:00", "2026-11-03T23:59", 14),
    ],
)
def test_whole_paris_days_between_two_instants(start, end, days):
    assert (
        clock.paris_days_between(clock.parse_paris_local(start), clock.parse_paris_local(end))
        == days
    )


def test_api_instants_carry_the_paris_offset():
    assert clock.isoformat(datetime(2026, 7, 1, 8, 0, tzinfo=UTC)) == "2026-07-01T10:00:00+02:00"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("15/03/2027", date(2027, 3, 15)),
        ("1/3/2027", date(2027, 3, 1)),
        (" 2027-03-15 ", date(2027, 3, 15)),
    ],
)
def test_a_day_is_typed_in_french_or_iso(typed, expected):
    assert clock.parse_day(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Indiquez la date"),
        ("15 mars 2027", "JJ/MM/AAAA"),
        ("2027/03/15", "JJ/MM/AAAA"),
        ("31/02/2027", "Cette date n'existe pas : « 31/02/2027 »."),
        ("29/02/2027", "n'existe pas"),
    ],
)
def test_a_day_that_cannot_be_read_is_named_in_french(typed, message):
    with pytest.raises(ValueError, match=message):
        clock.parse_day(typed)
