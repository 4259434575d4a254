"""Computing a hazard's reach with the propagation model of its type (§3.3).

Each function turns one model's output into the common `Reach`: the jurisdictions reached,
with arrival time, intensity and the pathway. All are pure: the region's data come in as a
`RegionGeo`, nothing is read or stored here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.reach import (
    Pathway,
    PopulationBasis,
    Reach,
    ReachEntry,
    ordered,
)
from crossrisk.geo import mobility, plume, river_reaches
from crossrisk.geo.geodesy import LocalProjection
from crossrisk.geo.overlay import hazard_footprint, overlay
from crossrisk.geo.region_geo import RegionGeo
from crossrisk.geo.river_path import RiverPath

# Footprints are stored and drawn; metre-level detail is all a map of cities can show.
FOOTPRINT_DECIMALS = 5


def compute_reach(
    pathway: Pathway, hazard: BaseGeometry, parameters: Mapping[str, Any], geo: RegionGeo
) -> Reach:
    """The reach of a hazard by the given model and its (checked, complete) parameters."""
    compute = {
        Pathway.OVERLAY: overlay_reach,
        Pathway.RIVER: flood_reach,
        Pathway.SPILL: spill_reach,
        Pathway.PLUME: plume_reach,
        Pathway.MOBILITY: mobility_reach,
    }[pathway]
    return compute(hazard, parameters, geo)


def overlay_reach(hazard: BaseGeometry, parameters: Mapping[str, Any], geo: RegionGeo) -> Reach:
    """Every jurisdiction the hazard's footprint covers, at once; intensity = share exposed."""
    footprint = hazard_footprint(
        hazard, radius_km=parameters["radius_km"], buffer_km=parameters["buffer_km"]
    )
    entries = [
        ReachEntry(
            jurisdiction_code=e.jurisdiction_code,
            arrival_hours=0.0,
            intensity=round(e.area_share, 6),
            exposed_population=e.exposed_population,
            detail={"footprint_share": round(e.footprint_share, 6)},
            population_basis=_area_basis(e.exposed_population),
        )
        for e in overlay(geo.index, footprint, geo.populations)
    ]
    return Reach(
        pathway=Pathway.OVERLAY,
        entries=ordered(entries),
        parameters=dict(parameters),
        footprint=_geojson(footprint),
        leaves_region=geo.reaches_beyond(footprint),
    )


def plume_reach(hazard: BaseGeometry, parameters: Mapping[str, Any], geo: RegionGeo) -> Reach:
    """Jurisdictions under the plume's ground footprint over the threshold concentration.

    The front reaches a jurisdiction when the wind has carried it to the nearest part of
    the footprint there; intensity is the highest ground concentration there over the
    threshold. A line or area source is treated as a point at its centre.
    """
    source = _source_point(hazard)
    footprint = plume.ground_footprint(
        source.x,
        source.y,
        q=parameters["emission_g_s"],
        u=parameters["wind_speed_m_s"],
        wind_from_deg=parameters["wind_from_deg"],
        h=parameters["source_height_m"],
        stability=parameters["stability"],
        terrain=parameters["terrain"],
        threshold_g_m3=parameters["threshold_g_m3"],
        max_distance_m=parameters["max_distance_km"] * 1000.0,
    )
    area = footprint.polygon
    entries: list[ReachEntry] = []
    if not area.is_empty:
        downwind = _downwind_axis(parameters["wind_from_deg"])
        axis = _plume_axis(source, downwind, parameters["max_distance_km"] * 1000.0)
        for e in overlay(geo.index, area, geo.populations):
            along, across = _plume_coordinates(e.piece, source, downwind, axis)
            concentrations = plume.ground_concentrations(
                parameters["emission_g_s"],
                parameters["wind_speed_m_s"],
                along,
                across,
                parameters["source_height_m"],
                parameters["stability"],
                terrain=parameters["terrain"],
            )
            entries.append(
                ReachEntry(
                    jurisdiction_code=e.jurisdiction_code,
                    arrival_hours=round(
                        max(float(along.min()), 0.0) / parameters["wind_speed_m_s"] / 3600, 4
                    ),
                    intensity=round(float(concentrations.max()) / parameters["threshold_g_m3"], 4),
                    exposed_population=e.exposed_population,
                    detail={
                        "area_share": round(e.area_share, 6),
                        "max_concentration_g_m3": float(concentrations.max()),
                    },
                    population_basis=_area_basis(e.exposed_population),
                )
            )
    return Reach(
        pathway=Pathway.PLUME,
        entries=ordered(entries),
        parameters=dict(parameters),
        footprint=None if area.is_empty else _geojson(area),
        leaves_region=geo.reaches_beyond(area),
    )


def spill_reach(hazard: BaseGeometry, parameters: Mapping[str, Any], geo: RegionGeo) -> Reach:
    """Jurisdictions downstream where a spill would exceed the substance's limit."""
    reach, path = river_reaches.spill_reach(_source_point(hazard), parameters, geo)
    return _with_path(reach, path, geo)


def flood_reach(hazard: BaseGeometry, parameters: Mapping[str, Any], geo: RegionGeo) -> Reach:
    """Jurisdictions downstream that a flood wave reaches, with its routed hydrograph."""
    reach, path = river_reaches.flood_reach(_source_point(hazard), parameters, geo)
    return _with_path(reach, path, geo)


def _with_path(reach: Reach, path: RiverPath, geo: RegionGeo) -> Reach:
    line = path.line
    return replace(reach, footprint=_geojson(line), leaves_region=geo.reaches_beyond(line))


def mobility_reach(hazard: BaseGeometry, parameters: Mapping[str, Any], geo: RegionGeo) -> Reach:
    """Cities an infection reaches along commuting flows, seeded where the source lies."""
    codes = [code for code in geo.index.codes if geo.populations.get(code)]
    populations = np.array([float(geo.populations[code] or 0) for code in codes])
    lons = np.array([geo.label_points[code][0] for code in codes])
    lats = np.array([geo.label_points[code][1] for code in codes])
    flows = mobility.gravity_flows(
        populations,
        mobility.distance_matrix_km(lons, lats),
        trip_rate=parameters["trip_rate"],
        constraint="production",
    )
    origins = geo.index.origins(hazard)
    seeds = {
        codes.index(o.jurisdiction_code): parameters["initial_cases"] * o.share
        for o in origins
        if o.jurisdiction_code in codes
    }
    if not seeds:
        raise InvalidInput("the hazard lies in no jurisdiction with a population to seed")
    result = mobility.seir(
        populations,
        flows,
        r0=parameters["r0"],
        incubation_days=parameters["incubation_days"],
        infectious_days=parameters["infectious_days"],
        seeds=seeds,
        days=parameters["days"],
        threshold_cases=parameters["threshold_cases"],
    )
    entries = []
    for position, code in enumerate(codes):
        arrival = result.arrival_day[position]
        if arrival is None or not np.isfinite(arrival):
            continue
        entries.append(
            ReachEntry(
                jurisdiction_code=code,
                arrival_hours=round(float(arrival) * 24.0, 2),
                intensity=round(
                    float(result.peak_infectious[position] / populations[position]) * 1e5, 2
                ),
                exposed_population=round(
                    float(result.final_size[position] * populations[position])
                ),
                detail={
                    "arrival_day": float(arrival),
                    "peak_day": float(result.peak_day[position]),
                },
                population_basis=PopulationBasis.INFECTIONS,
            )
        )
    return Reach(
        pathway=Pathway.MOBILITY,
        entries=ordered(entries),
        parameters=dict(parameters),
        footprint=None,
        leaves_region=False,
    )


def _area_basis(exposed_population: int | None) -> PopulationBasis:
    return PopulationBasis.UNKNOWN if exposed_population is None else PopulationBasis.AREA_SHARE


def _source_point(hazard: BaseGeometry) -> Point:
    return hazard if isinstance(hazard, Point) else hazard.representative_point()


def _downwind_axis(wind_from_deg: float) -> np.ndarray:
    # The wind blows from `wind_from_deg` (clockwise from north), so it goes the other way.
    towards = np.radians((wind_from_deg + 180.0) % 360.0)
    return np.array([np.sin(towards), np.cos(towards)])  # east, north


def _plume_axis(source: Point, downwind: np.ndarray, length_m: float) -> BaseGeometry:
    """The plume's centre line in lon/lat, drawn in the projection the plume model uses."""
    steps = np.linspace(0.0, length_m, 400)
    lon, lat = LocalProjection(source.x, source.y).lon_lat(steps * downwind[0], steps * downwind[1])
    return shapely.LineString(np.column_stack([lon, lat]))


def _plume_coordinates(
    piece: BaseGeometry, source: Point, downwind: np.ndarray, axis: BaseGeometry
) -> tuple[np.ndarray, np.ndarray]:
    """Downwind and crosswind metres of sample points of a footprint piece.

    The highest concentration of a piece lies on the plume's axis, so the axis inside the
    piece is sampled densely; its outline and an inner point cover pieces off the axis.
    """
    outline = shapely.get_coordinates(piece)
    if len(outline) > 64:
        outline = outline[:: len(outline) // 64 + 1]
    on_axis = shapely.get_coordinates(shapely.intersection(axis, piece))
    inner = shapely.get_coordinates(piece.representative_point())
    lonlat = np.vstack([outline, inner, on_axis])
    east, north = LocalProjection(source.x, source.y).east_north(lonlat[:, 0], lonlat[:, 1])
    along = east * downwind[0] + north * downwind[1]
    across = east * downwind[1] - north * downwind[0]
    return along, across


def _geojson(geometry: BaseGeometry) -> dict[str, Any]:
    """GeoJSON of a footprint rounded to metres, built by GEOS rather than in Python."""
    rounded = shapely.transform(geometry, lambda xy: np.round(xy, FOOTPRINT_DECIMALS))
    converted: dict[str, Any] = json.loads(shapely.to_geojson(rounded))
    return converted
