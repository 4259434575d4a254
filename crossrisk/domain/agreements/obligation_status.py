"""Whether an obligation in force is kept, read from the record (DESIGN §3.7, §3.9).

Each rule takes the figures the services gathered and says kept, unmet or not yet
checkable, with the figures it decided on as evidence. A fund contribution stays pending:
payments are recorded by the compensation capability, and a status made up without them
would be a false one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum


class ObligationStatus(StrEnum):
    KEPT = "kept"
    UNMET = "unmet"
    NOT_CHECKABLE = "not_checkable"  # nothing in the record to judge it by yet
    PENDING = "pending"  # checked by a capability that does not exist yet


# Only these are news: a change between them is journaled.
DECIDED = frozenset({ObligationStatus.KEPT, ObligationStatus.UNMET})


@dataclass(frozen=True, slots=True)
class Checked:
    """An obligation's status with the figures it was decided on."""

    status: ObligationStatus
    evidence: Mapping[str, float | int | str | None] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Occasion:
    """One time the obligation applied: when it began, and when the party answered (if)."""

    began_at: datetime
    answered_at: datetime | None


def reserve_status(*, required: float, held: float) -> Checked:
    """A reserve is kept while the usable stock reaches the quantity agreed."""
    status = ObligationStatus.KEPT if held >= required else ObligationStatus.UNMET
    return Checked(status, {"held": held, "required": required})


def gauge_status(*, hours: int, last_at: datetime | None, now: datetime) -> Checked:
    """A gauge is maintained while its last observation is no older than the hours agreed."""
    if last_at is None:
        return Checked(ObligationStatus.UNMET, {"hours": hours, "last_observation": None})
    age = (now - last_at).total_seconds() / 3600
    status = ObligationStatus.KEPT if age <= hours else ObligationStatus.UNMET
    return Checked(
        status,
        {"hours": hours, "last_observation": last_at.isoformat(), "age_hours": round(age, 1)},
    )


def answered_in_time(
    occasions: Sequence[Occasion], *, within: timedelta, now: datetime, unit: str
) -> Checked:
    """Kept when every occasion was answered within the time; unmet when one was not.

    An occasion still within its time and unanswered decides nothing yet; with no occasion
    decided the obligation is not checkable.
    """
    late = on_time = 0
    for occasion in occasions:
        deadline = occasion.began_at + within
        if occasion.answered_at is not None and occasion.answered_at <= deadline:
            on_time += 1
        elif occasion.answered_at is not None or now > deadline:
            late += 1
    figures: dict[str, float | int | str | None] = {
        "occasions": len(occasions),
        "on_time": on_time,
        "late": late,
        unit: int(within.total_seconds() // (60 if unit == "minutes" else 3600)),
    }
    if late:
        return Checked(ObligationStatus.UNMET, figures)
    if on_time:
        return Checked(ObligationStatus.KEPT, figures)
    return Checked(ObligationStatus.NOT_CHECKABLE, figures)


def fund_status(*, amount_yuan: float) -> Checked:
    """Always pending here: the compensation capability records the payments."""
    return Checked(ObligationStatus.PENDING, {"amount_yuan": amount_yuan})


def changed(previous: str | None, now: ObligationStatus) -> bool:
    """True when the status is news: it became kept or unmet and was not so before."""
    return now in DECIDED and previous != now.value
