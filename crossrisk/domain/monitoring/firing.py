"""Firings: a trigger rule that held, and the risk assessment each warning level means."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.risk import EventLevel, RiskMatrix
from crossrisk.domain.warning import WarningLevel


@dataclass(frozen=True, slots=True)
class Firing:
    """A rule that fired: the level, which threshold or rise did it, and what was observed."""

    level: WarningLevel
    trigger: str  # "threshold" or "rise"
    limit: float  # the threshold value, or the rise amount
    window_hours: float | None  # rises only
    value: float  # the observed value, or the observed rise
    observed_at: datetime
    unit: str  # of the value and the limit

    def record(self) -> dict[str, Any]:
        """The firing as journaled and reported."""
        return {
            "level": self.level.value,
            "colour": self.level.key,
            "trigger": self.trigger,
            "limit": self.limit,
            "window_hours": self.window_hours,
            "value": self.value,
            "observed_at": self.observed_at.isoformat(),
            "unit": self.unit,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Firing:
        """The firing a record of `record()` describes (as queued in the firing outbox)."""
        window = record.get("window_hours")
        return cls(
            level=WarningLevel(int(record["level"])),
            trigger=str(record["trigger"]),
            limit=float(record["limit"]),
            window_hours=None if window is None else float(window),
            value=float(record["value"]),
            observed_at=datetime.fromisoformat(str(record["observed_at"])),
            unit=str(record["unit"]),
        )


# --- what a firing means for the risk -----------------------------------------------------

# The event level each warning level must give; the assessment table is checked against it.
EXPECTED_EVENT_LEVEL: Mapping[WarningLevel, EventLevel] = {
    WarningLevel.RED: EventLevel.I,
    WarningLevel.ORANGE: EventLevel.II,
    WarningLevel.YELLOW: EventLevel.III,
    WarningLevel.BLUE: EventLevel.IV,
}


@dataclass(frozen=True, slots=True)
class FiringAssessment:
    """Policy table: the (likelihood, consequence) a firing of each level assesses."""

    cells: Mapping[WarningLevel, tuple[int, int]]
    source: str = ""

    def cell(self, level: WarningLevel) -> tuple[int, int]:
        return self.cells[level]


def read_firing_assessment(table: Mapping[str, Any], *, matrix: RiskMatrix) -> FiringAssessment:
    """Read the table and check that red gives event level I … blue IV, rising with the level."""
    cells: dict[WarningLevel, tuple[int, int]] = {}
    for level in WarningLevel:
        entry = table.get(level.key)
        if not isinstance(entry, Mapping):
            raise InvalidInput(f"the firing assessment table has no [{level.key}] entry")
        cell = (entry.get("likelihood"), entry.get("consequence"))
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in cell):
            raise InvalidInput(f"[{level.key}] needs integer likelihood and consequence")
        likelihood, consequence = int(cell[0] or 0), int(cell[1] or 0)
        got = matrix.level(likelihood, consequence)
        if got is not EXPECTED_EVENT_LEVEL[level]:
            raise InvalidInput(
                f"a {level.key} firing assessed at likelihood {likelihood}, consequence "
                f"{consequence} gives event level {got}, not {EXPECTED_EVENT_LEVEL[level]}",
                key="firing-assessment-invalid",
            )
        cells[level] = (likelihood, consequence)
    for level in (WarningLevel.RED, WarningLevel.ORANGE, WarningLevel.YELLOW):
        less = WarningLevel(level + 1)
        # Raising an open risk takes the larger likelihood and consequence of the two cells,
        # which is the more serious cell only when each level dominates the one below it.
        if not all(a >= b for a, b in zip(cells[level], cells[less], strict=True)):
            raise InvalidInput(
                f"the {level.key} cell must not be below the {less.key} cell on either scale",
                key="firing-assessment-invalid",
            )
    return FiringAssessment(cells=cells, source=str(table.get("source", "")))


def raised(
    current: tuple[int, int], level: WarningLevel, table: FiringAssessment
) -> tuple[int, int]:
    """The assessment after a firing: never lower than it is on either scale."""
    likelihood, consequence = table.cell(level)
    return max(current[0], likelihood), max(current[1], consequence)
