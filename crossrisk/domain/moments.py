"""Times that come from outside: aware, and inside the calendar once in UTC."""

from __future__ import annotations

from datetime import UTC, datetime

from crossrisk.domain.errors import InvalidInput


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
