"""Footprint overlay: a hazard's area against the jurisdiction boundaries (§3.3).

Exposed population is spread by area within each jurisdiction, since the bundled data
hold one census figure per city; finer population grids can replace `populations` later.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import shapely
from shapely.geometry.base import BaseGeometry

from crossrisk.domain.reach import population_by_area_share
from crossrisk.geo.geodesy import area_km2, buffer_by_km
from crossrisk.geo.jurisdiction_index import JurisdictionIndex


@dataclass(frozen=True, slots=True)
class Exposure:
    jurisdiction_code: str
    area_share: float  # of the jurisdiction covered by the footprint
    footprint_share: float  # of the footprint lying in the jurisdiction
    exposed_population: int | None
    piece: BaseGeometry = field(repr=False)  # the footprint within the jurisdiction


def hazard_footprint(hazard: BaseGeometry, *, radius_km: float, buffer_km: float) -> BaseGeometry:
    """The area a hazard covers: a circle round a point, a corridor along a line."""
    dimension = shapely.get_dimensions(hazard)
    if dimension == 0:
        return buffer_by_km(hazard, radius_km)
    if dimension == 1:
        return buffer_by_km(hazard, buffer_km)
    return hazard


def overlay(
    index: JurisdictionIndex,
    footprint: BaseGeometry,
    populations: Mapping[str, int | None],
    *,
    candidates: list[int] | None = None,
) -> list[Exposure]:
    """Share of each jurisdiction the footprint covers, and the population exposed there.

    `candidates` lets a caller pass the positions to test (a benchmark's naive loop);
    by default the STRtree finds them.
    """
    hits = (
        [int(i) for i in index.tree.query(footprint, predicate="intersects")]
        if candidates is None
        else candidates
    )
    if not hits:
        return []
    boundaries = index.boundaries[hits]
    pieces = shapely.intersection(boundaries, footprint)
    # Areas on the ground, not in square degrees: a degree spans less ground to the north.
    piece_areas = [area_km2(piece) for piece in pieces]
    total = sum(piece_areas) or 1.0
    exposures = []
    for position, piece, piece_area, boundary in zip(
        hits, pieces, piece_areas, boundaries, strict=True
    ):
        if piece_area <= 0:
            continue
        code = index.codes[position]
        boundary_area = area_km2(boundary)
        share = piece_area / boundary_area if boundary_area else 0.0
        population = populations.get(code)
        exposures.append(
            Exposure(
                jurisdiction_code=code,
                area_share=min(share, 1.0),
                footprint_share=piece_area / total,
                exposed_population=population_by_area_share(population, share),
                piece=piece,
            )
        )
    return exposures
