"""A drill as the platform keeps it, and the clock its runner keeps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class DrillState(StrEnum):
    RUNNING = "running"
    ENDED = "ended"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Drill:
    """One run of a scenario: its text and digest, its clock and what became of it."""

    id: int | None
    region_code: str
    code: str
    title_zh: str
    title_en: str
    scenario: str
    scenario_sha256: str
    speed: float | None  # None: as fast as the platform goes ("max")
    duration_minutes: int
    clock_start: datetime  # the virtual time of offset 0
    started_at: datetime
    started_by: str
    state: DrillState = DrillState.RUNNING
    ended_at: datetime | None = None
    failure: str = ""

    def at(self, offset_minutes: float) -> datetime:
        """The virtual time of an offset into the scenario."""
        return self.clock_start + timedelta(minutes=offset_minutes)

    def record(self) -> dict[str, object]:
        """The drill as the journal keeps it and the API shows it."""
        return {
            "id": self.id,
            "region": self.region_code,
            "code": self.code,
            "title_zh": self.title_zh,
            "title_en": self.title_en,
            "scenario_sha256": self.scenario_sha256,
            "speed": "max" if self.speed is None else self.speed,
            "duration_minutes": self.duration_minutes,
            "clock_start": self.clock_start.isoformat(),
            "started_at": self.started_at.isoformat(),
            "ended_at": None if self.ended_at is None else self.ended_at.isoformat(),
            "started_by": self.started_by,
            "state": self.state.value,
            "failure": self.failure,
        }


SPEED_MAX = 100_000.0  # a faster factor than this is "max"


def parse_speed(text: str) -> float | None:
    """A speed factor ("60", "0.5") or "max" (None); ValueError for anything else."""
    text = text.strip().lower()
    if text == "max":
        return None
    value = float(text)
    if not 0 < value <= SPEED_MAX:
        raise ValueError(f"speed must be above 0 and at most {SPEED_MAX:g}, or max")
    return value


def clock_start(started_at: datetime, *, duration_minutes: int, speed: float | None) -> datetime:
    """The virtual time of offset 0, chosen so that no virtual time is ever in the future.

    At speed N, offset t is reached t / N after the real start; its virtual time
    clock_start + t must not be later than that real moment, for every t up to the
    duration D: clock_start = start − D × (1 − 1/N). At "max" the replay takes no time at
    all, so the whole scenario lies in the past: clock_start = start − D. A drill then
    journals nothing dated after the moment it is written.
    """
    duration = timedelta(minutes=duration_minutes)
    if speed is None:
        return started_at - duration
    return started_at - duration * max(0.0, 1.0 - 1.0 / speed)


def real_seconds(offset_minutes: float, *, speed: float | None) -> float:
    """How many real seconds after the start the runner reaches an offset."""
    return 0.0 if speed is None else offset_minutes * 60.0 / speed


DRILL_ACTOR_PREFIX = "drill:"


def drill_actor(organisation_code: str) -> str:
    """The name a drill's party acts under in the journal, apart from every real account."""
    return f"{DRILL_ACTOR_PREFIX}{organisation_code}"


def drilled_organisation(username: str) -> str | None:
    """The organisation a drill acted as, for a name `drill_actor` gave; else None."""
    if username.startswith(DRILL_ACTOR_PREFIX) and len(username) > len(DRILL_ACTOR_PREFIX):
        return username.removeprefix(DRILL_ACTOR_PREFIX)
    return None
