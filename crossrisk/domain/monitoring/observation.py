"""Observations: one record read and checked against its station, and the limits of a batch."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from crossrisk.domain.errors import InvalidInput, TooLarge
from crossrisk.domain.monitoring.firing import Firing
from crossrisk.domain.monitoring.station import Station
from crossrisk.domain.monitoring.trigger_rule import TriggerRule, evaluate_series
from crossrisk.domain.monitoring.variable import Variable

# A batch larger than this is refused whole: split it (HTTP 413, CLI exit 2).
MAX_BATCH_LINES = 10_000
# A station's clock may run this far ahead of ours before its readings count as impossible.
MAX_CLOCK_AHEAD = timedelta(minutes=10)
# A reading older than this when it arrives is stored but fires nothing: a gauge's backlog
# or a clock reset to 1990 must not open a risk about what is long over (issue 9).
STALE_AFTER = timedelta(hours=24)
_RECORD_KEYS = frozenset({"station", "time", "value", "unit"})


@dataclass(frozen=True, slots=True)
class Observation:
    station_code: str
    observed_at: datetime  # aware, UTC
    value: float
    unit: str


@dataclass(frozen=True, slots=True)
class Refusal:
    """One refused line of a batch: where, why (a stable key) and which station if known."""

    line: int
    key: str
    message: str
    station: str | None = None

    def record(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "key": self.key,
            "message": self.message,
            "station": self.station,
        }


class ObservationRefused(Exception):
    """A record that cannot be stored; carries the refusal's key and the station if known."""

    def __init__(self, key: str, message: str, station: str | None = None) -> None:
        super().__init__(message)
        self.key = key
        self.message = message
        self.station = station


def parse_observation(
    record: object,
    *,
    stations: Mapping[str, Station],
    variables: Mapping[str, Variable],
    may_feed: Mapping[str, bool],
    now: datetime,
    max_ahead: timedelta | None = MAX_CLOCK_AHEAD,
) -> Observation:
    """Read one record {station, time, value, unit} into an observation, or refuse it.

    `may_feed` tells for each known station whether the sender may feed it; a station it
    may not feed is refused like an unknown one, with its own key.
    """
    # The checks run on every line of every batch: cheap tests first, messages only on failure.
    if type(record) is not dict and not isinstance(record, Mapping):
        raise ObservationRefused(
            "observation-malformed", "an observation is an object {station, time, value, unit}"
        )
    station_code = record.get("station")
    station = stations.get(station_code) if isinstance(station_code, str) else None
    known = station.code if station is not None else None
    if record.keys() != _RECORD_KEYS:
        missing = sorted(_RECORD_KEYS - set(record))
        extra = sorted(str(k) for k in set(record) - _RECORD_KEYS)
        what = [f"missing {', '.join(missing)}"] if missing else []
        what += [f"unknown field(s) {', '.join(extra)}"] if extra else []
        raise ObservationRefused(
            "observation-malformed",
            f"{'; '.join(what)}; an observation has exactly station, time, value and unit",
            known,
        )
    if station is None or known is None:
        raise ObservationRefused(
            "observation-unknown-station", f"no station {str(station_code)[:64]!r} is known"
        )
    if not may_feed.get(known, False):
        raise ObservationRefused(
            "observation-station-not-permitted",
            f"you may not send observations of station {known}",
            known,
        )
    variable = variables[station.variable]
    value = record["value"]
    kind = type(value)
    if kind is not float and kind is not int:  # bool is an int subclass, and refused
        raise ObservationRefused(
            "observation-malformed", f"value must be a number, got {str(value)[:32]!r}", known
        )
    unit = record["unit"]
    if unit != station.unit and not (isinstance(unit, str) and variable.same_unit(unit)):
        raise ObservationRefused(
            "observation-wrong-unit",
            f"station {known} reports {variable.key} in {station.unit}, not {str(unit)[:16]!r}",
            known,
        )
    try:
        value = float(value)
    except OverflowError:  # an integer beyond float range (10**400): no reading is that
        raise ObservationRefused(
            "observation-impossible-value",
            f"{str(record['value'])[:24]}… {station.unit} is not a possible reading",
            known,
        ) from None
    if not station.possible(value, variable):
        low, high = station.valid_range or (variable.minimum, variable.maximum)
        whole = " whole" if variable.integer else ""
        raise ObservationRefused(
            "observation-impossible-value",
            f"{_g(value) if math.isfinite(value) else value} {station.unit} is not a possible"
            f"{whole} reading of station {known} ({_g(low)}…{_g(high)} {station.unit})",
            known,
        )
    observed_at = parse_time(record["time"], station=known)
    if max_ahead is not None and observed_at > now + max_ahead:
        raise ObservationRefused(
            "observation-time-future",
            f"time {observed_at.isoformat()} is ahead of the platform's clock "
            f"({now.isoformat(timespec='seconds')}) by more than {max_ahead}",
            known,
        )
    return Observation(station_code=known, observed_at=observed_at, value=value, unit=station.unit)


def parse_time(value: object, *, station: str | None = None) -> datetime:
    """An ISO 8601 time with its UTC offset, as an aware UTC datetime, or a refusal."""
    if not isinstance(value, str) or not value.isascii() or not value.isprintable():
        raise ObservationRefused(
            "observation-time-invalid", "time must be an ISO 8601 text with offset", station
        )
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ObservationRefused(
            "observation-time-invalid",
            f"time {value[:40]!r} is not ISO 8601 (e.g. 2026-07-01T10:00:00+08:00)",
            station,
        ) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        # A reading without its offset could be hours off; refuse rather than guess a zone.
        raise ObservationRefused(
            "observation-time-invalid",
            f"time {value[:40]!r} has no UTC offset (add +08:00 or Z)",
            station,
        )
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # year 1 or 9999 with an offset that leaves the calendar
        raise ObservationRefused(
            "observation-time-invalid",
            f"time {value[:40]!r} lies outside the calendar in UTC",
            station,
        ) from None


# --- batches ------------------------------------------------------------------------------


def batch_lines(text: str) -> list[tuple[int, str]]:
    """The non-blank lines of a JSON-lines text with their 1-based line numbers."""
    # Split on newlines only: JSON text may hold U+2028 and other breaks str.splitlines knows.
    return [(number, line) for number, line in enumerate(text.split("\n"), start=1) if line.strip()]


def check_batch_size(lines: int) -> None:
    """Refuse a batch with more lines than one request may carry, or none at all."""
    if lines == 0:
        raise InvalidInput("the batch holds no observations", key="observation-batch-empty")
    if lines > MAX_BATCH_LINES:
        raise TooLarge(
            f"a batch holds at most {MAX_BATCH_LINES} observations, this one {lines}; split it",
            key="observation-batch-too-large",
            params={"lines": lines, "limit": MAX_BATCH_LINES},
        )


def _g(value: float) -> str:
    return f"{round(value, 4):g}"


def evaluate(rule: TriggerRule, recent: Sequence[Observation], new: Observation) -> Firing | None:
    """The most serious level the new observation reaches, or None.

    A threshold applies from its value upward (达到, "reaches"). A rate of rise compares
    the new value with the lowest one observed within its window before it, the window's
    start included; observations at or after the new one's time do not count.
    """
    readings = sorted((o.observed_at, o.value) for o in recent if o.observed_at < new.observed_at)
    readings.append((new.observed_at, new.value))
    return evaluate_series(rule, readings, [len(readings) - 1], unit=new.unit)
