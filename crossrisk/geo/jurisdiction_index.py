"""Spatial index of a region's jurisdictions: where a hazard lies and who borders whom."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely import STRtree
from shapely.geometry.base import BaseGeometry

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.risk import Origin
from crossrisk.geo import geodesy

# Bundled boundaries are simplified; a hazard drawn on the coast or a border may fall a
# little outside. About 500 m of slack keeps such hazards inside the region.
REGION_TOLERANCE_DEG = 0.005
# Two boundaries that meet only at a point, or along a sliver shorter than this (degrees,
# about 100 m), are not neighbours.
MIN_SHARED_BORDER_DEG = 0.001


@dataclass(frozen=True, slots=True)
class Adjacency:
    a: str
    b: str
    border_km: float


class JurisdictionIndex:
    """STRtree over the member jurisdictions of one region."""

    def __init__(self, codes: Sequence[str], boundaries: Sequence[BaseGeometry]) -> None:
        if len(codes) != len(boundaries):
            raise ValueError("codes and boundaries differ in length")
        self.codes = list(codes)
        self.boundaries = np.asarray(boundaries, dtype=object)
        self.tree = STRtree(self.boundaries)
        # Square joins and few segments keep the extent's vertex count near the union's own.
        self.extent = shapely.union_all(self.boundaries).buffer(
            REGION_TOLERANCE_DEG, quad_segs=1, join_style="mitre"
        )
        shapely.prepare(self.extent)
        shapely.prepare(self.boundaries)

    def origins(self, hazard: BaseGeometry) -> tuple[Origin, ...]:
        """Jurisdictions the hazard source lies in, largest share first.

        Shares are by area for polygons, by length for lines and by count for points, so
        that a source spanning several cities names the one holding most of it first.
        """
        if not self.extent.covers(hazard):
            raise InvalidInput(
                "hazard geometry lies (partly) outside the region", key="hazard-outside-region"
            )
        hits = self.tree.query(hazard, predicate="intersects")
        if len(hits) == 0:
            # Inside the tolerance band but in no boundary (coast, simplification gap):
            # the nearest jurisdiction holds it.
            hits = np.atleast_1d(self.tree.query_nearest(hazard))[:1]
        return self.apportion(hazard, [int(i) for i in hits])

    def apportion(self, hazard: BaseGeometry, hits: Sequence[int]) -> tuple[Origin, ...]:
        """Share the hazard among the jurisdictions at these positions (all intersect it)."""
        if len(hits) == 1 or shapely.get_dimensions(hazard) == 0:
            # A point on a shared border lies in both; it is split evenly, no overlay needed.
            shares = [1.0 / len(hits)] * len(hits)
        else:
            pieces = shapely.intersection(self.boundaries[list(hits)], hazard)
            # Measured in the hazard's own dimension: a neighbour whose border a polygon
            # only touches shares a line with it, which has no area and holds none of it.
            dimension = int(shapely.get_dimensions(hazard))
            measures = [_measure(piece, dimension) for piece in pieces]
            total = sum(measures) or 1.0
            shares = [m / total for m in measures]
        found = [
            Origin(jurisdiction_code=self.codes[i], share=round(share, 6))
            for i, share in zip(hits, shares, strict=True)
            if share > 0
        ]
        return tuple(sorted(found, key=lambda o: (-o.share, o.jurisdiction_code)))

    def adjacency(self) -> list[Adjacency]:
        """Pairs of jurisdictions sharing a border of positive length."""
        pairs: list[Adjacency] = []
        left, right = self.tree.query(self.boundaries, predicate="intersects")
        for i, j in zip(left, right, strict=True):
            if i >= j:
                continue
            shared = shapely.intersection(
                shapely.boundary(self.boundaries[i]), shapely.boundary(self.boundaries[j])
            )
            if float(shapely.length(shared)) >= MIN_SHARED_BORDER_DEG:
                a, b = sorted((self.codes[i], self.codes[j]))
                pairs.append(Adjacency(a=a, b=b, border_km=round(geodesy.length_km(shared), 3)))
        return sorted(pairs, key=lambda pair: (pair.a, pair.b))


def _measure(geometry: BaseGeometry, dimension: int) -> float:
    if geometry.is_empty:
        return 0.0
    if dimension == 2:
        return geodesy.area_km2(geometry)
    return geodesy.length_km(geometry)
