"""Deadlines written as durations: "30m", "2h", "1d", "1h30m" or ISO 8601 "PT30M", "P1D"."""

from __future__ import annotations

import re

# A plan's deadline is at least a minute and at most a year: anything longer is no deadline.
MAX_MINUTES = 365 * 24 * 60

_SHORT = re.compile(r"^(?:(\d{1,6})d)?(?:(\d{1,6})h)?(?:(\d{1,6})m)?$")
_ISO = re.compile(r"^P(?:(\d{1,6})D)?(?:T(?:(\d{1,6})H)?(?:(\d{1,6})M)?)?$")


def parse_minutes(text: str) -> int | None:
    """Whole minutes of a duration, or None when it is not one this platform reads."""
    text = text.strip()
    if len(text) > 40:
        return None
    found = _SHORT.match(text) or _ISO.match(text.upper())
    if found is None or not any(found.groups()) or text.upper().endswith("T"):
        return None
    days, hours, minutes = (int(part or 0) for part in found.groups())
    total = days * 1440 + hours * 60 + minutes
    return total if 0 < total <= MAX_MINUTES else None


def format_minutes(minutes: int) -> str:
    """The short form of a duration: "30m", "2h", "1d", "1h30m"."""
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    parts = [f"{days}d" if days else "", f"{hours}h" if hours else "", f"{mins}m" if mins else ""]
    return "".join(parts) or "0m"
