"""River propagation: a spill or flood wave travelling down a directed river network.

A point hazard snaps to the nearest river edge; from there the front follows each edge's
``to_node`` to the sea or a terminal lake. Arrival times come from reach lengths and
each edge's front celerity, peak attenuation from Muskingum routing of a unit pulse.

Units, everywhere in this module: distances in km, times in hours, celerities in m/s,
coordinates WGS84 longitude/latitude in degrees. The routing itself is in muskingum.py.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from shapely import STRtree
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from crossrisk.domain.errors import InvalidInput
from crossrisk.geo.geodesy import cumulative_km, km_per_degree
from crossrisk.hydro.muskingum import STABILITY_SLACK, coefficients, route

__all__ = [
    "RiverEdge",
    "RiverImpact",
    "RiverNetwork",
    "RiverNode",
    "RiverReach",
    "Snap",
    "load_network",
    "river_reach",
]

# The front's position is sampled this often (km) to find where it crosses a boundary;
# the river geometry itself is only good to a few hundred metres, so finer buys nothing.
SAMPLE_KM = 0.25
# Enough time steps for the routed pulse's peak to have passed the last reach: the peak
# arrives after about the total travel time plus half the pulse; Muskingum spreads it
# by a fraction of that.
_WINDOW_FACTOR = 1.25
_WINDOW_EXTRA_STEPS = 48


# ------------------------------------------------------------------------- network


@dataclass(frozen=True, slots=True)
class RiverNode:
    """A source, junction, break, lake or mouth of the network."""

    id: str
    kind: str
    name_zh: str
    name_en: str
    lon: float
    lat: float


@dataclass(frozen=True, slots=True, eq=False)
class RiverEdge:
    """A river stretch oriented downstream, from ``from_node`` to ``to_node``."""

    id: str
    river: str
    name_zh: str
    name_en: str
    from_node: str
    to_node: str
    length_km: float
    celerity_m_s: float
    synthetic: bool
    coords: npt.NDArray[np.float64] = field(repr=False)  # (N, 2) lon/lat
    cum_km: npt.NDArray[np.float64] = field(repr=False)  # (N,) km from the first vertex


@dataclass(frozen=True, slots=True)
class Snap:
    """Where a point lies on the network: the edge, the foot point and how far."""

    edge_id: str
    river: str
    lon: float
    lat: float
    distance_km: float  # from the given point to the river
    along_km: float  # from the edge's start (its upstream end) to the foot point


@dataclass(frozen=True, slots=True)
class RiverImpact:
    """The front's passage through one jurisdiction downstream of the source."""

    jurisdiction_code: str
    river: str
    distance_km: float  # along the river, from the source to where the front enters
    arrival_hours: float  # when the front enters, hours after release
    peak_fraction: float  # routed peak / source peak, at the entry point
    exit_hours: float | None  # when the front leaves for good; None if the river ends inside


class RiverReach(list[RiverImpact]):
    """The impacts of one source, in arrival order, with the front's track.

    A list, so that it can be used as the plain list of impacts; ``path`` is the river
    below the source (WGS84 LineString from the snapped point to the sea or lake), for the
    map and for telling whether the track enters land beyond the region.
    """

    def __init__(
        self,
        impacts: Iterable[RiverImpact],
        *,
        snap: Snap,
        path: BaseGeometry,
    ) -> None:
        super().__init__(impacts)
        self.snap = snap
        self.path = path

    @property
    def impacts(self) -> list[RiverImpact]:
        """The impacts as a plain list."""
        return list(self)


class RiverNetwork:
    """Directed river edges with an STRtree for snapping points to them."""

    def __init__(self, edges: Sequence[RiverEdge], nodes: Iterable[RiverNode] = ()) -> None:
        if not edges:
            raise ValueError("a river network needs at least one edge")
        self.edges: tuple[RiverEdge, ...] = tuple(edges)
        self.nodes: dict[str, RiverNode] = {node.id: node for node in nodes}
        self._by_id = {edge.id: i for i, edge in enumerate(self.edges)}
        if len(self._by_id) != len(self.edges):
            raise ValueError("river edge ids are not unique")
        self._out: dict[str, int] = {}
        for i, edge in enumerate(self.edges):
            # One way out of every node: at a confluence the front continues down the main
            # stem, so a node with two outgoing edges would make "downstream" ambiguous.
            if edge.from_node in self._out:
                other = self.edges[self._out[edge.from_node]].id
                raise ValueError(
                    f"node {edge.from_node} has two outgoing edges ({other}, {edge.id})"
                )
            self._out[edge.from_node] = i
        for i in range(len(self.edges)):
            self._check_acyclic(i)
        self._lines = np.array(
            [shapely.linestrings(edge.coords) for edge in self.edges], dtype=object
        )
        self.tree = STRtree(self._lines)

    def _check_acyclic(self, start: int) -> None:
        seen = {start}
        i = start
        while (nxt := self._out.get(self.edges[i].to_node)) is not None:
            if nxt in seen:
                raise ValueError(f"river edges form a cycle through {self.edges[nxt].id}")
            seen.add(nxt)
            i = nxt

    @classmethod
    def from_geojson(cls, mapping: Mapping[str, Any]) -> RiverNetwork:
        """Build the network from a FeatureCollection of downstream-oriented LineStrings."""
        if mapping.get("type") != "FeatureCollection":
            raise ValueError("river network must be a GeoJSON FeatureCollection")
        edges: list[RiverEdge] = []
        for feature in mapping.get("features", []):
            props = feature["properties"]
            geometry = feature["geometry"]
            if geometry.get("type") != "LineString":
                raise ValueError(f"river edge {props.get('id')} is not a LineString")
            coords = np.asarray(geometry["coordinates"], dtype=np.float64)
            if coords.ndim != 2 or len(coords) < 2:
                raise ValueError(f"river edge {props.get('id')} has fewer than two vertices")
            cum = cumulative_km(coords[:, :2])
            edges.append(
                RiverEdge(
                    id=str(props["id"]),
                    river=str(props["river"]),
                    name_zh=str(props.get("name_zh", "")),
                    name_en=str(props.get("name_en", "")),
                    from_node=str(props["from_node"]),
                    to_node=str(props["to_node"]),
                    length_km=float(props.get("length_km", cum[-1])),
                    celerity_m_s=float(props["celerity_m_s"]),
                    synthetic=bool(props.get("synthetic", False)),
                    coords=coords[:, :2],
                    cum_km=cum,
                )
            )
        nodes = [
            RiverNode(
                id=str(n["id"]),
                kind=str(n.get("kind", "")),
                name_zh=str(n.get("name_zh", "")),
                name_en=str(n.get("name_en", "")),
                lon=float(n["coordinates"][0]),
                lat=float(n["coordinates"][1]),
            )
            for n in mapping.get("nodes", [])
        ]
        return cls(edges, nodes)

    def edge(self, edge_id: str) -> RiverEdge:
        """The edge with this id."""
        return self.edges[self._by_id[edge_id]]

    def downstream(self, edge_id: str) -> list[RiverEdge]:
        """This edge and every edge below it, in flow order, to the sea or a lake."""
        i: int | None = self._by_id[edge_id]
        path: list[RiverEdge] = []
        while i is not None:
            path.append(self.edges[i])
            i = self._out.get(self.edges[i].to_node)
        return path

    def snap(self, point: BaseGeometry | tuple[float, float], tolerance_km: float = 5.0) -> Snap:
        """Foot of the perpendicular from a point to the nearest river edge, within tolerance."""
        if not (math.isfinite(tolerance_km) and tolerance_km > 0):
            raise InvalidInput(
                f"snapping tolerance must be a positive number of km; got {tolerance_km}"
            )
        if isinstance(point, tuple):
            point = Point(point)
        if not isinstance(point, Point) or point.is_empty:
            raise InvalidInput(
                "the river model needs a point source; got "
                f"{getattr(point, 'geom_type', type(point).__name__)}",
                key="river-needs-point",
            )
        lon, lat = point.x, point.y
        best = self._nearest_within(lon, lat, tolerance_km)
        if best is None:
            nearest = self._nearest_any(lon, lat)
            edge = self.edges[nearest[0]]
            raise InvalidInput(
                f"the nearest river ({edge.name_en}, {edge.river}) is {nearest[1]:.1f} km away; "
                f"the river model needs a source within {tolerance_km:g} km of a river",
                key="river-too-far",
                params={
                    "river_zh": edge.name_zh,
                    "river_en": edge.name_en,
                    "distance_km": round(nearest[1], 1),
                    "tolerance_km": tolerance_km,
                },
            )
        return best

    def nearest(self, lon: float, lat: float) -> Snap:
        """The foot on the nearest river edge however far: what `snap` measures, unbounded.

        The hazard picker shows this distance while a point is being chosen, so that the
        officer sees before submitting whether `snap` will accept the source.
        """
        if not (math.isfinite(lon) and math.isfinite(lat)):
            raise InvalidInput(f"a point needs finite coordinates; got {lon}, {lat}")
        i, _distance = self._nearest_any(lon, lat)
        kx, ky = km_per_degree(lat)
        return self._foot(i, lon, lat, kx, ky)

    def _nearest_within(self, lon: float, lat: float, radius_km: float) -> Snap | None:
        kx, ky = km_per_degree(lat)
        box = shapely.box(
            lon - radius_km / kx, lat - radius_km / ky, lon + radius_km / kx, lat + radius_km / ky
        )
        best: Snap | None = None
        for i in sorted(int(j) for j in self.tree.query(box)):
            snap = self._foot(i, lon, lat, kx, ky)
            if snap.distance_km <= radius_km and (
                best is None or snap.distance_km < best.distance_km
            ):
                best = snap
        return best

    def _nearest_any(self, lon: float, lat: float) -> tuple[int, float]:
        kx, ky = km_per_degree(lat)
        # Nearest in degrees is a good first guess, not necessarily nearest in km; every
        # edge within that km distance is then measured properly.
        guess = int(np.atleast_1d(self.tree.query_nearest(Point(lon, lat)))[0])
        radius = self._foot(guess, lon, lat, kx, ky).distance_km
        found = self._nearest_within(lon, lat, radius * 1.000001 + 1e-9)
        if found is None:
            return guess, radius
        return self._by_id[found.edge_id], found.distance_km

    def _foot(self, i: int, lon: float, lat: float, kx: float, ky: float) -> Snap:
        edge = self.edges[i]
        # Local plane centred on the point, in km: exact enough over a few km.
        xy = (edge.coords - (lon, lat)) * (kx, ky)
        a, b = xy[:-1], xy[1:]
        ab = b - a
        denom = np.einsum("ij,ij->i", ab, ab)
        t = np.clip(
            np.divide(
                -np.einsum("ij,ij->i", a, ab), denom, out=np.zeros_like(denom), where=denom > 0
            ),
            0.0,
            1.0,
        )
        foot = a + ab * t[:, None]
        dist = np.hypot(foot[:, 0], foot[:, 1])
        j = int(np.argmin(dist))
        seg_km = edge.cum_km[j + 1] - edge.cum_km[j]
        return Snap(
            edge_id=edge.id,
            river=edge.river,
            lon=lon + foot[j, 0] / kx,
            lat=lat + foot[j, 1] / ky,
            distance_km=float(dist[j]),
            along_km=float(edge.cum_km[j] + t[j] * seg_km),
        )


def load_network(source: str | os.PathLike[str] | Mapping[str, Any]) -> RiverNetwork:
    """Read a river network from a GeoJSON file path or an already parsed mapping."""
    if isinstance(source, Mapping):
        return RiverNetwork.from_geojson(source)
    with open(source, encoding="utf-8") as f:
        return RiverNetwork.from_geojson(json.load(f))


# ------------------------------------------------------------------------- reach


@dataclass(frozen=True, slots=True)
class _Path:
    """The river below a source: vertices with distance (km) and time (h) from the source."""

    coords: npt.NDArray[np.float64]
    km: npt.NDArray[np.float64]
    hours: npt.NDArray[np.float64]
    rivers: tuple[str, ...]  # river of each segment (len = vertices - 1)


def _downstream_path(network: RiverNetwork, snap: Snap, celerity_m_s: float | None) -> _Path:
    coords = [np.array([[snap.lon, snap.lat]])]
    km = [np.zeros(1)]
    hours = [np.zeros(1)]
    rivers: list[str] = []
    km0 = h0 = 0.0
    for n, edge in enumerate(network.downstream(snap.edge_id)):
        # The stored length is the authority for the edge; vertex distances are scaled to
        # it so that arrival times add up to length / celerity exactly.
        scale = edge.length_km / edge.cum_km[-1] if edge.cum_km[-1] > 0 else 1.0
        if n == 0:
            # Start at the foot point: keep the vertices below it on the first edge.
            keep = edge.cum_km > snap.along_km
            xy, d = edge.coords[keep], (edge.cum_km[keep] - snap.along_km) * scale
        else:
            xy, d = edge.coords[1:], edge.cum_km[1:] * scale
        if not len(d):
            continue
        km_per_hour = (celerity_m_s or edge.celerity_m_s) * 3.6
        coords.append(xy)
        km.append(km0 + d)
        hours.append(h0 + d / km_per_hour)
        rivers.extend([edge.river] * len(d))
        km0, h0 = km0 + float(d[-1]), h0 + float(d[-1]) / km_per_hour
    return _Path(
        coords=np.vstack(coords),
        km=np.concatenate(km),
        hours=np.concatenate(hours),
        # A source right at the mouth has no segment below it; it still has a river.
        rivers=tuple(rivers) or (snap.river,),
    )


def river_reach(
    network: RiverNetwork,
    point: BaseGeometry | tuple[float, float],
    *,
    codes: Sequence[str],
    boundaries: Sequence[BaseGeometry],
    tolerance_km: float = 5.0,
    pulse_hours: float = 6.0,
    muskingum_x: float = 0.2,
    celerity_m_s: float | None = None,
    routing_step_hours: float = 1.0,
) -> RiverReach:
    """Jurisdictions a river-borne front from this point reaches, ordered by arrival.

    The source snaps to the nearest river within ``tolerance_km``. The jurisdiction that
    holds the source comes first (arrival 0, fraction 1); every other jurisdiction the
    downstream path enters follows with the distance and time at which the front first
    enters it (per-edge celerity, or ``celerity_m_s`` for all edges) and the peak of a
    unit rectangular pulse of ``pulse_hours`` routed by Muskingum to that point.
    """
    if len(codes) != len(boundaries):
        raise ValueError("codes and boundaries differ in length")
    for name, value in (
        ("pulse_hours", pulse_hours),
        ("routing_step_hours", routing_step_hours),
    ):
        if not (math.isfinite(value) and value > 0):
            raise InvalidInput(f"{name} must be a positive number; got {value}")
    if not (math.isfinite(muskingum_x) and 0.0 <= muskingum_x <= 0.5):
        raise InvalidInput(f"muskingum_x must lie between 0 and 0.5; got {muskingum_x}")
    if celerity_m_s is not None and not (math.isfinite(celerity_m_s) and celerity_m_s > 0):
        raise InvalidInput(f"celerity_m_s must be a positive number of m/s; got {celerity_m_s}")

    if isinstance(point, tuple):
        point = Point(point)
    snap = network.snap(point, tolerance_km)
    path = _downstream_path(network, snap, celerity_m_s)

    # Sample the front's track every SAMPLE_KM and ask which jurisdictions hold each
    # sample: the first sample inside a jurisdiction is where the front enters it.
    total_km = float(path.km[-1])
    sample_km = np.append(np.arange(0.0, total_km, SAMPLE_KM), total_km)
    xs = np.interp(sample_km, path.km, path.coords[:, 0])
    ys = np.interp(sample_km, path.km, path.coords[:, 1])
    sample_hours = np.interp(sample_km, path.km, path.hours)
    geoms = np.asarray(boundaries, dtype=object)
    # Prepared geometries keep their point-in-polygon index between calls; the bundled
    # boundaries (50,000 vertices) would otherwise be indexed afresh on every reach.
    shapely.prepare(geoms)
    tree = STRtree(geoms)
    points = shapely.points(xs, ys)
    candidate_sample, candidate_geom = tree.query(points)
    inside = shapely.intersects(geoms[candidate_geom], points[candidate_sample])
    sample_idx, geom_idx = candidate_sample[inside], candidate_geom[inside]
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for s, g in zip(sample_idx.tolist(), geom_idx.tolist(), strict=True):
        if g not in first or s < first[g]:
            first[g] = s
        if g not in last or s > last[g]:
            last[g] = s

    origin_hits = sorted(int(i) for i in tree.query(point, predicate="intersects"))
    if origin_hits:
        origin = min(origin_hits, key=lambda i: codes[i])
    elif first:
        origin = min(first, key=lambda g: (first[g], codes[g]))
    else:
        origin = -1

    n_samples = len(sample_km)
    river_at = np.searchsorted(path.km, sample_km, side="right") - 1
    river_at = np.clip(river_at, 0, len(path.rivers) - 1)

    def exit_hours(g: int) -> float | None:
        if g not in last:
            return 0.0
        s = last[g]
        return None if s == n_samples - 1 else round(float(sample_hours[s + 1]), 3)

    downstream = sorted((g for g in first if g != origin), key=lambda g: (first[g], codes[g]))
    entry_hours = [float(sample_hours[first[g]]) for g in downstream]
    peaks = _routed_peaks(entry_hours, pulse_hours, muskingum_x, routing_step_hours)

    impacts: list[RiverImpact] = []
    if origin >= 0:
        impacts.append(
            RiverImpact(
                jurisdiction_code=codes[origin],
                river=snap.river,
                distance_km=0.0,
                arrival_hours=0.0,
                peak_fraction=1.0,
                exit_hours=exit_hours(origin),
            )
        )
    for g, hours, peak in zip(downstream, entry_hours, peaks, strict=True):
        s = first[g]
        impacts.append(
            RiverImpact(
                jurisdiction_code=codes[g],
                river=path.rivers[int(river_at[s])],
                distance_km=round(float(sample_km[s]), 3),
                arrival_hours=round(hours, 3),
                peak_fraction=round(peak, 4),
                exit_hours=exit_hours(g),
            )
        )
    return RiverReach(
        impacts,
        snap=snap,
        path=shapely.linestrings(path.coords) if len(path.coords) > 1 else Point(path.coords[0]),
    )


def _routed_peaks(
    entry_hours: Sequence[float], pulse_hours: float, x: float, dt: float
) -> list[float]:
    """Peak of a unit pulse routed to each entry time (non-decreasing hours).

    Between consecutive entry points the travel time becomes the reach's K, split into
    equal sub-reaches each inside Muskingum's stable range 2KX ≤ Δt ≤ 2K(1−X). A stretch
    too short for any stable sub-reach is carried over into the next one, so the peak
    reported at its end is the one before it (slightly high, the safe side).
    """
    if not entry_hours:
        return []
    k_min = dt / (2.0 * (1.0 - x))
    k_max = dt / (2.0 * x) if x > 0 else math.inf
    total = entry_hours[-1]
    steps = math.ceil((_WINDOW_FACTOR * total + pulse_hours) / dt) + _WINDOW_EXTRA_STEPS
    pulse_steps = max(1, round(pulse_hours / dt))
    hydrograph = [1.0] * pulse_steps + [0.0] * max(0, steps - pulse_steps)
    peak = 1.0
    carry = 0.0
    previous = 0.0
    peaks: list[float] = []
    for hours in entry_hours:
        carry += max(0.0, hours - previous)
        previous = hours
        fewest = max(1, math.ceil(carry / k_max * (1.0 - STABILITY_SLACK)))
        most = math.floor(carry / k_min * (1.0 + STABILITY_SLACK))
        if carry > 0 and fewest <= most:
            c0, c1, c2 = coefficients(carry / fewest, x, dt)
            for _ in range(fewest):
                hydrograph = route(hydrograph, c0, c1, c2, 0.0)
            peak = max(hydrograph)
            carry = 0.0
        peaks.append(min(1.0, peak))
    return peaks
