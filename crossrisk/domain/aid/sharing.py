"""What every base-information record shares: who sees it, and whether it is still true."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum


class Sharing(StrEnum):
    """Who beyond the owner sees a base-information record."""

    REGION = "region"  # every member of the region
    COMMITTEE = "committee"  # the coordination body and the central office only


def is_stale(confirmed_at: datetime, *, now: datetime, period: timedelta) -> bool:
    """True when a record was last confirmed longer ago than the period allows.

    An officer confirms a figure by saving or adjusting it, or by confirming it unchanged;
    a stale figure still counts in a shortfall, flagged, since an old figure is better
    evidence than none.
    """
    return now - confirmed_at > period
