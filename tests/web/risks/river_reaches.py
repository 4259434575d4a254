"""Reaches of a spill and of a flood wave in the shape the river models return them.

Page tests use them in place of the models, so that what a page shows of a river reach is
tested on figures the test chose (a styrene spill at Tunxi reaching Hangzhou through
Qiandao Lake), whatever the models compute.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from shapely.geometry.base import BaseGeometry

from crossrisk.domain.reach import Pathway, PopulationBasis, Reach, ReachEntry
from crossrisk.geo.region_geo import RegionGeo

HUANGSHAN = "341000"
HANGZHOU = "330100"
# GB 3838-2002 Table 3 sets styrene at 0.02 mg/L for centralised drinking-water sources;
# the figure only has to be a limit here, the substance table cites it.
STYRENE_LIMIT_MG_L = 0.02
PATH = {"type": "LineString", "coordinates": [[118.32, 29.71], [119.0, 29.6], [119.9, 30.1]]}


def _curve(hours: list[float], values: list[float], key: str) -> dict[str, list[float]]:
    return {"hours": hours, key: values}


def spill_reach(parameters: Mapping[str, Any]) -> Reach:
    """Huangshan at the source, far above the limit; Hangzhou 12 × the limit, in the lake."""
    return Reach(
        pathway=Pathway.SPILL,
        entries=(
            ReachEntry(
                jurisdiction_code=HUANGSHAN,
                arrival_hours=0.0,
                intensity=5000.0,
                detail={
                    "river": "xinan",
                    "river_zh": "新安江",
                    "river_en": "Xin'an River",
                    "distance_km": 0.0,
                    "substance": "styrene",
                    "limit_mg_l": STYRENE_LIMIT_MG_L,
                    "limit_basis": "surface_class_iii",
                    "peak_hours": 1.5,
                    "peak_mg_l": 100.0,
                    "exceed_hours": 20.0,
                    "curve": _curve([0.0, 1.5, 12.0, 40.0], [0.0, 100.0, 3.0, 0.001], "mg_l"),
                },
                population_basis=PopulationBasis.WHOLE_CITY,
                population_upper_bound=1_330_565,
            ),
            ReachEntry(
                jurisdiction_code=HANGZHOU,
                arrival_hours=30.4,
                intensity=12.0,
                detail={
                    "river": "xinan",
                    "river_zh": "新安江",
                    "river_en": "Xin'an River",
                    "distance_km": 182.4,
                    "substance": "styrene",
                    "limit_mg_l": STYRENE_LIMIT_MG_L,
                    "limit_basis": "surface_class_iii",
                    "peak_hours": 41.5,
                    "peak_mg_l": 0.24,
                    "exceed_hours": 66.0,
                    "lake": "qiandao",
                    "lake_zone": "inflow",
                    "curve": _curve(
                        [0.0, 24.0, 30.4, 41.5, 96.4, 240.0],
                        [0.0, 0.0001, 0.02, 0.24, 0.02, 0.0005],
                        "mg_l",
                    ),
                },
                population_basis=PopulationBasis.WHOLE_CITY,
                population_upper_bound=11_936_010,
            ),
        ),
        parameters=dict(parameters),
        footprint=PATH,
    )


def relative_spill_reach(parameters: Mapping[str, Any]) -> Reach:
    """A spill of unknown mass: shares of the source's concentration, reached above 1 %."""
    reach = spill_reach(parameters)
    entries = []
    for entry in reach.entries:
        detail = dict(entry.detail)
        peak = float(detail.pop("peak_mg_l")) / 100.0
        curve = detail.pop("curve")
        detail.update(
            limit_mg_l=None,
            limit_basis="source_fraction",
            threshold_share=0.01,
            peak_mg_l=None,
            peak_share=peak,
            curve={"hours": curve["hours"], "share": [v / 100.0 for v in curve["mg_l"]]},
        )
        entries.append(replace(entry, detail=detail, intensity=round(peak / 0.01, 4)))
    return replace(reach, entries=tuple(entries))


def flood_reach(parameters: Mapping[str, Any]) -> Reach:
    """A flood wave from Tunxi routed to Hangzhou: 35 % of the source's peak above base."""
    return Reach(
        pathway=Pathway.RIVER,
        entries=(
            ReachEntry(
                jurisdiction_code=HUANGSHAN,
                arrival_hours=0.0,
                intensity=1.0,
                detail={
                    "river": "xinan",
                    "river_zh": "新安江",
                    "river_en": "Xin'an River",
                    "distance_km": 0.0,
                    "peak_hours": 6.0,
                    "peak_m3_s": 2150.0,
                    "base_m3_s": 150.0,
                    "curve": _curve([0.0, 6.0, 12.0, 24.0], [150.0, 2150.0, 900.0, 150.0], "m3_s"),
                },
            ),
            ReachEntry(
                jurisdiction_code=HANGZHOU,
                arrival_hours=18.0,
                intensity=0.35,
                detail={
                    "river": "fuchun",
                    "river_zh": "富春江",
                    "river_en": "Fuchun River",
                    "distance_km": 260.0,
                    "peak_hours": 30.0,
                    "peak_m3_s": 1700.0,
                    "base_m3_s": 1000.0,
                    "curve": _curve(
                        [0.0, 18.0, 30.0, 48.0], [1000.0, 1010.0, 1700.0, 1100.0], "m3_s"
                    ),
                },
            ),
        ),
        parameters=dict(parameters),
        footprint=PATH,
    )


def fake_compute_reach(
    pathway: Pathway, hazard: BaseGeometry, parameters: Mapping[str, Any], geo: RegionGeo
) -> Reach:
    """The river models replaced by the reaches above; other models are not expected."""
    if pathway is Pathway.SPILL:
        if parameters.get("mass_kg") is None and parameters.get("rate_kg_s") is None:
            return relative_spill_reach(parameters)
        return spill_reach(parameters)
    if pathway is Pathway.RIVER:
        return flood_reach(parameters)
    raise AssertionError(f"no fake reach for {pathway}")
