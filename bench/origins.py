"""Locating hazards among jurisdictions: the STRtree index against a naive loop."""

from __future__ import annotations

import json
import random

from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from bench.report import Result, latencies_ms, percentile
from bench.size import Size
from crossrisk.data import bundled_region_path
from crossrisk.geo.jurisdiction_index import JurisdictionIndex

HAZARDS = {Size.FULL: 1000, Size.SMOKE: 50}


def _hazards(index: JurisdictionIndex, count: int, seed: int = 7) -> list[BaseGeometry]:
    rng = random.Random(seed)
    minx, miny, maxx, maxy = index.extent.bounds
    found: list[BaseGeometry] = []
    while len(found) < count:
        p = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        # Mix points and small polygons (a 1–10 km footprint), all inside the region.
        hazard = p if len(found) % 2 else p.buffer(rng.uniform(0.01, 0.1))
        if index.extent.covers(hazard):
            found.append(hazard)
    return found


def run(size: Size = Size.FULL) -> Result:
    """Origins of random hazards in the bundled region, the index against a naive loop."""
    count = HAZARDS[size]
    collection = json.loads(bundled_region_path("yrd").read_text("utf-8"))
    members = [f for f in collection["features"] if f["properties"]["member"]]
    codes = [f["properties"]["code"] for f in members]
    boundaries = [shape(f["geometry"]) for f in members]
    index = JurisdictionIndex(codes, boundaries)
    hazards = _hazards(index, count)
    # The baseline does the same work without the tree: every polygon, unprepared.
    plain = [shape(f["geometry"]) for f in members]

    def naive(i: int) -> object:
        hazard = hazards[i]
        if not index.extent.covers(hazard):
            raise ValueError("outside")
        hits = [j for j, boundary in enumerate(plain) if boundary.intersects(hazard)]
        if not hits:
            hits = [min(range(len(plain)), key=lambda j: plain[j].distance(hazard))]
        return index.apportion(hazard, hits)

    indexed = latencies_ms(lambda i: index.origins(hazards[i]), count)
    baseline = latencies_ms(naive, count)
    p50, p99 = percentile(indexed, 50), percentile(indexed, 99)
    b50 = percentile(baseline, 50)
    return Result(
        name="hazard origins (41 cities)",
        unit="ms p50 per hazard",
        measured=p50,
        baseline_name="naive intersects loop",
        baseline=b50,
        ratio=b50 / p50,
        detail={"index p99 ms": p99, "naive p99 ms": percentile(baseline, 99)},
    )
