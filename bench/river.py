"""A spill's reach over the bundled river network, 10 days ahead, beside flood routing.

From the head of every river of the bundled network a spill is carried to every city the
river enters, over a ten-day horizon: snapping, the path, each city's first section and
its concentration curve (closed form per section, mixed lakes on a grid). The baseline is
the platform's Muskingum(-Cunge) routing of a flood wave from the same sources to the same
sections, measured in the same run.
"""

from __future__ import annotations

from shapely.geometry import Point

from bench.report import Result, median_ms
from bench.size import Size
from crossrisk.domain.propagation import assessment_parameters
from crossrisk.domain.reach import Pathway, Reach
from crossrisk.geo.bundled import bundled_region_geo
from crossrisk.geo.reach import flood_reach, spill_reach

RUNS = {Size.FULL: 20, Size.SMOKE: 2}
TARGET_MS = 50.0


def run(size: Size = Size.FULL) -> list[Result]:
    """Median ms of one spill's reach from each river's head, and of a flood's."""
    geo = bundled_region_geo("yrd")
    assert geo.rivers is not None
    sources = [
        Point(node.lon, node.lat)
        for node in geo.rivers.nodes.values()
        if node.kind in ("source", "lake") and any(e.from_node == node.id for e in geo.rivers.edges)
    ]
    spill = assessment_parameters(
        Pathway.SPILL,
        {"substance": "styrene", "mass_kg": 20_000, "horizon_hours": 240, "snap_tolerance_km": 1},
    )
    flood = assessment_parameters(Pathway.RIVER, {"snap_tolerance_km": 1})

    def all_spills() -> list[Reach]:
        return [spill_reach(point, spill, geo) for point in sources]

    def all_floods() -> list[Reach]:
        return [flood_reach(point, flood, geo) for point in sources]

    reaches = all_spills()  # also the warm-up
    all_floods()
    spill_ms = median_ms(all_spills, RUNS[size]) / len(sources)
    flood_ms = median_ms(all_floods, RUNS[size]) / len(sources)
    sections = sum(len(r.entries) for r in reaches)
    return [
        Result(
            name=f"river spill reach, {len(sources)} sources, 10 days",
            unit="ms median per spill",
            measured=spill_ms,
            baseline_name="Muskingum–Cunge flood routing from the same sources",
            baseline=flood_ms,
            ratio=flood_ms / spill_ms,
            detail={
                "sources": float(len(sources)),
                "cities reached": float(sections),
                "spill ms": spill_ms,
                "flood routing ms": flood_ms,
            },
            target=f"under {TARGET_MS:g} ms per spill",
            met=spill_ms < TARGET_MS,
        )
    ]
