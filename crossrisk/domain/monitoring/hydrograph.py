"""Replaying a recorded hydrograph: its CSV points as batches of observation records."""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from crossrisk.domain.errors import InvalidInput

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
