"""The reach of a river hazard: a spill's or a flood wave's curves turned into reach entries.

Each jurisdiction the river path enters is judged at its first section. A spill reaches it
when the concentration there would exceed the substance's limit (or, without a limit or
a mass, a share of the source's concentration); a flood wave when its routed peak above
base flow is still a given share of the source's. The jurisdiction holding the source is
always listed first.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shapely.geometry import Point

from crossrisk.data import substances
from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.propagation import released_mass_kg
from crossrisk.domain.reach import Pathway, Reach, ReachEntry, ordered, river_population
from crossrisk.domain.substance import Substance, find_substance
from crossrisk.geo.region_geo import RegionGeo
from crossrisk.geo.river import RiverNetwork
from crossrisk.geo.river_flood import Hydrograph, Wave, flood_sections, front_arrival
from crossrisk.geo.river_path import Crossing, RiverPath, crossings, downstream_path
from crossrisk.geo.river_spill import Release, SectionCurve, spill_sections, thin
from crossrisk.hydro.dispersion import shear_velocity
from crossrisk.hydro.mixing import mixing_length

SECONDS_PER_HOUR = 3600.0


def spill_reach(
    source: Point, parameters: Mapping[str, Any], geo: RegionGeo
) -> tuple[Reach, RiverPath]:
    """Jurisdictions where a spill would exceed the limit, ordered by when it first does."""
    network, path, found = _river_below(source, parameters, geo)
    substance = _known_substance(parameters.get("substance"))
    mass = released_mass_kg(parameters)
    judged = (
        substance.judging_limit(parameters["limit_basis"])
        if substance is not None and mass is not None
        else None
    )
    limit, basis = judged if judged is not None else (None, "source_fraction")
    release = Release(
        mass_kg=mass,
        release_s=parameters["release_hours"] * SECONDS_PER_HOUR,
        horizon_s=parameters["horizon_hours"] * SECONDS_PER_HOUR,
        decay_at=substance.decay_at_depth if substance is not None else _no_decay,
        limit_mg_l=limit,
        source_fraction=parameters["source_fraction"],
    )
    downstream = [c for c in found if not c.is_origin]
    run = spill_sections(network, path, release, [c.entry_km for c in downstream])
    common = {
        "substance": substance.key if substance is not None else parameters.get("substance"),
        "limit_basis": basis,
        "limit_mg_l": None if run.relative else _figure(run.threshold),
    }
    if run.relative:
        common["threshold_share"] = run.threshold
    entries = [
        _spill_entry(
            c,
            run.source,
            run.threshold,
            run.relative,
            {**common, "mixing_km": _mixing_km(network, path)},
            geo,
            arrival=0.0,
        )
        for c in found
        if c.is_origin
    ]
    for crossing, curve in zip(downstream, run.sections, strict=True):
        first, _ = curve.over(run.threshold)
        if first is not None:
            entries.append(
                _spill_entry(
                    crossing, curve, run.threshold, run.relative, common, geo, arrival=first
                )
            )
    reach = Reach(
        pathway=Pathway.SPILL,
        entries=ordered(entries),
        parameters={**parameters, "substance": common["substance"]},
        footprint=None,
        leaves_region=False,
    )
    return reach, path


def _spill_entry(
    crossing: Crossing,
    curve: SectionCurve,
    threshold: float,
    relative: bool,
    common: Mapping[str, Any],
    geo: RegionGeo,
    *,
    arrival: float,
) -> ReachEntry:
    peak_hours, peak = curve.peak
    _, exceed = curve.over(threshold)
    hours, values = thin(curve.hours, curve.values)
    detail: dict[str, Any] = {
        **_river_detail(curve.span.edge.river, geo),
        "distance_km": round(crossing.entry_km, 2),
        **common,
        "peak_hours": round(peak_hours, 2),
        "peak_mg_l": None if relative else _figure(peak),
        "exceed_hours": round(exceed, 2),
        "curve": {"hours": hours, "share" if relative else "mg_l": values},
    }
    if relative:
        detail["peak_share"] = _figure(peak)
    if curve.lake is not None:
        detail["lake"] = curve.lake.key
        detail["lake_zone"] = "inflow" if curve.riverine else "mixed"
    basis, bound = river_population(geo.populations.get(crossing.jurisdiction_code))
    return ReachEntry(
        jurisdiction_code=crossing.jurisdiction_code,
        arrival_hours=round(arrival, 3),
        intensity=round(peak / threshold, 4) if threshold > 0 else 0.0,
        exposed_population=None,
        detail=detail,
        population_basis=basis,
        population_upper_bound=bound,
    )


def _mixing_km(network: RiverNetwork, path: RiverPath) -> float | None:
    """How far below the source a bank release is mixed across the river; above it, the
    water along that bank carries more than the cross-section's mean the model gives."""
    edge = path.spans[0].edge
    if network.lake(edge) is not None:
        return None
    channel = network.channel(edge)
    shear = shear_velocity(channel.depth_m, channel.slope)
    metres = mixing_length(channel.width_m, channel.depth_m, channel.velocity_m_s, shear)
    return round(metres / 1000.0, 1)


def _river_below(
    source: Point, parameters: Mapping[str, Any], geo: RegionGeo
) -> tuple[RiverNetwork, RiverPath, list[Crossing]]:
    """The network, the path below the snapped source and where it enters each city."""
    network = _network(geo)
    path = downstream_path(network, network.snap(source, parameters["snap_tolerance_km"]))
    return network, path, crossings(path, source, geo.index.codes, list(geo.index.boundaries))


def _network(geo: RegionGeo) -> RiverNetwork:
    if geo.rivers is None:
        raise InvalidInput(
            f"region {geo.code} has no river network; choose another hazard type",
            key="no-river-network",
            params={"region": geo.code},
        )
    return geo.rivers


def _river_detail(river: str, geo: RegionGeo) -> dict[str, str]:
    assert geo.rivers is not None
    edge = next(e for e in geo.rivers.edges if e.river == river)
    return {"river": river, "river_zh": edge.name_zh, "river_en": edge.name_en}


def _figure(value: float) -> float:
    """Four significant figures: what a concentration from this model is good for."""
    return float(f"{value:.4g}")


def _known_substance(named: object) -> Substance | None:
    """The table's substance; a name stored before the table existed (risks register
    substances by the table since) is a substance whose limits are not known."""
    if not isinstance(named, str) or not named:
        return None
    try:
        return find_substance(substances(), named)
    except InvalidInput:
        return None


def _no_decay(_depth_m: float) -> float:
    return 0.0


def flood_reach(
    source: Point, parameters: Mapping[str, Any], geo: RegionGeo
) -> tuple[Reach, RiverPath]:
    """Jurisdictions whose first section sees the wave's peak above the smallest share."""
    network, path, found = _river_below(source, parameters, geo)
    wave = Wave(
        peak_m3_s=parameters["peak_discharge_m3_s"],
        duration_s=parameters["pulse_hours"] * SECONDS_PER_HOUR,
        celerity_m_s=parameters["celerity_m_s"],
        muskingum_x=parameters["muskingum_x"],
    )
    downstream = [c for c in found if not c.is_origin]
    run = flood_sections(network, path, wave, [c.entry_km for c in downstream])
    smallest = parameters["min_peak_fraction"] * run.source_peak_m3_s
    entries = [
        _flood_entry(c, run.source, run.source_peak_m3_s, geo, arrival=0.0)
        for c in found
        if c.is_origin
    ]
    for crossing, hydrograph in zip(downstream, run.sections, strict=True):
        arrival = front_arrival(hydrograph, smallest)
        if arrival is not None and float(hydrograph.excess().max()) >= smallest:
            entries.append(
                _flood_entry(crossing, hydrograph, run.source_peak_m3_s, geo, arrival=arrival)
            )
    reach = Reach(
        pathway=Pathway.RIVER,
        entries=ordered(entries),
        parameters=dict(parameters),
        footprint=None,
        leaves_region=False,
    )
    return reach, path


def _flood_entry(
    crossing: Crossing,
    hydrograph: Hydrograph,
    source_peak: float,
    geo: RegionGeo,
    *,
    arrival: float,
) -> ReachEntry:
    i = int(hydrograph.discharge_m3_s.argmax())
    hours, values = thin(hydrograph.hours, hydrograph.discharge_m3_s)
    detail: dict[str, Any] = {
        **_river_detail(hydrograph.span.edge.river, geo),
        "distance_km": round(crossing.entry_km, 2),
        "peak_hours": round(float(hydrograph.hours[i]), 2),
        "peak_m3_s": _figure(float(hydrograph.discharge_m3_s[i])),
        "base_m3_s": _figure(hydrograph.base_m3_s),
        "curve": {"hours": hours, "m3_s": values},
    }
    if hydrograph.lake is not None:
        detail["lake"] = hydrograph.lake.key
        detail["lake_zone"] = "inflow" if hydrograph.riverine else "stored"
    basis, bound = river_population(geo.populations.get(crossing.jurisdiction_code))
    share = float(hydrograph.excess().max()) / source_peak if source_peak > 0 else 0.0
    return ReachEntry(
        jurisdiction_code=crossing.jurisdiction_code,
        arrival_hours=round(arrival, 3),
        intensity=round(min(1.0, max(0.0, share)), 4),
        exposed_population=None,
        detail=detail,
        population_basis=basis,
        population_upper_bound=bound,
    )
