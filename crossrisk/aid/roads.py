"""Travel hours by road, where a road graph is loaded (issue 11, "Allocation").

The graph is a GeoJSON FeatureCollection of LineStrings (MultiLineStrings are taken as
their parts). Each feature may say `speed_kmh` (else the road speed setting) and `oneway`
(true: only in the order of its coordinates; else both ways). Every vertex is a node, and
vertices within about a metre of each other are one node (coordinates rounded to 1e-5°,
1.1 m of latitude), so two lines join where they share a vertex, whether at their ends or
midway. An edge's length is the WGS84 geodesic between its vertices; its hours are that
length over the feature's speed. Where parallel edges join the same two nodes the faster
counts.

A place (a donor's warehouse, a request's destination) is rarely on the graph: it snaps to
the nearest node (shapely's STRtree, on longitudes scaled by the cosine of the graph's
mean latitude so a degree east and a degree north weigh about alike), and the leg between
the place and that node is timed by the great-circle estimate (geodesic km × road factor ÷
road speed, as `GreatCircleTravel`). A trip is the origin's access leg, the shortest path
on the graph (SciPy's Dijkstra), then the destination's access leg. A pair with no path
(a one-way street the wrong way, a disconnected piece) is missing from the answer: no
route, so the allocation draws no arc there.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from crossrisk.aid.travel import GreatCircleTravel, Point, TravelModel
from crossrisk.domain.errors import InvalidInput
from crossrisk.geo.geodesy import distance_km
from crossrisk.settings import Settings

MAX_BYTES = 256 * 1024 * 1024
MAX_FEATURES = 1_000_000
MAX_VERTICES = 5_000_000
MAX_SPEED_KMH = 200.0
# Vertices are joined after rounding to this many decimals of a degree (about 1.1 m).
JOIN_DECIMALS = 5
# Dijkstra answers a row of every node for each source; so many numbers at most at once
# (128 MB), so a national graph with thousands of origins stays within memory.
CHUNK_CELLS = 16_000_000


@dataclass(frozen=True, eq=False)
class RoadGraph:
    """Nodes (lon, lat), directed edges weighted by hours, and a tree to snap places."""

    nodes: np.ndarray  # (n, 2) lon, lat
    hours: csr_matrix  # hours[u, v]: the fastest edge from node u to node v
    tree: shapely.STRtree  # of the nodes, longitudes times `scale`
    scale: float

    @property
    def node_count(self) -> int:
        return len(self.nodes)

    @property
    def edge_count(self) -> int:
        return int(self.hours.nnz)


def load_road_graph(path: Path, *, speed_kmh: float) -> RoadGraph:
    """The road graph in a GeoJSON file, or InvalidInput saying what is wrong with it."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise InvalidInput(f"road graph {path}: cannot read it ({error.strerror})") from None
    if size > MAX_BYTES:
        raise InvalidInput(f"road graph {path}: larger than {MAX_BYTES // (1024 * 1024)} MiB")
    try:
        text = path.read_bytes()
    except OSError as error:
        raise InvalidInput(f"road graph {path}: cannot read it ({error.strerror})") from None
    return parse_road_graph(text, speed_kmh=speed_kmh)


def parse_road_graph(text: str | bytes, *, speed_kmh: float) -> RoadGraph:
    """The road graph a GeoJSON FeatureCollection of lines states (speed_kmh: the default)."""
    if len(text) > MAX_BYTES:
        raise InvalidInput(f"road graph: larger than {MAX_BYTES // (1024 * 1024)} MiB")
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:
        raise InvalidInput(f"road graph: not valid JSON ({str(error).splitlines()[0]})") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise InvalidInput("road graph: the JSON must be a GeoJSON FeatureCollection")
    features = data.get("features")
    if not isinstance(features, list):
        raise InvalidInput("road graph: the FeatureCollection has no list of features")
    if len(features) > MAX_FEATURES:
        raise InvalidInput(f"road graph: {len(features)} features; at most {MAX_FEATURES}")
    lines: list[np.ndarray] = []
    speeds: list[float] = []
    oneways: list[bool] = []
    vertices = 0
    for number, feature in enumerate(features, start=1):
        speed, oneway = _properties(feature, number, speed_kmh)
        for line in _lines(feature, number):
            vertices += len(line)
            if vertices > MAX_VERTICES:
                raise InvalidInput(f"road graph: more than {MAX_VERTICES} vertices")
            lines.append(line)
            speeds.append(speed)
            oneways.append(oneway)
    return _graph(lines, speeds, oneways)


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows")


def _properties(feature: object, number: int, default_speed: float) -> tuple[float, bool]:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise InvalidInput(f"road graph: feature {number} is not a GeoJSON Feature")
    properties = feature.get("properties") or {}
    if not isinstance(properties, dict):
        raise InvalidInput(f"road graph: feature {number}'s properties are not an object")
    speed = properties.get("speed_kmh", default_speed)
    if (
        isinstance(speed, bool)
        or not isinstance(speed, int | float)
        or not math.isfinite(speed)
        or not 0 < speed <= MAX_SPEED_KMH
    ):
        raise InvalidInput(
            f"road graph: feature {number}'s speed_kmh must be a number above 0 "
            f"and at most {MAX_SPEED_KMH:g}"
        )
    oneway = properties.get("oneway", False)
    if not isinstance(oneway, bool):
        raise InvalidInput(f"road graph: feature {number}'s oneway must be true or false")
    return float(speed), oneway


def _lines(feature: dict[str, Any], number: int) -> Iterator[np.ndarray]:
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict):
        raise InvalidInput(f"road graph: feature {number} has no geometry")
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind == "LineString":
        parts = [coordinates]
    elif kind == "MultiLineString":
        if not isinstance(coordinates, list):
            raise InvalidInput(f"road graph: feature {number}'s MultiLineString has no lines")
        parts = coordinates
    else:
        raise InvalidInput(f"road graph: feature {number} is a {kind}, not a LineString")
    for part in parts:
        yield _coordinates(part, number)


def _coordinates(part: object, number: int) -> np.ndarray:
    if not isinstance(part, list) or len(part) < 2:
        raise InvalidInput(f"road graph: feature {number}'s line needs at least two positions")
    if len(part) > MAX_VERTICES:
        raise InvalidInput(f"road graph: more than {MAX_VERTICES} vertices")
    try:
        # A position may carry an altitude; only longitude and latitude count.
        xy = np.array([position[:2] for position in part], dtype=np.float64)
    except (TypeError, ValueError, IndexError):
        raise InvalidInput(
            f"road graph: feature {number} has a position that is not [longitude, latitude]"
        ) from None
    if xy.ndim != 2 or xy.shape[1] != 2:
        raise InvalidInput(
            f"road graph: feature {number} has a position that is not [longitude, latitude]"
        )
    if not np.all(np.isfinite(xy)):
        raise InvalidInput(f"road graph: feature {number} has a coordinate that is not finite")
    if np.any(np.abs(xy[:, 0]) > 180) or np.any(np.abs(xy[:, 1]) > 90):
        raise InvalidInput(f"road graph: feature {number} has a coordinate off the Earth")
    return xy


def _graph(lines: list[np.ndarray], speeds: list[float], oneways: list[bool]) -> RoadGraph:
    if not lines:
        raise InvalidInput("road graph: it holds no lines")
    xy = np.concatenate(lines)
    keys = np.round(xy * 10**JOIN_DECIMALS).astype(np.int64)
    unique, node_of = np.unique(keys, axis=0, return_inverse=True)
    node_of = node_of.ravel()
    nodes = unique.astype(np.float64) / 10**JOIN_DECIMALS
    # Edges between consecutive vertices of a line: not across lines' boundaries.
    counts = np.array([len(line) for line in lines])
    ends = np.cumsum(counts)
    within = np.ones(len(xy) - 1, dtype=bool)
    within[ends[:-1] - 1] = False
    first = np.flatnonzero(within)
    km = distance_km(xy[first, 0], xy[first, 1], xy[first + 1, 0], xy[first + 1, 1])
    line_of = np.repeat(np.arange(len(lines)), counts)[first]
    hours = km / np.asarray(speeds)[line_of]
    u, v = node_of[first], node_of[first + 1]
    both = ~np.asarray(oneways)[line_of]
    source = np.concatenate([u, v[both]])
    target = np.concatenate([v, u[both]])
    weight = np.concatenate([hours, hours[both]])
    # A vertex repeated within a metre is no edge; a zero weight would read as none anyway.
    keep = source != target
    source, target, weight = source[keep], target[keep], np.maximum(weight[keep], 1e-12)
    # csr_matrix would add parallel edges up: keep the fastest of each pair instead.
    order = np.lexsort((weight, target, source))
    source, target, weight = source[order], target[order], weight[order]
    first_of_pair = np.ones(len(source), dtype=bool)
    first_of_pair[1:] = (source[1:] != source[:-1]) | (target[1:] != target[:-1])
    matrix = csr_matrix(
        (weight[first_of_pair], (source[first_of_pair], target[first_of_pair])),
        shape=(len(nodes), len(nodes)),
    )
    scale = math.cos(math.radians(float(np.mean(nodes[:, 1]))))
    tree = shapely.STRtree(shapely.points(nodes[:, 0] * scale, nodes[:, 1]))
    return RoadGraph(nodes=nodes, hours=matrix, tree=tree, scale=scale)


@dataclass(frozen=True)
class RoadTravel:
    """Travel hours on a road graph, with great-circle access legs (see the module)."""

    graph: RoadGraph
    road_factor: float = 1.3
    speed_kmh: float = 60.0

    def hours(
        self, origins: Mapping[str, Point], destinations: Mapping[str, Point]
    ) -> dict[str, dict[str, float]]:
        """Hours from each origin to each destination it can reach (a missing pair: no route)."""
        result: dict[str, dict[str, float]] = {code: {} for code in origins}
        if not origins or not destinations:
            return result
        o_codes, o_nodes, o_access = self._snap(origins)
        d_codes, d_nodes, d_access = self._snap(destinations)
        path = self._paths(o_nodes, d_nodes)
        total = o_access[:, None] + path + d_access[None, :]
        for i, origin in enumerate(o_codes):
            row = result[origin]
            for j in np.flatnonzero(np.isfinite(total[i])):
                row[d_codes[j]] = float(total[i, j])
        return result

    def _snap(self, places: Mapping[str, Point]) -> tuple[list[str], np.ndarray, np.ndarray]:
        """Each place's nearest node and the hours of the leg to it."""
        codes = list(places)
        xy = np.array([places[code] for code in codes], dtype=np.float64).reshape(-1, 2)
        if not np.all(np.isfinite(xy)) or np.any(np.abs(xy) > (180, 90)):
            raise InvalidInput("a place to time by road has a coordinate off the Earth")
        nodes = _nearest(self.graph, xy)
        near = self.graph.nodes[nodes]
        km = distance_km(xy[:, 0], xy[:, 1], near[:, 0], near[:, 1])
        return codes, nodes, km * self.road_factor / self.speed_kmh

    def _paths(self, origins: np.ndarray, destinations: np.ndarray) -> np.ndarray:
        """Shortest hours from each origin node to each destination node (inf: no path)."""
        # Dijkstra from whichever side has fewer distinct nodes: from the destinations on
        # the reversed graph when they are fewer (300 affected counties, 2,875 donors).
        forward = len(np.unique(origins)) <= len(np.unique(destinations))
        sources, targets = (origins, destinations) if forward else (destinations, origins)
        matrix = self.graph.hours if forward else self.graph.hours.T.tocsr()
        distinct, back = np.unique(sources, return_inverse=True)
        found = np.empty((len(distinct), len(targets)))
        step = max(1, CHUNK_CELLS // max(1, self.graph.node_count))
        for start in range(0, len(distinct), step):
            rows = dijkstra(matrix, directed=True, indices=distinct[start : start + step])
            found[start : start + step] = rows[:, targets]
        paths = found[back.ravel()]
        return paths if forward else paths.T


def _nearest(graph: RoadGraph, xy: np.ndarray) -> np.ndarray:
    """The index of the node nearest each point (lon scaled by cos of the mean latitude)."""
    query = shapely.points(xy[:, 0] * graph.scale, xy[:, 1])
    # With all_matches off, one node per place even where two are equally near.
    places, nodes = graph.tree.query_nearest(query, all_matches=False)
    nearest = np.empty(len(xy), dtype=np.int64)
    nearest[places] = nodes
    return nearest


def travel_model(settings: Settings) -> TravelModel:
    """Road travel where a road graph file is set, else the great-circle estimate."""
    if settings.road_graph_file is None:
        return GreatCircleTravel(settings.road_factor, settings.road_speed_kmh)
    path = settings.road_graph_file
    try:
        stat = path.stat()
    except OSError as error:
        raise InvalidInput(
            f"road graph {path} (CROSSRISK_ROAD_GRAPH): cannot read it ({error.strerror})"
        ) from None
    graph = _cached_graph(str(path), stat.st_mtime_ns, stat.st_size, settings.road_speed_kmh)
    return RoadTravel(graph, settings.road_factor, settings.road_speed_kmh)


@lru_cache(maxsize=2)
def _cached_graph(path: str, mtime_ns: int, size: int, speed_kmh: float) -> RoadGraph:
    # Keyed by modification time and size too: a replaced file is read again.
    return load_road_graph(Path(path), speed_kmh=speed_kmh)


__all__ = [
    "RoadGraph",
    "RoadTravel",
    "load_road_graph",
    "parse_road_graph",
    "travel_model",
]
