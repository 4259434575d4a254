"""Reading a hazard source from GeoJSON and refusing what is not a usable geometry."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.geometry import count_positions

HAZARD_TYPES = frozenset(
    {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}
)


def parse_hazard_geometry(value: object) -> BaseGeometry:
    """Return the shapely geometry of a GeoJSON point, line or polygon, or refuse it."""
    if not isinstance(value, Mapping):
        raise InvalidInput(
            "hazard geometry must be a GeoJSON geometry object", key="hazard-not-geojson"
        )
    kind = value.get("type")
    if kind == "Feature":
        return parse_hazard_geometry(value.get("geometry"))
    if kind not in HAZARD_TYPES:
        raise InvalidInput(
            f"hazard geometry type {kind!r} is not one of {', '.join(sorted(HAZARD_TYPES))}"
        )
    # Counted before anything is built: a huge or absurdly nested input costs nothing more.
    count_positions(value.get("coordinates"), what="hazard geometry")
    try:
        geometry = shape(value)
    except Exception as exc:  # shapely raises several types for malformed coordinates
        raise InvalidInput(f"hazard geometry is malformed: {exc}") from None
    if geometry.is_empty:
        raise InvalidInput("hazard geometry is empty", key="hazard-empty")
    for lon, lat in shapely.get_coordinates(geometry):
        if not (math.isfinite(lon) and math.isfinite(lat)):
            raise InvalidInput("hazard geometry has a coordinate that is not a finite number")
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise InvalidInput(
                f"hazard geometry coordinate ({lon}, {lat}) is not WGS84 longitude/latitude"
            )
    if not geometry.is_valid:
        raise InvalidInput(f"hazard geometry is invalid: {explain_validity(geometry)}")
    return geometry


def to_geojson(geometry: BaseGeometry) -> dict[str, Any]:
    """GeoJSON mapping of a geometry, as plain lists for JSON columns."""
    converted: dict[str, Any] = _as_lists(shapely.geometry.mapping(geometry))
    return converted


def _as_lists(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _as_lists(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_as_lists(item) for item in value]
    return value
