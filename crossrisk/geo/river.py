"""The river network: directed edges to the sea or a lake, and snapping a point to them.

A point hazard snaps to the nearest river edge; from there the way downstream follows
each edge's ``to_node`` (river_path.py). What each edge carries — its mean flow, channel
and lakes — is in hydraulics.py; what a spill or a flood wave does on the way, in
river_spill.py and river_flood.py.

Units: distances in km, celerities in m/s, coordinates WGS84 longitude/latitude.
"""

from __future__ import annotations

import json
import math
import os
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from shapely import STRtree
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from crossrisk.domain.errors import InvalidInput
from crossrisk.geo.geodesy import cumulative_km, km_per_degree
from crossrisk.geo.hydraulics import Channel, Hydraulics, Lake, read_hydraulics

__all__ = [
    "RiverEdge",
    "RiverNetwork",
    "RiverNode",
    "Snap",
    "cumulative_km",
    "km_per_degree",
    "load_network",
]


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


class RiverNetwork:
    """Directed river edges with an STRtree for snapping points to them."""

    def __init__(
        self,
        edges: Sequence[RiverEdge],
        nodes: Iterable[RiverNode] = (),
        hydraulics: Hydraulics | None = None,
    ) -> None:
        if not edges:
            raise ValueError("a river network needs at least one edge")
        self.edges: tuple[RiverEdge, ...] = tuple(edges)
        self.hydraulics = hydraulics or Hydraulics(channels={}, lakes={})
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
    def from_geojson(
        cls, mapping: Mapping[str, Any], hydraulics: Mapping[str, Any] | None = None
    ) -> RiverNetwork:
        """Build the network from a FeatureCollection of downstream-oriented LineStrings.

        ``hydraulics`` is the parsed hydraulics.toml of the same network, if there is one.
        """
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
        return cls(edges, nodes, read_hydraulics(hydraulics) if hydraulics else None)

    def edge(self, edge_id: str) -> RiverEdge:
        """The edge with this id."""
        return self.edges[self._by_id[edge_id]]

    def channel(self, edge: RiverEdge) -> Channel:
        """The edge's mean flow and channel; refused where the region has none for it."""
        found = self.hydraulics.channels.get(edge.id)
        if found is None:
            raise InvalidInput(
                f"the river network has no flow data for {edge.name_en} ({edge.id}); "
                "the river models need each edge's discharge, width, depth and velocity",
                key="no-river-hydraulics",
                params={"edge": edge.id, "river_zh": edge.name_zh, "river_en": edge.name_en},
            )
        return found

    def lake(self, edge: RiverEdge) -> Lake | None:
        """The lake or reservoir this edge runs through, if any."""
        return self.hydraulics.lakes.get(edge.id)

    def mean_discharge(self, edge: RiverEdge) -> float:
        """The long-term mean flow along the edge: a lake's outflow, or the channel's."""
        lake = self.lake(edge)
        return lake.outflow_m3_s if lake else self.channel(edge).discharge_m3_s

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


def load_network(
    source: str | os.PathLike[str] | Mapping[str, Any],
    hydraulics: str | os.PathLike[str] | Mapping[str, Any] | None = None,
) -> RiverNetwork:
    """Read a river network from a GeoJSON file path or an already parsed mapping.

    ``hydraulics`` is its hydraulics.toml (a path or a parsed mapping); given a path to
    the GeoJSON and no hydraulics, the hydraulics.toml beside it is read if there is one.
    """
    if isinstance(source, Mapping):
        mapping = source
    else:
        with open(source, encoding="utf-8") as f:
            mapping = json.load(f)
        beside = Path(source).with_name("hydraulics.toml")
        if hydraulics is None and beside.is_file():
            hydraulics = beside
    if hydraulics is not None and not isinstance(hydraulics, Mapping):
        hydraulics = tomllib.loads(Path(hydraulics).read_text("utf-8"))
    return RiverNetwork.from_geojson(mapping, hydraulics)
