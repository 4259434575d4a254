"""Overlay and plume reach against the national counties: the STRtree against a naive loop,
and the overlay beside the same queries in PostGIS."""

from __future__ import annotations

import copy
import gc
import math
import random
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString, Point, Polygon, shape
from shapely.geometry.base import BaseGeometry

from bench import _servers as servers
from bench import postgis
from bench.national import NationalRegion
from bench.report import Result, latencies_ms, percentile
from bench.size import Size
from crossrisk.domain.propagation import assessment_parameters
from crossrisk.domain.reach import Pathway, Reach
from crossrisk.geo.overlay import overlay
from crossrisk.geo.reach import overlay_reach, plume_reach
from crossrisk.geo.region_geo import RegionGeo

HAZARDS = {Size.FULL: 1000, Size.SMOKE: 30}
# Untimed calls first, so one-off costs (imports, caches) do not land in the percentiles.
WARMUP = {Size.FULL: 20, Size.SMOKE: 5}
TARGET_P99_MS = 10.0
TARGET_SPEEDUP = 20.0
# Shares agree to a millionth (both sides are GEOS, of different releases), the precision
# the reach stores them at.
SHARE_TOLERANCE = 1e-6
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
    naive = copy.copy(geo)  # likewise: populations and surroundings are shared
    naive.index = index
    return naive


def overlay_hazards(geo: RegionGeo, count: int, seed: int = 11) -> list[Hazard]:
    """Points with a 1–20 km radius, short buffered lines and small polygons, in the region."""
    rng = random.Random(seed)
    found: list[Hazard] = []
    while len(found) < count:
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


def plume_hazards(geo: RegionGeo, count: int, seed: int = 13) -> list[Hazard]:
    """Point sources in the region under random wind direction, speed and stability."""
    rng = random.Random(seed)
    found: list[Hazard] = []
    while len(found) < count:
        given = {
            "wind_from_deg": rng.uniform(0.0, 360.0),
            "wind_speed_m_s": rng.uniform(1.0, 10.0),
            "stability": rng.choice("ABCDEF"),
        }
        found.append(
            (Point(*_random_inside(geo, rng)), assessment_parameters(Pathway.PLUME, given))
        )
    return found


def run(region: NationalRegion, size: Size = Size.FULL) -> list[Result]:
    """Per-event latency of overlay and plume reach, indexed against the naive loop.

    Then the overlay's search and shares beside PostGIS, when the PostgreSQL server answers.
    """
    naive = naive_geo(region.geo)
    dataset = {
        "jurisdictions": float(len(region.geo.index.codes)),
        "tolerance deg": region.tolerance_deg,
        "file MB": region.file_mb,
        "generate s (once)": region.generate_s,
        "region load s (once)": region.load_s,
        "RegionGeo build s": region.geo_build_s,
    }
    overlays = overlay_hazards(region.geo, HAZARDS[size])
    overlay_result, footprints = _compare(
        f"overlay reach, {region.members}",
        overlay_reach,
        overlays,
        region.geo,
        naive,
        warmup=WARMUP[size],
        extra=dataset,
    )
    plume_result, _ = _compare(
        f"plume reach, {region.members}",
        plume_reach,
        plume_hazards(region.geo, HAZARDS[size]),
        region.geo,
        naive,
        warmup=WARMUP[size],
        extra={},
    )
    results = [overlay_result, plume_result]
    if not servers.postgres_available():
        print(
            f"PostGIS comparison left out: PostgreSQL at {servers.POSTGRES_ADMIN_URL} "
            "does not answer",
            file=sys.stderr,
        )
        return results
    missing = postgis.missing_extension()
    if missing is not None:
        raise RuntimeError(missing)
    results.append(_beside_postgis(region, footprints, warmup=WARMUP[size]))
    return results


def _beside_postgis(
    region: NationalRegion, footprints: Sequence[BaseGeometry], *, warmup: int
) -> Result:
    """The overlay's search and shares on the same footprints, in process and in PostGIS."""
    geo = region.geo
    wkbs = [bytes(w) for w in shapely.to_wkb(np.asarray(footprints, dtype=object))]

    def in_process(i: int) -> postgis.Shares:
        return {
            e.jurisdiction_code: (e.area_share, e.footprint_share)
            for e in overlay(geo.index, footprints[i], geo.populations)
        }

    with postgis.loaded(geo.index, footprints[0]) as db:
        for i in range(warmup):
            in_process(i)
            postgis.overlay_shares(db.connection, wkbs[i])
            db.connection.execute("SELECT 1")
        gc.collect()
        ours = latencies_ms(in_process, len(footprints))
        gc.collect()
        theirs = latencies_ms(lambda i: postgis.overlay_shares(db.connection, wkbs[i]), len(wkbs))
        round_trip = latencies_ms(lambda _: db.connection.execute("SELECT 1"), len(wkbs))
        executed = [postgis.execution_ms(db.connection, wkb) for wkb in wkbs]
        # Same answers, or the comparison means nothing.
        wrong = postgis.differing(
            [in_process(i) for i in range(len(footprints))],
            [postgis.overlay_shares(db.connection, wkb) for wkb in wkbs],
            tolerance=SHARE_TOLERANCE,
        )
    if wrong:
        raise AssertionError(f"PostGIS reaches differently for {wrong} footprints")
    p50, p99 = percentile(ours, 50), percentile(ours, 99)
    b50, b99 = percentile(theirs, 50), percentile(theirs, 99)
    return Result(
        name=f"overlay search + shares, {region.members}",
        unit="ms p50 per hazard",
        measured=p50,
        baseline_name="PostGIS 3 with a GiST index: one query per footprint (WKB) over "
        "local TCP, ST_Intersects + ST_Intersection areas, same footprints",
        baseline=b50,
        ratio=b50 / p50,
        detail={
            "STRtree p99 ms": p99,
            "PostGIS p99 ms": b99,
            "p99 ratio": b99 / p99,
            "PostGIS execution only p50 ms": percentile(executed, 50),
            "PostGIS execution only p99 ms": percentile(executed, 99),
            "PostGIS bare round trip p50 ms": percentile(round_trip, 50),
            "PostGIS load s": db.load_s,
            "PostGIS GiST index + analyse s": db.index_s,
            "PostGIS plan uses the GiST index": float(db.uses_index),
            "footprints": float(len(footprints)),
        },
    )


def _compare(
    name: str,
    reach: Reacher,
    hazards: Sequence[Hazard],
    geo: RegionGeo,
    naive: RegionGeo,
    *,
    warmup: int,
    extra: dict[str, float],
) -> tuple[Result, list[BaseGeometry]]:
    """The indexed and naive reach compared, and the footprints the reach drew."""
    for hazard, parameters in hazards[:warmup]:
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
    result = Result(
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
    return result, footprints


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
