"""Time: the server clock, Paris wall-clock conversions and legal calendar days.

Instants are stored as timezone-aware UTC datetimes and shown in Europe/Paris. Legal
durations count *calendar days in Paris*: N days after a Paris wall-clock time is the same
wall-clock time N dates later, whatever daylight-saving change falls in between.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from flask_babel import get_locale
from flask_babel import gettext as _

from consultation.core.i18n import N_

PARIS = ZoneInfo("Europe/Paris")


def now() -> datetime:
    """The authoritative server clock, in UTC."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """Return `moment` in UTC; a naive datetime is taken as UTC (as SQLite hands them back)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def to_paris(moment: datetime) -> datetime:
    """The same instant, expressed in Paris time."""
    return as_utc(moment).astimezone(PARIS)


def paris_wall_clock(day: date, at: time) -> datetime:
    """The UTC instant at which Paris clocks show `day` `at`.

    A wall-clock time skipped by the spring change does not exist; it is moved forward by the
    gap (02:30 becomes 03:30). An ambiguous autumn time is taken at its first occurrence.
    """
    # With fold=0, zoneinfo reads a skipped time with the offset in force before the gap,
    # which lands after it, and an ambiguous time as its first occurrence (PEP 495).
    return datetime.combine(day, at).replace(tzinfo=PARIS, fold=0).astimezone(UTC)


def parse_paris_local(value: str) -> datetime:
    """Parse an ISO date-time; without an offset it is Paris wall-clock time. Returns UTC.

    Raises ValueError on malformed input.
    """
    parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        return paris_wall_clock(parsed.date(), parsed.time())
    return parsed.astimezone(UTC)


_FRENCH_DAY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
DAY_FORMAT_MESSAGE = N_("Date attendue au format JJ/MM/AAAA, par exemple 15/03/2027.")


def parse_day(value: object) -> date:
    """A date as people type it, in French (JJ/MM/AAAA) or ISO (AAAA-MM-JJ).

    Raises ValueError with a French message: blank, another shape, or a date that does not
    exist (31/02/2027)."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise ValueError(_("Indiquez la date, au format JJ/MM/AAAA."))
    if french := _FRENCH_DAY.fullmatch(text):
        day, month, year = (int(part) for part in french.groups())
    elif iso := _ISO_DAY.fullmatch(text):
        year, month, day = (int(part) for part in iso.groups())
    else:
        raise ValueError(_(DAY_FORMAT_MESSAGE))
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(_("Cette date n'existe pas : « %(text)s ».", text=text[:20])) from None


def add_paris_days(moment: datetime, days: int) -> datetime:
    """`moment` plus `days` calendar days at the same Paris wall-clock time, in UTC."""
    local = to_paris(moment)
    return paris_wall_clock(local.date() + timedelta(days=days), local.time().replace(tzinfo=None))


def paris_days_between(start: datetime, end: datetime) -> int:
    """Whole Paris calendar days from `start` to `end` (the N with start+N days <= end)."""
    start_local, end_local = to_paris(start), to_paris(end)
    days = (end_local.date() - start_local.date()).days
    if days > 0 and add_paris_days(start, days) > as_utc(end):
        days -= 1
    return max(days, 0)


def format_paris(moment: datetime) -> str:
    """'16 mars 2026 à 10h00 (heure de Paris)' for a message: in the reader's language during a
    request ("16 March 2026 at 10:00 (Paris time)" in English), in French outside one."""
    # The same pattern as the templates' `datetime_paris` filter (setup.py).
    text = babel_format_datetime(
        as_utc(moment), _("d MMMM y 'à' HH'h'mm"), tzinfo=PARIS, locale=get_locale() or "fr_FR"
    )
    paris_time: str = _("%(moment)s (heure de Paris)", moment=text)
    return paris_time


def format_day(day: date) -> str:
    """'16 mars 2026' for a message: in the reader's language during a request ("16 March
    2026"), in French outside one."""
    return babel_format_date(day, "d MMMM y", locale=get_locale() or "fr_FR")


def isoformat(moment: datetime | None) -> str | None:
    """ISO 8601 with the Paris offset, as the API shows instants."""
    return to_paris(moment).isoformat() if moment is not None else None
