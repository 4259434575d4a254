"""The river below a source, and where it enters each jurisdiction.

Both river models (a spill in river_spill.py, a flood wave in river_flood.py) start here:
the source snaps to the network, the path runs down to the sea or a terminal lake, and the
first point of the path inside a jurisdiction is that jurisdiction's first section — where
its water is judged. Distances in km along the path from the snapped source.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import shapely
from shapely import STRtree
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from crossrisk.geo.river import RiverEdge, RiverNetwork, Snap

# The path is sampled this often (km) to find where it crosses a boundary; the river
# geometry itself is only good to a few hundred metres, so finer buys nothing.
SAMPLE_KM = 0.25


@dataclass(frozen=True, slots=True)
class Span:
    """One edge's piece of the path, from start_km to end_km along it."""

    edge: RiverEdge
    start_km: float
    end_km: float

    @property
    def length_km(self) -> float:
        return self.end_km - self.start_km


@dataclass(frozen=True, slots=True, eq=False)
class RiverPath:
    """The river below a snapped source: its vertices and the edges it runs along."""

    snap: Snap
    coords: npt.NDArray[np.float64]  # (N, 2) lon/lat
    km: npt.NDArray[np.float64]  # (N,) along the path
    spans: tuple[Span, ...]

    @property
    def length_km(self) -> float:
        return float(self.km[-1])

    @property
    def line(self) -> BaseGeometry:
        """The path as a LineString (a Point for a source at the river's very end)."""
        if len(self.coords) > 1:
            return shapely.linestrings(self.coords)
        return Point(self.coords[0])

    def span_at(self, km: float) -> Span:
        """The span holding this point; at an edge's end, the one below it."""
        starts = [span.start_km for span in self.spans]
        return self.spans[max(0, bisect.bisect_right(starts, km) - 1)]


@dataclass(frozen=True, slots=True)
class Crossing:
    """Where the path enters a jurisdiction for the first time."""

    jurisdiction_code: str
    entry_km: float
    is_origin: bool


def downstream_path(network: RiverNetwork, snap: Snap) -> RiverPath:
    """The path from a snapped point to the sea or a terminal lake."""
    coords = [np.array([[snap.lon, snap.lat]])]
    km = [np.zeros(1)]
    spans: list[Span] = []
    km0 = 0.0
    for n, edge in enumerate(network.downstream(snap.edge_id)):
        # The stored length is the authority for the edge; vertex distances are scaled to
        # it so that travel times add up to length over speed exactly.
        scale = edge.length_km / edge.cum_km[-1] if edge.cum_km[-1] > 0 else 1.0
        if n == 0:
            keep = edge.cum_km > snap.along_km
            xy, d = edge.coords[keep], (edge.cum_km[keep] - snap.along_km) * scale
        else:
            xy, d = edge.coords[1:], edge.cum_km[1:] * scale
        if not len(d):
            continue
        coords.append(xy)
        km.append(km0 + d)
        spans.append(Span(edge=edge, start_km=km0, end_km=km0 + float(d[-1])))
        km0 += float(d[-1])
    if not spans:  # a source right at the mouth: no river below it, still its edge
        edge = network.edge(snap.edge_id)
        spans.append(Span(edge=edge, start_km=0.0, end_km=0.0))
    return RiverPath(snap=snap, coords=np.vstack(coords), km=np.concatenate(km), spans=tuple(spans))


def crossings(
    path: RiverPath, source: Point, codes: Sequence[str], boundaries: Sequence[BaseGeometry]
) -> list[Crossing]:
    """The jurisdiction holding the source, then every one the path enters, by distance.

    The path is sampled every SAMPLE_KM; the first sample inside a jurisdiction is where
    it is entered.
    """
    if len(codes) != len(boundaries):
        raise ValueError("codes and boundaries differ in length")
    total = path.length_km
    sample_km = np.append(np.arange(0.0, total, SAMPLE_KM), total)
    xs = np.interp(sample_km, path.km, path.coords[:, 0])
    ys = np.interp(sample_km, path.km, path.coords[:, 1])
    geoms = np.asarray(boundaries, dtype=object)
    # Prepared geometries keep their point-in-polygon index between calls; the bundled
    # boundaries (50,000 vertices) would otherwise be indexed afresh on every reach.
    shapely.prepare(geoms)
    tree = STRtree(geoms)
    points = shapely.points(xs, ys)
    candidate_sample, candidate_geom = tree.query(points)
    inside = shapely.intersects(geoms[candidate_geom], points[candidate_sample])
    first: dict[int, int] = {}
    for s, g in zip(
        candidate_sample[inside].tolist(), candidate_geom[inside].tolist(), strict=True
    ):
        if g not in first or s < first[g]:
            first[g] = s
    origin_hits = sorted(int(i) for i in tree.query(source, predicate="intersects"))
    if origin_hits:
        origin = min(origin_hits, key=lambda i: codes[i])
    elif first:
        origin = min(first, key=lambda g: (first[g], codes[g]))
    else:
        origin = -1
    found = [Crossing(codes[origin], 0.0, True)] if origin >= 0 else []
    for g in sorted((g for g in first if g != origin), key=lambda g: (first[g], codes[g])):
        found.append(Crossing(codes[g], round(float(sample_km[first[g]]), 3), False))
    return found
