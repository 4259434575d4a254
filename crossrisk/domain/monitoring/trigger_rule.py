"""Trigger rules: thresholds per warning level, rates of rise, and when readings fire them.

Warning levels follow the flood warning signals of the Ministry of Water Resources (水情
预警发布管理办法): blue when the water may reach the warning level (警戒水位), orange when it
may reach the guaranteed level (保证水位), yellow in between and red at the design or
highest-recorded level; station files give the values.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.monitoring.firing import Firing
from crossrisk.domain.warning import WarningLevel, parse_level

# The longest rate-of-rise window: a month of history is the most a rule may look back.
MAX_WINDOW_HOURS = 720.0


@dataclass(frozen=True, slots=True)
class Threshold:
    """The value from which a warning level applies."""

    level: WarningLevel
    value: float


@dataclass(frozen=True, slots=True)
class RateOfRise:
    """A rise of at least `amount` within `window_hours` applies `level`."""

    level: WarningLevel
    amount: float
    window_hours: float

    @property
    def window(self) -> timedelta:
        return timedelta(hours=self.window_hours)


@dataclass(frozen=True, slots=True)
class TriggerRule:
    """Thresholds per warning level and rates of rise; either may be empty, not both."""

    thresholds: tuple[Threshold, ...] = ()
    rises: tuple[RateOfRise, ...] = ()

    def __post_init__(self) -> None:
        if not self.thresholds and not self.rises:
            raise InvalidInput(
                "a trigger rule needs a threshold or a rate of rise", key="rule-empty"
            )
        levels = [t.level for t in self.thresholds]
        if len(set(levels)) != len(levels):
            raise InvalidInput("a trigger rule names a warning level twice", key="rule-invalid")
        ordered = sorted(self.thresholds, key=lambda t: -t.level)  # blue first
        for threshold in ordered:
            if not math.isfinite(threshold.value):
                raise InvalidInput("thresholds must be finite numbers", key="rule-invalid")
        for lower, higher in pairwise(ordered):
            # A more serious level must need a higher value, or it could never apply alone.
            if not higher.value > lower.value:
                raise InvalidInput(
                    f"the {higher.level.key} threshold ({higher.value:g}) must be above the "
                    f"{lower.level.key} threshold ({lower.value:g})",
                    key="rule-invalid",
                    params={"higher": higher.level.key, "lower": lower.level.key},
                )
        for rise in self.rises:
            if not (math.isfinite(rise.amount) and rise.amount > 0):
                raise InvalidInput("a rate of rise needs an amount > 0", key="rule-invalid")
            if not (math.isfinite(rise.window_hours) and 0 < rise.window_hours <= MAX_WINDOW_HOURS):
                raise InvalidInput(
                    f"a rate-of-rise window must be over 0 and at most {MAX_WINDOW_HOURS:g} hours",
                    key="rule-invalid",
                )

    @property
    def lookback(self) -> timedelta:
        """How much history before an observation the rule needs."""
        return max((r.window for r in self.rises), default=timedelta(0))

    def threshold(self, level: WarningLevel) -> float | None:
        """The value from which a level applies, if the rule has one."""
        return next((t.value for t in self.thresholds if t.level is level), None)


def read_rule(table: Mapping[str, Any]) -> TriggerRule:
    """Read `thresholds = {blue = …, …}` and `rise = [{level, amount, hours}, …]`."""
    thresholds_in = table.get("thresholds", {})
    rises_in = table.get("rise", [])
    if not isinstance(thresholds_in, Mapping) or not isinstance(rises_in, Sequence):
        raise InvalidInput(
            "a rule has `thresholds` (level = value) and `rise` (a list)", key="rule-invalid"
        )
    thresholds = tuple(
        Threshold(parse_level(level), _number(f"{level} threshold", value))
        for level, value in thresholds_in.items()
    )
    rises = []
    for entry in rises_in:
        if not isinstance(entry, Mapping) or set(entry) != {"level", "amount", "hours"}:
            raise InvalidInput(
                "each rate of rise has exactly `level`, `amount` and `hours`", key="rule-invalid"
            )
        rises.append(
            RateOfRise(
                level=parse_level(entry["level"]),
                amount=_number("rise amount", entry["amount"]),
                window_hours=_number("rise hours", entry["hours"]),
            )
        )
    return TriggerRule(thresholds=thresholds, rises=tuple(rises))


def rule_record(rule: TriggerRule) -> dict[str, Any]:
    """The rule as stored and shown: the inverse of read_rule."""
    return {
        "thresholds": {
            t.level.key: t.value for t in sorted(rule.thresholds, key=lambda t: -t.level)
        },
        "rise": [
            {"level": r.level.key, "amount": r.amount, "hours": r.window_hours} for r in rule.rises
        ],
    }


def _number(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(f"{name} must be a number, got {value!r}", key="rule-invalid")
    return float(value)


Reading = tuple[datetime, float]


def evaluate_series(
    rule: TriggerRule, readings: Sequence[Reading], targets: Iterable[int], *, unit: str
) -> Firing | None:
    """The most serious firing among the readings at `targets`, each judged as `evaluate` does.

    `readings` are one station's, in time order; `targets` index the new ones. Of equally
    serious firings the earliest counts, and a threshold before a rate of rise. One pass:
    each rate of rise keeps the minimum of its sliding window in a monotonic queue, so a
    batch of n readings costs O(n), not O(n × window).
    """
    thresholds = sorted(rule.thresholds, key=lambda t: t.level)  # most serious first
    windows = [_Window(rise) for rise in sorted(rule.rises, key=lambda r: r.level)]
    best: tuple[WarningLevel, int, Threshold | RateOfRise, float] | None = None
    pushed = 0
    for index in sorted(targets):
        at, value = readings[index]
        found: tuple[WarningLevel, Threshold | RateOfRise, float] | None = None
        for threshold in thresholds:
            if value >= threshold.value:
                found = (threshold.level, threshold, value)
                break
        if windows:
            while pushed < len(readings) and readings[pushed][0] < at:
                for window in windows:
                    window.push(pushed, readings)
                pushed += 1
            for window in windows:
                if found is not None and window.rise.level >= found[0]:
                    continue
                lowest = window.lowest(at - window.rise.window, readings)
                if lowest is not None and value - lowest >= window.rise.amount:
                    found = (window.rise.level, window.rise, value - lowest)
        if found is not None and (best is None or found[0] < best[0]):
            best = (found[0], index, found[1], found[2])
    if best is None:
        return None
    _, index, cause, amount = best
    at, value = readings[index]
    if isinstance(cause, Threshold):
        return _threshold_firing(cause, at, value, unit)
    return _rise_firing(cause, amount, at, unit)


class _Window:
    """A rate of rise's window: indices of readings whose values increase front to back."""

    __slots__ = ("queue", "rise")

    def __init__(self, rise: RateOfRise) -> None:
        self.rise = rise
        self.queue: deque[int] = deque()

    def push(self, index: int, readings: Sequence[Reading]) -> None:
        # A reading no lower than a later one can never be a window's minimum again.
        queue, value = self.queue, readings[index][1]
        while queue and readings[queue[-1]][1] >= value:
            queue.pop()
        queue.append(index)

    def lowest(self, start: datetime, readings: Sequence[Reading]) -> float | None:
        queue = self.queue
        while queue and readings[queue[0]][0] < start:
            queue.popleft()
        return readings[queue[0]][1] if queue else None


def _threshold_firing(threshold: Threshold, at: datetime, value: float, unit: str) -> Firing:
    return Firing(
        level=threshold.level,
        trigger="threshold",
        limit=threshold.value,
        window_hours=None,
        value=value,
        observed_at=at,
        unit=unit,
    )


def _rise_firing(rise: RateOfRise, risen: float, at: datetime, unit: str) -> Firing:
    return Firing(
        level=rise.level,
        trigger="rise",
        limit=rise.amount,
        window_hours=rise.window_hours,
        value=round(risen, 6),
        observed_at=at,
        unit=unit,
    )
