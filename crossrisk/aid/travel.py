"""Travel hours between places, for the allocation and the shortfall's neighbour cover.

Without a road graph, a trip takes the WGS84 geodesic distance times a road factor (how
much longer roads run than the straight line) divided by a lorry's average speed; both are
settings. A road graph, where one is loaded, replaces the estimate (see `RoadTravel`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from crossrisk.geo.geodesy import distance_km

Point = tuple[float, float]  # lon, lat


class TravelModel(Protocol):
    def hours(
        self, origins: Mapping[str, Point], destinations: Mapping[str, Point]
    ) -> dict[str, dict[str, float]]:
        """Hours from each origin to each destination it can reach (a missing pair: no route)."""
        ...


@dataclass(frozen=True, slots=True)
class GreatCircleTravel:
    road_factor: float = 1.3
    speed_kmh: float = 60.0

    def hours(
        self, origins: Mapping[str, Point], destinations: Mapping[str, Point]
    ) -> dict[str, dict[str, float]]:
        if not origins or not destinations:
            return {code: {} for code in origins}
        o_codes: Sequence[str] = list(origins)
        d_codes: Sequence[str] = list(destinations)
        o = np.array([origins[c] for c in o_codes], dtype=np.float64)
        d = np.array([destinations[c] for c in d_codes], dtype=np.float64)
        km = distance_km(o[:, None, 0], o[:, None, 1], d[None, :, 0], d[None, :, 1])
        hours = km * self.road_factor / self.speed_kmh
        return {
            oc: {dc: float(hours[i, j]) for j, dc in enumerate(d_codes)}
            for i, oc in enumerate(o_codes)
        }
