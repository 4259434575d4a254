"""What the propagation models need to know of a region, gathered once per load."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import shapely
from shapely import STRtree
from shapely.geometry.base import BaseGeometry

from crossrisk.geo.jurisdiction_index import JurisdictionIndex

if TYPE_CHECKING:
    from crossrisk.geo.river import RiverNetwork

# Members and their surroundings share simplified borders; an overlap smaller than this
# (about 0.01 km², or 100 m of line) is that noise, not a reach into the neighbour.
NOISE_AREA_DEG2 = 1e-6
NOISE_LENGTH_DEG = 1e-3


class RegionGeo:
    """A region's members, populations, rivers and the land around it."""

    def __init__(
        self,
        *,
        code: str,
        index: JurisdictionIndex,
        populations: Mapping[str, int | None],
        label_points: Mapping[str, tuple[float, float]],
        names: Mapping[str, tuple[str, str]],
        rivers: RiverNetwork | None,
        surroundings: Sequence[BaseGeometry] = (),
    ) -> None:
        self.code = code
        self.index = index
        self.populations = populations
        self.label_points = label_points  # a point inside each member (lon, lat)
        self.names = names  # code -> (name_zh, name_en)
        self.rivers = rivers  # None where the region ships no river network
        self.surroundings = np.asarray(surroundings, dtype=object)
        self._surroundings_tree = STRtree(self.surroundings) if len(surroundings) else None

    def reaches_beyond(self, geometry: BaseGeometry) -> bool:
        """True when the geometry enters land around the region that no member holds.

        The sea belongs to no jurisdiction, so a plume or river that ends over it stays
        within the region; where a region file carries no surroundings, nothing is beyond.
        """
        if self._surroundings_tree is None or geometry.is_empty:
            return False
        hits = self._surroundings_tree.query(geometry, predicate="intersects")
        if len(hits) == 0:
            return False
        pieces = shapely.intersection(self.surroundings[hits], geometry)
        dimensions = shapely.get_dimensions(pieces)
        areas = (dimensions == 2) & (shapely.area(pieces) > NOISE_AREA_DEG2)
        lines = (dimensions == 1) & (shapely.length(pieces) > NOISE_LENGTH_DEG)
        return bool((areas | lines).any())
