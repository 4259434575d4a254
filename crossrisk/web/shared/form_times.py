"""Times in forms: a datetime-local value is Beijing time to the minute, read and written
the same way by every page that asks for a time."""

from __future__ import annotations

from datetime import datetime

from crossrisk.domain.errors import InvalidInput
from crossrisk.locale import DISPLAY_ZONE

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def local_value(moment: datetime) -> str:
    """A UTC time as a datetime-local form value in Beijing time."""
    return moment.astimezone(DISPLAY_ZONE).strftime(LOCAL_FORMAT)


def parse_local(text: str) -> datetime:
    """A datetime-local form value, read as Beijing time, or InvalidInput ("time-invalid")."""
    text = text.strip()
    try:
        if len(text) > 19 or "\x00" in text:
            raise ValueError(text)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{text[:20]!r} is not a time", key="time-invalid") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=DISPLAY_ZONE)
    return moment
