"""The calculators' JSON read into checked values: one reader, so the CLI stays thin.

Each reader takes the parsed JSON object and returns a frozen dataclass, or raises
InvalidInput naming the first key that is wrong: a missing or unknown key, a boolean or
string where a number belongs, a number that is not finite or lies outside its bounds,
times that are empty, unsorted or beyond ten years, a list over 100,000 values, a storage
table that is not strictly increasing. The bounds are far wider than any river or
reservoir; they exist so that every number the models see is finite and sane.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from crossrisk.domain.errors import InvalidInput

MAX_LIST = 100_000
MAX_HOURS = 10 * 365.25 * 24  # ten years
MAX_MASS_KG = 1e9  # a million tonnes
MAX_AREA_M2 = 1e6
MAX_VELOCITY_M_S = 10.0
MAX_DISPERSION_M2_S = 1e5
MAX_DECAY_PER_DAY = 1e3
MAX_DISTANCE_KM = 10_000.0
MAX_VOLUME_M3 = 1e13
MAX_FLOW_M3_S = 1e7
MAX_STEP_H = 366 * 24.0
MAX_TIME_CONSTANT_H = 100 * 366 * 24.0


@dataclass(frozen=True, slots=True)
class RiverSpill:
    """An instantaneous (or spread) release in a uniform river reach, and when to look."""

    mass_kg: float
    area_m2: float
    velocity_m_s: float
    dispersion_m2_s: float
    decay_per_day: float
    distance_km: float
    times_h: tuple[float, ...]
    release_hours: float = 0.0


@dataclass(frozen=True, slots=True)
class MixedReservoir:
    """A mass mixed at once into a completely mixed volume, and when to look."""

    mass_kg: float
    volume_m3: float
    outflow_m3_s: float
    decay_per_day: float
    times_h: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class ReservoirRouting:
    """An inflow hydrograph through a linear reservoir or a storage–outflow table."""

    dt_h: float
    inflow_m3_s: tuple[float, ...]
    linear_k_h: float | None = None
    table: tuple[tuple[float, float], ...] = ()
    initial_outflow_m3_s: float | None = None


def parse_json(text: str) -> dict[str, Any]:
    """A JSON object from text: no NaN or Infinity literals, no repeated keys."""

    def constant(name: str) -> Any:
        raise InvalidInput(f"{name} is not a number JSON allows")

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in items:
            if key in result:
                raise InvalidInput(f"the key {key!r} appears twice")
            result[key] = value
        return result

    try:
        value = json.loads(text, parse_constant=constant, object_pairs_hook=pairs)
    except json.JSONDecodeError as error:
        raise InvalidInput(f"not valid JSON: {error.msg} at line {error.lineno}") from None
    except RecursionError:
        raise InvalidInput("not valid JSON: nested too deeply") from None
    except ValueError:
        # An integer of more digits than Python converts (4,300 by default).
        raise InvalidInput("not valid JSON: a number has too many digits") from None
    if not isinstance(value, dict):
        raise InvalidInput("the input must be a JSON object")
    return value


def river_spill(data: Mapping[str, Any]) -> RiverSpill:
    """The river-spill calculator's input, checked."""
    _keys(
        data,
        required=(
            "mass_kg",
            "area_m2",
            "velocity_m_s",
            "dispersion_m2_s",
            "decay_per_day",
            "distance_km",
            "times_h",
        ),
        optional=("release_hours",),
    )
    return RiverSpill(
        mass_kg=_number(data, "mass_kg", most=MAX_MASS_KG, positive=True),
        area_m2=_number(data, "area_m2", most=MAX_AREA_M2, positive=True),
        velocity_m_s=_number(data, "velocity_m_s", most=MAX_VELOCITY_M_S, positive=True),
        dispersion_m2_s=_number(data, "dispersion_m2_s", most=MAX_DISPERSION_M2_S, positive=True),
        decay_per_day=_number(data, "decay_per_day", most=MAX_DECAY_PER_DAY),
        distance_km=_number(data, "distance_km", most=MAX_DISTANCE_KM),
        times_h=_times(data, "times_h"),
        release_hours=_number(data, "release_hours", most=MAX_HOURS, default=0.0),
    )


def mixed_reservoir(data: Mapping[str, Any]) -> MixedReservoir:
    """The mixed-reservoir calculator's input, checked."""
    _keys(
        data,
        required=("mass_kg", "volume_m3", "outflow_m3_s", "decay_per_day", "times_h"),
        optional=(),
    )
    return MixedReservoir(
        mass_kg=_number(data, "mass_kg", most=MAX_MASS_KG, positive=True),
        volume_m3=_number(data, "volume_m3", most=MAX_VOLUME_M3, positive=True),
        outflow_m3_s=_number(data, "outflow_m3_s", most=MAX_FLOW_M3_S),
        decay_per_day=_number(data, "decay_per_day", most=MAX_DECAY_PER_DAY),
        times_h=_times(data, "times_h"),
    )


def reservoir_routing(data: Mapping[str, Any]) -> ReservoirRouting:
    """The reservoir calculator's input, checked."""
    _keys(data, required=("dt_h", "storage", "inflow_m3_s"), optional=("initial_outflow_m3_s",))
    storage = data["storage"]
    if not isinstance(storage, dict):
        raise InvalidInput(
            'storage must be {"linear_k_h": K} or {"table_m3_vs_m3_s": [[storage, outflow], …]}'
        )
    if len(storage) != 1 or not ({"linear_k_h", "table_m3_vs_m3_s"} >= storage.keys()):
        raise InvalidInput(
            'storage must hold exactly one of "linear_k_h" and "table_m3_vs_m3_s"; got '
            + ", ".join(sorted(map(repr, storage.keys())))
        )
    inflow = _list(data, "inflow_m3_s")
    flows = tuple(_value(v, f"inflow_m3_s[{i}]", most=MAX_FLOW_M3_S) for i, v in enumerate(inflow))
    initial = None
    if data.get("initial_outflow_m3_s") is not None:
        initial = _number(data, "initial_outflow_m3_s", most=MAX_FLOW_M3_S)
    dt_h = _number(data, "dt_h", most=MAX_STEP_H, positive=True)
    if "linear_k_h" in storage:
        k = _number(storage, "linear_k_h", most=MAX_TIME_CONSTANT_H, positive=True)
        return ReservoirRouting(dt_h, flows, linear_k_h=k, initial_outflow_m3_s=initial)
    return ReservoirRouting(
        dt_h, flows, table=_table(storage["table_m3_vs_m3_s"]), initial_outflow_m3_s=initial
    )


def _table(rows: Any) -> tuple[tuple[float, float], ...]:
    if not isinstance(rows, list) or len(rows) < 2:
        raise InvalidInput("table_m3_vs_m3_s must be a list of at least two [storage, outflow]")
    if len(rows) > MAX_LIST:
        raise InvalidInput(f"table_m3_vs_m3_s has more than {MAX_LIST} rows")
    table: list[tuple[float, float]] = []
    for i, row in enumerate(rows):
        if not (isinstance(row, list) and len(row) == 2):
            raise InvalidInput(f"table_m3_vs_m3_s[{i}] must be a pair [storage m³, outflow m³/s]")
        storage = _value(row[0], f"table_m3_vs_m3_s[{i}][0]", most=MAX_VOLUME_M3)
        outflow = _value(row[1], f"table_m3_vs_m3_s[{i}][1]", most=MAX_FLOW_M3_S)
        if table and not (storage > table[-1][0] and outflow > table[-1][1]):
            raise InvalidInput(
                f"table_m3_vs_m3_s must be strictly increasing in storage and outflow; "
                f"row {i} does not rise above row {i - 1}"
            )
        table.append((storage, outflow))
    return tuple(table)


def _keys(data: Mapping[str, Any], *, required: tuple[str, ...], optional: tuple[str, ...]) -> None:
    unknown = sorted(set(data) - set(required) - set(optional))
    if unknown:
        raise InvalidInput(
            f"unknown key {unknown[0]!r}; the keys are " + ", ".join(required + optional)
        )
    missing = [key for key in required if key not in data]
    if missing:
        raise InvalidInput(f"missing key {missing[0]!r}")


def _number(
    data: Mapping[str, Any],
    key: str,
    *,
    most: float,
    positive: bool = False,
    default: float | None = None,
) -> float:
    if key not in data and default is not None:
        return default
    return _value(data[key], key, most=most, positive=positive)


def _value(value: Any, name: str, *, most: float, positive: bool = False) -> float:
    # bool is an int in Python: `true` must not pass for 1.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(f"{name} must be a number; got {json.dumps(value)[:40]}")
    try:
        number = float(value)
    except OverflowError:
        raise InvalidInput(f"{name} is beyond the range of a number") from None
    if not math.isfinite(number):
        raise InvalidInput(f"{name} must be a finite number")
    low_ok = number > 0 if positive else number >= 0
    if not (low_ok and number <= most):
        bound = "over 0" if positive else "at least 0"
        raise InvalidInput(f"{name} must be {bound} and at most {most:g}; got {number:g}")
    return number


def _list(data: Mapping[str, Any], key: str) -> list[Any]:
    values = data[key]
    if not isinstance(values, list) or not values:
        raise InvalidInput(f"{key} must be a non-empty list of numbers")
    if len(values) > MAX_LIST:
        raise InvalidInput(f"{key} has more than {MAX_LIST} values")
    return values


def _times(data: Mapping[str, Any], key: str) -> tuple[float, ...]:
    times = tuple(_value(v, f"{key}[{i}]", most=MAX_HOURS) for i, v in enumerate(_list(data, key)))
    for i in range(1, len(times)):
        if not times[i] > times[i - 1]:
            raise InvalidInput(f"{key} must be strictly increasing; {key}[{i}] is not")
    return times


__all__ = [
    "MixedReservoir",
    "ReservoirRouting",
    "RiverSpill",
    "mixed_reservoir",
    "parse_json",
    "reservoir_routing",
    "river_spill",
]
