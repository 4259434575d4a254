"""Where a received CAP alert lies: its polygons, circles and GB/T 2260 geocodes, placed.

An alert's area is the union of its polygons and circles; an area given only by GB/T 2260
geocodes is the boundary of the member jurisdiction each code names (itself, or the city
or municipality holding a county or district). The alert belongs to the region holding
most of that area, and only the part inside the region is governed here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from crossrisk.domain.errors import InvalidInput
from crossrisk.geo.jurisdiction_index import JurisdictionIndex

# valueName of a GB/T 2260 geocode as senders spell it ("GB/T 2260", "GB2260", "gbt2260").
_GB2260_NAMES = frozenset({"gbt2260", "gb2260"})


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
    return re.sub(r"[^0-9a-z]", "", value_name.lower()) in _GB2260_NAMES


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


def alert_area(parts: Iterable[AreaPart], indexes: Mapping[str, JurisdictionIndex]) -> BaseGeometry:
    """The union of the parts' shapes, and of the members their GB/T 2260 geocodes name."""
    shapes: list[BaseGeometry] = []
    boundaries: dict[str, BaseGeometry] | None = None
    for part in parts:
        if part.shape is not None:
            shapes.append(part.shape)
            continue
        codes = [value for name, value in part.geocodes if is_gb2260(name)]
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
            if member is not None:
                shapes.append(boundaries[member])
    if not shapes:
        raise InvalidInput(
            "the CAP message has no <polygon> or <circle>, and no GB/T 2260 geocode of a "
            "member jurisdiction, to place its hazard by",
            key="cap-no-area",
        )
    polygonal = polygonal_part(shapely.union_all(shapes))
    if polygonal is None or not polygonal.is_valid:
        raise InvalidInput("the CAP area is not a usable polygon", key="cap-no-area")
    return polygonal


def place_area(
    area: BaseGeometry,
    indexes: Mapping[str, JurisdictionIndex],
    *,
    region_code: str | None = None,
) -> Placement:
    """The region holding most of the area (or `region_code`), and the part inside it."""
    best: tuple[float, str, BaseGeometry] | None = None
    for code, index in indexes.items():
        if region_code is not None and code != region_code:
            continue
        hits = [int(i) for i in index.tree.query(area, predicate="intersects")]
        if not hits:
            continue
        inside = polygonal_part(list(shapely.intersection(index.boundaries[hits], area)))
        if inside is None:
            continue  # the area only touches a border
        if best is None or inside.area > best[0]:
            best = (float(inside.area), code, inside)
    if best is None:
        where = f"region {region_code}" if region_code else "any region of this platform"
        raise InvalidInput(
            f"the CAP area lies outside {where}; no member jurisdiction is in it",
            key="cap-outside-region",
        )
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


def polygonal_part(geometry: BaseGeometry | Sequence[BaseGeometry]) -> BaseGeometry | None:
    """The polygons of a geometry (or of several), merged; None when there are none."""
    pieces = geometry if isinstance(geometry, Sequence) else [geometry]
    polygons = [
        part
        for piece in pieces
        for part in shapely.get_parts(piece)
        if isinstance(part, Polygon) and not part.is_empty and part.area > 0
    ]
    if not polygons:
        return None
    merged = shapely.union_all(polygons)
    return merged if isinstance(merged, Polygon | MultiPolygon) else polygonal_part(merged)
