"""Monitoring stations, their observations and the trigger rules that raise risks (§3.4).

A station (a river gauge, a rain gauge, an air-quality monitor, a case-reporting unit)
measures one variable in one unit. Its trigger rule names, per warning level, the value
from which that level applies, and optionally a rate of rise (so much within so many hours)
that applies a level however low the value still is. A rule that fires opens a risk of the
kind the station names, or raises the open one; what level of risk a firing means is
policy data (crossrisk/data/policy/firing_assessment.toml).

Warning levels follow the flood warning signals of the Ministry of Water Resources (水情
预警发布管理办法): blue when the water may reach the warning level (警戒水位), orange when it
may reach the guaranteed level (保证水位), yellow in between and red at the design or
highest-recorded level; station files give the values.
"""

from __future__ import annotations

import csv
import math
import re
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from itertools import pairwise
from typing import Any

from crossrisk.domain.errors import InvalidInput, TooLarge
from crossrisk.domain.risk import EventLevel, RiskCategory, RiskMatrix, parse_category
from crossrisk.domain.warning import WarningLevel, parse_level

# A batch larger than this is refused whole: split it (HTTP 413, CLI exit 2).
MAX_BATCH_LINES = 10_000
# A station's clock may run this far ahead of ours before its readings count as impossible.
MAX_CLOCK_AHEAD = timedelta(minutes=10)
# The longest rate-of-rise window: a month of history is the most a rule may look back.
MAX_WINDOW_HOURS = 720.0
CODE_MAX = 48  # the firing actor "station:<code>" must fit the journal's actor column
_CODE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_RECORD_KEYS = frozenset({"station", "time", "value", "unit"})


class StationKind(StrEnum):
    RIVER_GAUGE = "river_gauge"  # 水文站 / 水位站
    RAIN_GAUGE = "rain_gauge"  # 雨量站
    AIR_QUALITY = "air_quality"  # 空气质量监测站
    CASE_REPORTING = "case_reporting"  # 病例报告单位


@dataclass(frozen=True, slots=True)
class Variable:
    """A measured quantity: its unit and the range a real reading can fall in."""

    key: str
    name_zh: str
    name_en: str
    unit: str
    minimum: float
    maximum: float
    unit_aliases: frozenset[str] = frozenset()  # other spellings of the same unit
    integer: bool = False

    def same_unit(self, unit: str) -> bool:
        """True when a reported unit is this variable's unit, however it is spelled."""
        return unit == self.unit or unit in self.unit_aliases

    def possible(self, value: float) -> bool:
        """True when a reading could be real (finite, in range, whole where it must be)."""
        # NaN fails every comparison, and the bounds are finite, so this refuses ±inf too.
        if not self.minimum <= value <= self.maximum:
            return False
        return not self.integer or float(value).is_integer()


def read_variables(table: Mapping[str, Any]) -> dict[str, Variable]:
    """The variables of the policy table, checked."""
    variables: dict[str, Variable] = {}
    for key, entry in table.items():
        if not isinstance(entry, Mapping):
            continue  # top-level notes such as `source`
        try:
            variable = Variable(
                key=key,
                name_zh=str(entry["name_zh"]),
                name_en=str(entry["name_en"]),
                unit=str(entry["unit"]),
                minimum=float(entry["minimum"]),
                maximum=float(entry["maximum"]),
                unit_aliases=frozenset(str(a) for a in entry.get("unit_aliases", ())),
                integer=bool(entry.get("integer", False)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInput(
                f"variable {key!r} in the policy table is malformed: {exc}"
            ) from None
        if not variable.minimum < variable.maximum:
            raise InvalidInput(f"variable {key!r} needs minimum < maximum")
        variables[key] = variable
    return variables


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


@dataclass(frozen=True, slots=True)
class Station:
    """A monitoring station and what risk its firing opens."""

    code: str
    name_zh: str
    name_en: str
    kind: StationKind
    region_code: str
    jurisdiction_code: str  # "" in a file: the jurisdiction its location lies in
    lon: float
    lat: float
    variable: str
    unit: str
    rule: TriggerRule
    category: RiskCategory
    hazard_type: str
    parameters: Mapping[str, Any] = field(default_factory=dict)
    # A narrower plausible range than the variable's (a gauge's datum bounds its readings).
    valid_range: tuple[float, float] | None = None
    source: str = ""  # where the thresholds come from
    id: int | None = None

    @property
    def actor_name(self) -> str:
        """The username a firing acts under."""
        return f"station:{self.code}"

    def record(self) -> dict[str, Any]:
        """The station as journaled and shown by the API: one form everywhere."""
        return {
            "code": self.code,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "kind": self.kind.value,
            "region": self.region_code,
            "jurisdiction": self.jurisdiction_code,
            "lon": self.lon,
            "lat": self.lat,
            "variable": self.variable,
            "unit": self.unit,
            "rule": rule_record(self.rule),
            "risk": {
                "category": self.category.value,
                "hazard_type": self.hazard_type,
                "parameters": dict(self.parameters),
            },
            "valid_range": list(self.valid_range) if self.valid_range else None,
            "source": self.source,
        }

    def possible(self, value: float, variable: Variable) -> bool:
        """True when a reading could be real at this station."""
        if not variable.possible(value):
            return False
        valid = self.valid_range
        return valid is None or valid[0] <= value <= valid[1]


def check_station_code(code: object) -> str:
    """Accept a station code: lowercase letters, digits and hyphens, at most 48 characters."""
    if not isinstance(code, str) or not _CODE.match(code) or len(code) > CODE_MAX:
        raise InvalidInput(
            f"station code {code!r} must be lowercase letters, digits and hyphens "
            f"(at most {CODE_MAX})",
            key="station-code-invalid",
            params={"code": str(code)},
        )
    return code


def read_station(
    entry: Mapping[str, Any], *, region_code: str, variables: Mapping[str, Variable]
) -> Station:
    """Read and check one station of a station file (see crossrisk/data/regions/*/stations.toml)."""
    code = check_station_code(entry.get("code"))
    known = {
        "code", "name_zh", "name_en", "kind", "lon", "lat", "jurisdiction", "variable", "unit",
        "thresholds", "rise", "risk", "valid_range", "source", "river",
    }  # fmt: skip
    unknown = sorted(set(entry) - known)
    if unknown:
        raise InvalidInput(
            f"station {code}: unknown field(s) {', '.join(unknown)}", key="station-invalid"
        )
    try:
        kind = StationKind(str(entry.get("kind")))
    except ValueError:
        kinds = ", ".join(k.value for k in StationKind)
        raise InvalidInput(
            f"station {code}: kind must be one of {kinds}", key="station-invalid"
        ) from None
    variable = variables.get(str(entry.get("variable")))
    if variable is None:
        raise InvalidInput(
            f"station {code}: unknown variable {entry.get('variable')!r}; "
            f"known: {', '.join(sorted(variables))}",
            key="station-invalid",
        )
    unit = str(entry.get("unit", variable.unit))
    if not variable.same_unit(unit):
        raise InvalidInput(
            f"station {code}: {variable.key} is measured in {variable.unit}, not {unit}",
            key="station-invalid",
        )
    lon, lat = entry.get("lon"), entry.get("lat")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lon, lat)):
        raise InvalidInput(f"station {code}: lon and lat must be numbers", key="station-invalid")
    assert isinstance(lon, int | float) and isinstance(lat, int | float)
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InvalidInput(
            f"station {code}: ({lon}, {lat}) is not a WGS84 longitude/latitude",
            key="station-invalid",
        )
    try:
        rule = read_rule(entry)
    except InvalidInput as error:
        raise InvalidInput(f"station {code}: {error.detail}", key=error.key) from None
    valid_range = _valid_range(code, entry.get("valid_range"), variable)
    for threshold in rule.thresholds:
        if not variable.possible(threshold.value):
            raise InvalidInput(
                f"station {code}: the {threshold.level.key} threshold {threshold.value:g} "
                f"{variable.unit} is outside what {variable.name_en.lower()} can be",
                key="station-invalid",
            )
    risk = entry.get("risk", {})
    if not isinstance(risk, Mapping) or not isinstance(risk.get("parameters", {}), Mapping):
        raise InvalidInput(
            f"station {code}: `risk` is a table of category, hazard_type and parameters",
            key="station-invalid",
        )
    return Station(
        code=code,
        name_zh=_text(code, "name_zh", entry.get("name_zh")),
        name_en=_text(code, "name_en", entry.get("name_en")),
        kind=kind,
        region_code=region_code,
        jurisdiction_code=str(entry.get("jurisdiction", "")),
        lon=float(lon),
        lat=float(lat),
        variable=variable.key,
        unit=variable.unit,
        rule=rule,
        category=parse_category(str(risk.get("category", RiskCategory.NATURAL_DISASTER.value))),
        hazard_type=str(risk.get("hazard_type", "area")),
        parameters=dict(risk.get("parameters", {})),
        valid_range=valid_range,
        source=str(entry.get("source", "")),
    )


def _text(code: str, name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 200:
        raise InvalidInput(
            f"station {code}: {name} must be a text of 1 to 200 characters", key="station-invalid"
        )
    return value.strip()


def _valid_range(code: str, value: object, variable: Variable) -> tuple[float, float] | None:
    if value is None:
        return None
    if (
        not isinstance(value, Sequence)
        or len(value) != 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    ):
        raise InvalidInput(
            f"station {code}: valid_range is [minimum, maximum]", key="station-invalid"
        )
    low, high = float(value[0]), float(value[1])
    if not (variable.minimum <= low < high <= variable.maximum):
        raise InvalidInput(
            f"station {code}: valid_range must lie within {variable.minimum:g}…"
            f"{variable.maximum:g} {variable.unit} with minimum < maximum",
            key="station-invalid",
        )
    return low, high


@dataclass(frozen=True, slots=True)
class Observation:
    station_code: str
    observed_at: datetime  # aware, UTC
    value: float
    unit: str


@dataclass(frozen=True, slots=True)
class Firing:
    """A rule that fired: the level, which threshold did it and why, in both languages."""

    level: WarningLevel
    trigger: str  # "threshold" or "rise"
    limit: float  # the threshold value, or the rise amount
    window_hours: float | None  # rises only
    value: float  # the observed value, or the observed rise
    observed_at: datetime
    reason_zh: str
    reason_en: str

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
            "reason_zh": self.reason_zh,
            "reason_en": self.reason_en,
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
            reason_zh=str(record["reason_zh"]),
            reason_en=str(record["reason_en"]),
        )


def evaluate(rule: TriggerRule, recent: Sequence[Observation], new: Observation) -> Firing | None:
    """The most serious level the new observation reaches, or None.

    A threshold applies from its value upward (达到, "reaches"). A rate of rise compares
    the new value with the lowest one observed within its window before it, the window's
    start included; observations at or after the new one's time do not count.
    """
    readings = sorted((o.observed_at, o.value) for o in recent if o.observed_at < new.observed_at)
    readings.append((new.observed_at, new.value))
    return evaluate_series(rule, readings, [len(readings) - 1], unit=new.unit)


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
    level = threshold.level
    return Firing(
        level=level,
        trigger="threshold",
        limit=threshold.value,
        window_hours=None,
        value=value,
        observed_at=at,
        reason_zh=f"观测值 {_g(value)} {unit} 达到{level.colour_zh}预警阈值 "
        f"{_g(threshold.value)} {unit}",
        reason_en=f"observed {_g(value)} {unit}, at or over the {level.colour_en.lower()} "
        f"threshold of {_g(threshold.value)} {unit}",
    )


def _rise_firing(rise: RateOfRise, risen: float, at: datetime, unit: str) -> Firing:
    level, hours = rise.level, _g(rise.window_hours)
    return Firing(
        level=level,
        trigger="rise",
        limit=rise.amount,
        window_hours=rise.window_hours,
        value=round(risen, 6),
        observed_at=at,
        reason_zh=f"{hours} 小时内上涨 {_g(risen)} {unit}，达到{level.colour_zh}预警上涨率阈值"
        f"（{hours} 小时 {_g(rise.amount)} {unit}）",
        reason_en=f"rose {_g(risen)} {unit} within {hours} h, at or over the "
        f"{level.colour_en.lower()} rate-of-rise threshold of {_g(rise.amount)} {unit} "
        f"in {hours} h",
    )


def _g(value: float) -> str:
    return f"{round(value, 4):g}"


# --- observation records -----------------------------------------------------------------


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
    value = float(value)
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
    if not isinstance(value, str):
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
    return moment.astimezone(UTC)


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


@dataclass(frozen=True, slots=True)
class StationState:
    """What a station's firings have done so far: the risk they opened and the last level."""

    open_risk_id: int | None = None
    fired_level: WarningLevel | None = None
    fired_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class LastObservation:
    observed_at: datetime
    value: float


# --- replaying a hydrograph ---------------------------------------------------------------

HYDROGRAPH_HEADER = ("station", "minutes", "value", "unit")


@dataclass(frozen=True, slots=True)
class HydrographPoint:
    station: str
    minutes: float  # from the start of the hydrograph
    value: float
    unit: str


def read_hydrograph(text: str) -> list[HydrographPoint]:
    """Points of a CSV `station,minutes,value,unit` (lines starting with # are notes)."""
    rows = [
        (number, line)
        for number, line in enumerate(text.split("\n"), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not rows:
        raise InvalidInput("the hydrograph has no rows", key="hydrograph-invalid")
    parsed = list(csv.reader([line for _, line in rows]))
    header = tuple(cell.strip().lower() for cell in parsed[0])
    if header != HYDROGRAPH_HEADER:
        raise InvalidInput(
            f"line {rows[0][0]}: the header must be {','.join(HYDROGRAPH_HEADER)}",
            key="hydrograph-invalid",
        )
    points = []
    for (number, _), cells in zip(rows[1:], parsed[1:], strict=True):
        if len(cells) != 4:
            raise InvalidInput(
                f"line {number}: expected 4 fields, got {len(cells)}", key="hydrograph-invalid"
            )
        station, minutes, value, unit = (cell.strip() for cell in cells)
        try:
            at, reading = float(minutes), float(value)
        except ValueError:
            raise InvalidInput(
                f"line {number}: minutes and value must be numbers", key="hydrograph-invalid"
            ) from None
        if not (math.isfinite(at) and at >= 0 and math.isfinite(reading)):
            raise InvalidInput(
                f"line {number}: minutes must be ≥ 0 and value finite", key="hydrograph-invalid"
            )
        points.append(HydrographPoint(station, at, reading, unit))
    if not points:
        raise InvalidInput("the hydrograph has a header but no points", key="hydrograph-invalid")
    return sorted(points, key=lambda p: p.minutes)


def replay_batches(
    points: Sequence[HydrographPoint], *, start: datetime
) -> list[tuple[float, list[dict[str, Any]]]]:
    """The points as observation records stamped from `start`, one batch per minute mark."""
    batches: list[tuple[float, list[dict[str, Any]]]] = []
    for point in points:
        record = {
            "station": point.station,
            "time": (start + timedelta(minutes=point.minutes)).isoformat(),
            "value": point.value,
            "unit": point.unit,
        }
        if batches and batches[-1][0] == point.minutes:
            batches[-1][1].append(record)
        else:
            batches.append((point.minutes, [record]))
    return batches
