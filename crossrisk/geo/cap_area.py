"""Where a received CAP alert lies: its polygons, circles and area geocodes, placed.

An alert's area is the union of its polygons and circles (a circle of radius 0 is a
point); an area given only by geocodes is the boundary of the member jurisdiction each
GB/T 2260 code names (itself, or the city or municipality holding a county or district).
The national meteorological feed's "CPEAS Geographic Code" is a 12-digit code whose first
six digits are the GB/T 2260 county code, read the same way. The alert belongs to the
region holding most of that area, and only the part inside the region is governed here.

An area that lies wholly outside every region, or that cannot be placed at all (only a
description, or only another country's codes: FIPS, SAME, EMMA_ID), is no refusal: the
alert is valid CAP, and a feed sends such alerts every day. It is told apart by an
`Unplaced` answer, so the alert can be recorded with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import shapely
from shapely.geometry import MultiPoint, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

from crossrisk.geo.jurisdiction_index import JurisdictionIndex

# valueName of a GB/T 2260 geocode as senders spell it ("GB/T 2260", "GB2260", "gbt2260").
_GB2260_NAMES = frozenset({"gbt2260", "gb2260"})
# The national warning release system's 12-digit code (国家预警信息发布系统地理编码): the
# GB/T 2260 county code followed by six digits for the township and village.
_CPEAS_NAMES = frozenset({"cpeasgeographiccode", "cpeasgeocode", "cpeas"})


class Unplaced(StrEnum):
    """Why an alert's area has no place in any region of this platform."""

    OUTSIDE = "outside-region"  # its shapes or codes lie wholly outside every region
    NOT_PLACED = "not-placed"  # no shape and no code of this country to place it by


@dataclass(frozen=True, slots=True)
class AreaPart:
    """One <area> of an alert: its shape (polygons and circles), or only its geocodes."""

    shape: BaseGeometry | None
    geocodes: tuple[tuple[str, str], ...]  # (valueName, value)


@dataclass(frozen=True, slots=True)
class Placement:
    """The region an alert's area lies in and the hazard geometry inside it."""

    region_code: str
    geometry: BaseGeometry
    origin_codes: tuple[str, ...]
    clipped: bool  # part of the area lay outside the region and was left out


def is_gb2260(value_name: str) -> bool:
    """True when a geocode's valueName says GB/T 2260, however the sender spells it."""
    return _folded(value_name) in _GB2260_NAMES


def _folded(value_name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", value_name.lower())


def county_code(value_name: str, value: str) -> str | None:
    """The six-digit GB/T 2260 code a geocode gives, or None for any other code system."""
    name, code = _folded(value_name), value.strip()
    if name in _GB2260_NAMES and re.fullmatch(r"\d{6}", code):
        return code
    if name in _CPEAS_NAMES and re.fullmatch(r"\d{12}", code):
        return code[:6]
    return None


def member_code(code: str, members: Iterable[str]) -> str | None:
    """The member a GB/T 2260 code names: itself, or the city or municipality holding it."""
    # A county (341021 歙县) lies in its prefecture (341000), a district of a municipality
    # (310115 浦东新区) in the municipality (310000); the boundary is the member's, coarser
    # than the county, but the member is whom the platform governs with.
    if not re.fullmatch(r"\d{6}", code):
        return None
    known = set(members)
    for candidate in (code, code[:4] + "00", code[:2] + "0000"):
        if candidate in known:
            return candidate
    return None


def alert_area(
    parts: Iterable[AreaPart], indexes: Mapping[str, JurisdictionIndex]
) -> BaseGeometry | Unplaced:
    """The union of the parts' shapes and of the members their area codes name.

    Polygons are the hazard where there are any; points (circles of radius 0) only when
    the alert has nothing wider.
    """
    shapes: list[BaseGeometry] = []
    foreign_codes = False  # GB/T 2260 codes, none of a member: a place, but not ours
    boundaries: dict[str, BaseGeometry] | None = None
    for part in parts:
        if part.shape is not None:
            shapes.append(part.shape)
            continue
        codes = [c for name, value in part.geocodes if (c := county_code(name, value))]
        if not codes:
            continue
        if boundaries is None:
            boundaries = {
                code: boundary
                for index in indexes.values()
                for code, boundary in zip(index.codes, index.boundaries, strict=True)
            }
        for code in codes:
            member = member_code(code, boundaries)
            if member is None:
                foreign_codes = True
            else:
                shapes.append(boundaries[member])
    if not shapes:
        return Unplaced.OUTSIDE if foreign_codes else Unplaced.NOT_PLACED
    area = hazard_part(shapes)
    if area is None or not area.is_valid:
        return Unplaced.NOT_PLACED
    return area


def place_area(
    area: BaseGeometry,
    indexes: Mapping[str, JurisdictionIndex],
    *,
    region_code: str | None = None,
) -> Placement | Unplaced:
    """The region holding most of the area (or `region_code`), and the part inside it."""
    best: tuple[float, str, BaseGeometry] | None = None
    for code, index in indexes.items():
        if region_code is not None and code != region_code:
            continue
        hits = [int(i) for i in index.tree.query(area, predicate="intersects")]
        if not hits:
            continue
        inside = hazard_part(list(shapely.intersection(index.boundaries[hits], area)))
        if inside is None or shapely.get_dimensions(inside) < shapely.get_dimensions(area):
            continue  # the area only touches a border
        share = float(inside.area) if inside.area > 0 else float(shapely.get_num_points(inside))
        if best is None or share > best[0]:
            best = (share, code, inside)
    if best is None:
        return Unplaced.OUTSIDE
    _, code, inside = best
    index = indexes[code]
    covered = bool(index.extent.covers(area))
    # Only the region's part is governed here; the rest is another region's business.
    geometry = area if covered else inside
    return Placement(
        region_code=code,
        geometry=geometry,
        origin_codes=tuple(o.jurisdiction_code for o in index.origins(geometry)),
        clipped=not covered,
    )


def hazard_part(geometry: BaseGeometry | Sequence[BaseGeometry]) -> BaseGeometry | None:
    """The polygons of a geometry (or of several) merged, else its points; None if neither."""
    pieces = geometry if isinstance(geometry, Sequence) else [geometry]
    parts = [part for piece in pieces for part in shapely.get_parts(piece)]
    polygons = [
        part for part in parts if isinstance(part, Polygon) and not part.is_empty and part.area > 0
    ]
    if polygons:
        merged = shapely.union_all(polygons)
        return merged if isinstance(merged, Polygon | MultiPolygon) else hazard_part(merged)
    points = [part for part in parts if isinstance(part, Point) and not part.is_empty]
    if not points:
        return None
    unique = shapely.union_all(points)
    return unique if isinstance(unique, Point | MultiPoint) else None
