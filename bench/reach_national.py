"""Overlay and plume reach against the national counties: the STRtree against a naive loop."""

from __future__ import annotations

import copy
import dataclasses
import gc
import math
import random
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString, Point, Polygon, shape
from shapely.geometry.base import BaseGeometry

from bench.national import NationalRegion
from bench.report import Result, latencies_ms, percentile
from crossrisk.domain.propagation import assessment_parameters
from crossrisk.domain.reach import Pathway, Reach
from crossrisk.geo.reach import overlay_reach, plume_reach
from crossrisk.geo.region_geo import RegionGeo

HAZARDS = 1000
# Untimed calls first, so one-off costs (imports, caches) do not land in the percentiles.
WARMUP = 20
TARGET_P99_MS = 10.0
TARGET_SPEEDUP = 20.0
KM_PER_DEG_LAT = 110.57
KM_PER_DEG_LON = 111.32

Hazard = tuple[BaseGeometry, dict[str, Any]]
Reacher = Callable[[BaseGeometry, dict[str, Any], RegionGeo], Reach]


class _Scan:
    """Stands in for the STRtree: every boundary tested in turn, as a naive loop would."""

    def __init__(self, boundaries: np.ndarray) -> None:
        # Fresh, unprepared copies: the index's own boundaries are prepared.
        self.plain = list(shapely.from_wkb(shapely.to_wkb(boundaries)))

    def query(self, geometry: BaseGeometry, predicate: str) -> np.ndarray:
        """Positions of the boundaries the geometry meets, like STRtree.query."""
        if predicate != "intersects":
            raise ValueError(f"the naive scan only answers 'intersects', not {predicate!r}")
        hits = [j for j, boundary in enumerate(self.plain) if boundary.intersects(geometry)]
        return np.array(hits, dtype=np.intp)


def naive_geo(geo: RegionGeo) -> RegionGeo:
    """The same region with the tree swapped for a loop over all boundaries.

    The reach functions then run unchanged, so the baseline does the same footprint, area
    and concentration work on the same hits, and differs only in how it finds them.
    """
    index = copy.copy(geo.index)  # shallow: boundaries and the prepared extent are shared
    index.tree = _Scan(geo.index.boundaries)  # type: ignore[assignment]
    return dataclasses.replace(geo, index=index)


def overlay_hazards(geo: RegionGeo, seed: int = 11) -> list[Hazard]:
    """Points with a 1–20 km radius, short buffered lines and small polygons, all in China."""
    rng = random.Random(seed)
    found: list[Hazard] = []
    while len(found) < HAZARDS:
        lon, lat = _random_inside(geo, rng)
        kind = len(found) % 3
        if kind == 0:
            hazard: BaseGeometry = Point(lon, lat)
            given = {"radius_km": rng.uniform(1.0, 20.0)}
        elif kind == 1:
            # A road or pipeline stretch: 2–4 legs, 2–30 km in all, 0.2–3 km either side.
            hazard = _wander(lon, lat, rng, legs=rng.randint(2, 4), total_km=rng.uniform(2, 30))
            given = {"buffer_km": rng.uniform(0.2, 3.0)}
        else:
            hazard = _blob(lon, lat, rng, radius_km=rng.uniform(1.0, 10.0))
            given = {}
        if not hazard.is_valid:
            raise AssertionError(f"generated an invalid hazard: {hazard.wkt}")
        if geo.index.extent.covers(hazard):
            found.append((hazard, assessment_parameters(Pathway.OVERLAY, given)))
    return found


def plume_hazards(geo: RegionGeo, seed: int = 13) -> list[Hazard]:
    """Point sources in China under random wind direction, speed and stability."""
    rng = random.Random(seed)
    found: list[Hazard] = []
    while len(found) < HAZARDS:
        given = {
            "wind_from_deg": rng.uniform(0.0, 360.0),
            "wind_speed_m_s": rng.uniform(1.0, 10.0),
            "stability": rng.choice("ABCDEF"),
        }
        found.append(
            (Point(*_random_inside(geo, rng)), assessment_parameters(Pathway.PLUME, given))
        )
    return found


def run(region: NationalRegion) -> list[Result]:
    """Per-event latency of overlay and plume reach, indexed against the naive loop."""
    naive = naive_geo(region.geo)
    counties = f"{len(region.geo.index.codes):,} counties"
    dataset = {
        "counties": float(len(region.geo.index.codes)),
        "tolerance deg": region.tolerance_deg,
        "file MB": region.file_mb,
        "generate s (once)": region.generate_s,
        "region load s (once)": region.load_s,
        "RegionGeo build s": region.geo_build_s,
    }
    return [
        _compare(
            f"overlay reach, {counties}",
            overlay_reach,
            overlay_hazards(region.geo),
            region.geo,
            naive,
            extra=dataset,
        ),
        _compare(
            f"plume reach, {counties}",
            plume_reach,
            plume_hazards(region.geo),
            region.geo,
            naive,
            extra={},
        ),
    ]


def _compare(
    name: str,
    reach: Reacher,
    hazards: Sequence[Hazard],
    geo: RegionGeo,
    naive: RegionGeo,
    *,
    extra: dict[str, float],
) -> Result:
    for hazard, parameters in hazards[:WARMUP]:
        reach(hazard, parameters, geo)
        reach(hazard, parameters, naive)
    indexed, indexed_out = _timed(reach, hazards, geo)
    baseline, naive_out = _timed(reach, hazards, naive)
    # Same answers, or the comparison means nothing.
    differing = sum(a != b for a, b in zip(indexed_out, naive_out, strict=True))
    if differing:
        raise AssertionError(f"{name}: {differing} hazards reach differently without the tree")
    # The search alone, on the footprints the reach drew: what the index itself buys.
    footprints = [footprint for _, _, footprint in indexed_out if footprint is not None]
    tree_ms = latencies_ms(
        lambda i: geo.index.tree.query(footprints[i], predicate="intersects"), len(footprints)
    )
    scan_ms = latencies_ms(
        lambda i: naive.index.tree.query(footprints[i], predicate="intersects"), len(footprints)
    )
    reached = [len(entries) for entries, _, _ in indexed_out]
    p50, p99 = percentile(indexed, 50), percentile(indexed, 99)
    b50, b99 = percentile(baseline, 50), percentile(baseline, 99)
    fast = p99 < TARGET_P99_MS
    faster = min(b50 / p50, b99 / p99) >= TARGET_SPEEDUP
    return Result(
        name=name,
        unit="ms p50 per hazard",
        measured=p50,
        baseline_name="naive intersects loop, same reach code",
        baseline=b50,
        ratio=b50 / p50,
        detail={
            "index p99 ms": p99,
            "naive p99 ms": b99,
            "p99 ratio": b99 / p99,
            "index max ms": max(indexed),
            "search only: tree p50 ms": percentile(tree_ms, 50),
            "search only: tree p99 ms": percentile(tree_ms, 99),
            "search only: loop p50 ms": percentile(scan_ms, 50),
            "search only: loop p99 ms": percentile(scan_ms, 99),
            "search only: p50 ratio": percentile(scan_ms, 50) / percentile(tree_ms, 50),
            "jurisdictions reached, mean": float(np.mean(reached)),
            "jurisdictions reached, max": float(max(reached)),
            **extra,
        },
        target=(
            f"p99 < {TARGET_P99_MS:g} ms ({_verdict(fast)}), "
            f"≥ {TARGET_SPEEDUP:g}× naive at p50 and p99 ({_verdict(faster)})"
        ),
        met=fast and faster,
    )


def _verdict(met: bool) -> str:
    return "met" if met else "missed"


Outcome = tuple[tuple[Any, ...], bool, BaseGeometry | None]


def _timed(
    reach: Reacher, hazards: Sequence[Hazard], geo: RegionGeo
) -> tuple[list[float], list[Outcome]]:
    """Each call's latency in ms, and what it found."""
    gc.collect()  # start each pass with the same heap, not the last pass's garbage
    times: list[float] = []
    outcomes: list[Outcome] = []
    for hazard, parameters in hazards:
        start = time.perf_counter()
        found = reach(hazard, parameters, geo)
        times.append((time.perf_counter() - start) * 1000)
        # Kept as a geometry, not the GeoJSON lists: a thousand of those would make the
        # collector's passes, and so the latencies, grow as the run goes on.
        footprint = None if found.footprint is None else shape(found.footprint)
        outcomes.append((found.entries, found.leaves_region, footprint))
    return times, outcomes


def _random_inside(geo: RegionGeo, rng: random.Random) -> tuple[float, float]:
    # Uniform in longitude and latitude over the land: the large western counties get
    # their share of hazards, as they would of a national map.
    minx, miny, maxx, maxy = geo.index.extent.bounds
    while True:
        lon, lat = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if geo.index.extent.covers(Point(lon, lat)):
            return lon, lat


def _offset(lon: float, lat: float, east_km: float, north_km: float) -> tuple[float, float]:
    return (
        lon + east_km / (KM_PER_DEG_LON * math.cos(math.radians(lat))),
        lat + north_km / KM_PER_DEG_LAT,
    )


def _wander(
    lon: float, lat: float, rng: random.Random, *, legs: int, total_km: float
) -> LineString:
    points = [(lon, lat)]
    heading = rng.uniform(0.0, 2 * math.pi)
    for _ in range(legs):
        heading += rng.uniform(-0.6, 0.6)
        step = total_km / legs
        points.append(_offset(*points[-1], step * math.sin(heading), step * math.cos(heading)))
    return LineString(points)


def _blob(lon: float, lat: float, rng: random.Random, *, radius_km: float) -> Polygon:
    # One vertex per equal sector, jittered within it: consecutive vertices stay less than
    # half a turn apart round the centre, so the polygon is star-shaped and simple.
    count = rng.randint(5, 9)
    corners = []
    for k in range(count):
        angle = (k + rng.uniform(0.0, 0.8)) * 2 * math.pi / count
        reach = radius_km * rng.uniform(0.5, 1.0)
        corners.append(_offset(lon, lat, reach * math.sin(angle), reach * math.cos(angle)))
    return Polygon(corners)
