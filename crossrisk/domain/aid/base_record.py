"""What teams, equipment and shelters share: a location and bounded figures.

Every figure an officer types is checked here once, so the API, the pages and any import
refuse the same things the same way (a NaN, a negative headcount, a count beyond any city).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from crossrisk.domain.aid.sharing import Sharing
from crossrisk.domain.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Location:
    lon: float
    lat: float


def check_location(lon: object, lat: object) -> Location:
    """A longitude and latitude in range, or InvalidInput keyed "location-invalid"."""
    if _is_number(lon) and _is_number(lat):
        x, y = float(lon), float(lat)  # type: ignore[arg-type]
        if math.isfinite(x) and math.isfinite(y) and -180 <= x <= 180 and -90 <= y <= 90:
            return Location(lon=x, lat=y)
    raise InvalidInput(
        f"the location ({lon!r}, {lat!r}) is not a longitude and latitude",
        key="location-invalid",
    )


def moved(changes: Mapping[str, Any], current: Location, field: str) -> dict[str, Any]:
    """Changes with "lon"/"lat" folded into the record's location field, checked."""
    rest = dict(changes)
    if "lon" in rest or "lat" in rest:
        rest[field] = check_location(rest.pop("lon", current.lon), rest.pop("lat", current.lat))
    return rest


def check_count(field: str, value: object, *, low: int, high: int) -> int:
    """A whole number from low to high (people, units), or InvalidInput "figure-invalid"."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return value
    raise InvalidInput(
        f"{field} must be a whole number from {low} to {high}, not {value!r}",
        key="figure-invalid",
        params={"field": field, "low": low, "high": high},
    )


def check_figure(field: str, value: object, *, low: float, high: float) -> float:
    """A finite number from low to high (hours, kW), or InvalidInput "figure-invalid"."""
    if _is_number(value):
        number = float(value)  # type: ignore[arg-type]
        if math.isfinite(number) and low <= number <= high:
            return number
    raise InvalidInput(
        f"{field} must be a number from {low:g} to {high:g}, not {value!r}",
        key="figure-invalid",
        params={"field": field, "low": f"{low:g}", "high": f"{high:g}"},
    )


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_sharing(value: object) -> Sharing:
    """A sharing setting ("region" or "committee"), or InvalidInput "sharing-invalid"."""
    try:
        return Sharing(str(value))
    except ValueError:
        raise InvalidInput(
            f"sharing is region or committee, not {str(value)[:20]!r}", key="sharing-invalid"
        ) from None
