"""Warning areas in CAP 1.2 (§3.2.4): polygons and circles to and from their text.

A rendered message carries few, small polygons covering the warned area; a received one
may carry polygons and circles, read into lon/lat (WGS84) shapes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import shapely
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.geometry import check_vertex_count
from crossrisk.geo.geodesy import LocalProjection

# Polygons in a rendered message. Region boundaries carry thousands of vertices per city;
# receivers (SMS gateways, sirens, dashboards) need a message of a few kilobytes, and a
# warning area has no use for 10 m detail. The polygons are enlarged while simplified,
# never shrunk, so every place of the city stays inside the warned area.
MAX_POLYGON_POINTS = 100  # per ring, the closing point included
MAX_POLYGONS = 10
COORDINATE_DECIMALS = 5  # about 1 m; the simplified rings carry a 25 m margin for it
_SIMPLIFY_START_M = 100.0
_SIMPLIFY_MAX_M = 50_000.0
_COVER_MARGIN_M = 25.0
_MERGE_START_M = 1_000.0
_MERGE_MAX_M = 64_000.0

# Circles are drawn in the azimuthal equidistant projection of geo/geodesy.py, so every
# vertex lies at the geodesic radius from the centre. A "radius" over this bound (a
# typhoon's wind circle is some 500 km) is no local alert but a unit mistake (metres sent
# as kilometres).
MAX_CIRCLE_KM = 1_000.0
_CIRCLE_QUAD_SEGS = 16  # 64 vertices: under 0.2 % short of the true circle's radius


def message_polygons(
    geometries: Sequence[BaseGeometry],
    *,
    max_points: int = MAX_POLYGON_POINTS,
    max_polygons: int = MAX_POLYGONS,
) -> list[Polygon]:
    """Few, small lon/lat polygons that together cover the given area."""
    parts = _checked_polygons(geometries)
    if not parts:
        return []
    # A city's boundary is the same in every warning it gets; simplifying it again for
    # each would put tens of milliseconds on every delivery.
    key = tuple(shapely.to_wkb(part) for part in parts)
    return list(_covering_polygons(key, max_points, max_polygons))


@lru_cache(maxsize=256)
def _covering_polygons(
    parts_wkb: tuple[bytes, ...], max_points: int, max_polygons: int
) -> tuple[Polygon, ...]:
    union = shapely.union_all([shapely.from_wkb(wkb) for wkb in parts_wkb])
    centre = union.centroid
    projection = LocalProjection(centre.x, centre.y)
    # Simplify in metres, so a tolerance means the same on the ground in every direction.
    # A CAP polygon is one ring (§3.2.4): holes cannot be said, so they are filled, which
    # only widens the warned area.
    shells = [_shell(p) for p in _polygons_of(projection.to_metres(union))]
    grow = _MERGE_START_M
    while len(shells) > max_polygons and grow <= _MERGE_MAX_M:
        # Many parts (Zhoushan has over 200 islands): merge neighbours by growing each
        # part, nearest first, so the message's few polygons still hug the land.
        merged = shapely.union_all([s.buffer(grow, quad_segs=2) for s in shells])
        shells = [_shell(p) for p in _polygons_of(merged)]
        grow *= 2
    if len(shells) > max_polygons:
        shells = [shapely.union_all(shells).convex_hull]
    bounded = [_bounded(shell, max_points) for shell in shells]
    return tuple(_rounded(projection.to_lonlat(polygon)) for polygon in bounded)


def _checked_polygons(geometries: Sequence[BaseGeometry]) -> list[Polygon]:
    parts: list[Polygon] = []
    for geometry in geometries:
        if not isinstance(geometry, Polygon | MultiPolygon):
            raise InvalidInput(
                f"an area polygon must be a shapely Polygon or MultiPolygon, "
                f"got {type(geometry).__name__}",
                key="cap-area-not-polygon",
            )
        if geometry.is_empty:
            continue
        if not geometry.is_valid:
            raise InvalidInput(
                f"an area polygon is invalid: {explain_validity(geometry)}", key="cap-area-invalid"
            )
        lon_min, lat_min, lon_max, lat_max = geometry.bounds
        if not (lon_min >= -180 and lon_max <= 180 and lat_min >= -90 and lat_max <= 90):
            raise InvalidInput(
                "an area polygon is not in WGS84 longitude/latitude", key="cap-area-not-wgs84"
            )
        parts.extend(_polygons_of(geometry))
    return parts


def _polygons_of(geometry: BaseGeometry) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [] if geometry.is_empty else [geometry]
    return [g for g in getattr(geometry, "geoms", ()) if isinstance(g, Polygon) and not g.is_empty]


def _shell(polygon: Polygon) -> Polygon:
    return Polygon(polygon.exterior)


def _points(polygon: Polygon) -> int:
    return len(polygon.exterior.coords)


def _bounded(shell: Polygon, max_points: int) -> Polygon:
    """A ring of at most max_points points covering the shell (in metres)."""
    if _points(shell) <= max_points:
        # Small enough as it is; only the margin, so rounding the coordinates to about a
        # metre cannot leave a sliver of the border outside.
        grown = _polygons_of(shell.buffer(_COVER_MARGIN_M, join_style="mitre", mitre_limit=2.0))
        if len(grown) == 1 and _points(grown[0]) <= max_points:
            return _shell(grown[0])
    tolerance = _SIMPLIFY_START_M
    while tolerance <= _SIMPLIFY_MAX_M:
        # Douglas–Peucker keeps every original vertex, hence every original edge, within
        # the tolerance of the simplified ring; growing that ring by the tolerance (plus
        # a margin for rounding the coordinates) therefore covers the original. Mitred
        # corners add no vertices, where round ones would add many. The check below
        # stands guard all the same.
        simplified = shell.simplify(tolerance, preserve_topology=True)
        grown = simplified.buffer(tolerance + _COVER_MARGIN_M, join_style="mitre", mitre_limit=2.0)
        candidates = _polygons_of(grown)
        if len(candidates) == 1:
            covering = _shell(candidates[0])
            if _points(covering) <= max_points and covering.covers(shell):
                return covering
        tolerance *= math.sqrt(2)  # finer steps: each one widens the area less
    # A shape simplification cannot bound (it will not happen for a city, but the message
    # must still go out): its convex hull covers it, and if even that has too many corners,
    # the smallest rectangle around it does.
    hull = shell.convex_hull.buffer(_COVER_MARGIN_M, join_style="mitre")
    if isinstance(hull, Polygon) and _points(hull) <= max_points:
        return hull
    rectangle = shapely.oriented_envelope(shell).buffer(_COVER_MARGIN_M, join_style="mitre")
    assert isinstance(rectangle, Polygon)
    return rectangle


def _rounded(polygon: Polygon) -> Polygon:
    return Polygon(
        [
            (round(lon, COORDINATE_DECIMALS), round(lat, COORDINATE_DECIMALS))
            for lon, lat in polygon.exterior.coords
        ]
    )


def cap_polygon_text(polygon: Polygon) -> str:
    """A polygon in CAP form: "lat,lon" pairs, space-separated, first equal to last."""
    # CAP 1.2 §3.2.4: WGS 84 coordinate pairs, latitude first; at least four pairs with
    # the first and last the same. shapely rings are closed and lon/lat, so swap only.
    coords = list(polygon.exterior.coords)
    if coords[0] != coords[-1]:
        coords.append(coords[0])
    if len(coords) < 4:
        raise InvalidInput("a CAP polygon needs at least four points", key="cap-polygon-short")
    return " ".join(
        f"{lat:.{COORDINATE_DECIMALS}f},{lon:.{COORDINATE_DECIMALS}f}" for lon, lat in coords
    )


def _coordinate(pair: str, what: str) -> tuple[float, float]:
    """One CAP "lat,lon" pair as (lon, lat)."""
    parts = pair.split(",")
    try:
        lat, lon = (float(part) for part in parts) if len(parts) == 2 else (math.nan, math.nan)
    except ValueError:
        lat = lon = math.nan
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise InvalidInput(
            f'the CAP {what} has {pair!r} where a "latitude,longitude" pair belongs',
            key="cap-bad-coordinate",
            params={"value": pair},
        )
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidInput(
            f"the CAP {what} point {pair!r} is not WGS84 latitude,longitude",
            key="cap-bad-coordinate",
            params={"value": pair},
        )
    return lon, lat


def parse_cap_polygon(text: str) -> Polygon:
    """A CAP <polygon> ("lat,lon lat,lon …", closed) as a lon/lat shapely Polygon."""
    pairs = text.split()
    check_vertex_count(len(pairs), what="the CAP polygon")
    points = [_coordinate(pair, "polygon") for pair in pairs]
    # CAP 1.2 §3.2.4: at least four pairs, the first and last the same.
    if len(points) < 4:
        raise InvalidInput(
            f"the CAP polygon has {len(points)} points; at least 4 are required",
            key="cap-bad-polygon",
        )
    if points[0] != points[-1]:
        raise InvalidInput(
            "the CAP polygon is not closed: its first and last points differ",
            key="cap-bad-polygon",
        )
    polygon = Polygon(points)
    if not polygon.is_valid:
        raise InvalidInput(
            f"the CAP polygon is invalid: {explain_validity(polygon)}", key="cap-bad-polygon"
        )
    return polygon


def parse_cap_circle(text: str) -> Polygon | Point:
    """A CAP <circle> ("lat,lon radius_km") as a lon/lat polygon of that radius.

    A radius of 0 is a point (CAP 1.2 §3.2.4's own examples use "… 0" for one spot).
    """
    parts = text.split()
    if len(parts) != 2:
        raise InvalidInput(
            f'the CAP circle {text!r} is not "latitude,longitude radius"',
            key="cap-bad-circle",
        )
    lon, lat = _coordinate(parts[0], "circle")
    try:
        radius_km = float(parts[1])
    except ValueError:
        radius_km = math.nan
    if not (math.isfinite(radius_km) and 0 <= radius_km <= MAX_CIRCLE_KM):
        raise InvalidInput(
            f"the CAP circle radius {parts[1]!r} must be a number of kilometres from 0 "
            f"to {MAX_CIRCLE_KM:g}",
            key="cap-bad-circle",
        )
    if radius_km == 0:
        return Point(lon, lat)
    # The radius is on the ground (km), so the circle is drawn in metres about its own
    # centre and brought back to lon/lat; drawn in degrees it would be an ellipse.
    projection = LocalProjection(lon, lat)
    circle = Point(0.0, 0.0).buffer(radius_km * 1000.0, quad_segs=_CIRCLE_QUAD_SEGS)
    result = projection.to_lonlat(circle)
    assert isinstance(result, Polygon)
    return result
