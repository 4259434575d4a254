"""Times that come from outside: aware, and inside the calendar once in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from crossrisk.domain.errors import InvalidInput

# Officers' dates are calendar days in Beijing time (China Standard Time, no daylight saving).
BEIJING = ZoneInfo("Asia/Shanghai")


def in_utc(moment: datetime, *, field: str) -> datetime:
    """The moment in UTC; refused without its offset, or when UTC leaves years 1–9999.

    0001-01-01T00:00+14:00 and 9999-12-31T23:59-12:00 are valid ISO 8601 texts whose
    instants lie outside what a datetime (and either database) can hold in UTC.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput(
            f"{field} must carry its UTC offset (e.g. +08:00)",
            key="time-no-offset",
            params={"field": field},
        )
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise InvalidInput(
            f"{field} {moment.isoformat()} lies outside years 1–9999 in UTC",
            key="time-out-of-range",
            params={"field": field},
        ) from None


def local_day(moment: datetime) -> date:
    """The Beijing calendar day of a moment: the day stocks expire and pages count in."""
    return moment.astimezone(BEIJING).date()


def calendar_day(value: str, name: str) -> date | None:
    """A date typed as YYYY-MM-DD, or None when blank; refused by name otherwise."""
    if not value:
        return None
    try:
        if len(value) != len("YYYY-MM-DD"):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            f"{name} must be a date as YYYY-MM-DD, not {value[:20]!r}",
            key="date-invalid",
            params={"name": name},
        ) from None


def day_start(day: date | None) -> datetime | None:
    """The first instant of a Beijing calendar day, in UTC."""
    if day is None:
        return None
    return datetime.combine(day, time(), BEIJING).astimezone(UTC)


def end_of_day(day: date) -> datetime:
    """The last second of a Beijing calendar day, in UTC: when a thing due "by" that day falls
    due. Pages show it as 23:59 of the day itself, not as midnight of the next."""
    return datetime.combine(day, time(23, 59, 59), BEIJING).astimezone(UTC)


def day_after(day: date | None) -> datetime | None:
    """The first instant after a Beijing calendar day, in UTC: the end of an inclusive range."""
    if day is None:
        return None
    return day_start(day + timedelta(days=1))
