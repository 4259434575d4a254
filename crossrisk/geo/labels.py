"""Where a city's name is written on a map: inside the city, as far from its border as can be.

A coastal city's bounding-box centre may lie at sea or in its neighbour, and shapely's
point_on_surface may land on a thin arm next to another city's label; the pole of
inaccessibility of the largest part (an island city's main island, a city's mainland
rather than its islands) leaves the most room around the label.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

# Precision of the pole search in degrees (about 1 km): labels need no finer placement.
POLE_TOLERANCE_DEG = 0.01


def largest_part(geometry: BaseGeometry) -> Polygon:
    """The polygon of largest area of a Polygon or MultiPolygon."""
    if isinstance(geometry, Polygon):
        return geometry
    if isinstance(geometry, MultiPolygon) and not geometry.is_empty:
        return max(geometry.geoms, key=lambda part: part.area)
    raise ValueError(f"a label needs a polygon; got {geometry.geom_type}")


def label_point(boundary: Mapping[str, Any] | BaseGeometry) -> tuple[float, float]:
    """The label point (lon, lat) of a boundary: its largest part's pole of inaccessibility."""
    geometry = boundary if isinstance(boundary, BaseGeometry) else shape(boundary)
    part = largest_part(geometry)
    pole = polylabel(part, tolerance=POLE_TOLERANCE_DEG)
    if not part.contains(pole):  # a degenerate sliver: any point inside will do
        pole = shapely.point_on_surface(part)
    return round(pole.x, 5), round(pole.y, 5)
