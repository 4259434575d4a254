"""What the maps read of a region besides its cities: its rivers, its places, the nearest river."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from crossrisk.domain.errors import NotFound
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.regions import require_read_region
from crossrisk.geo.places import (
    Place,
    city_places,
    county_places,
    point_place,
    river_places,
    search_places,
)
from crossrisk.geo.river import RiverNetwork
from crossrisk.services.stations import bundled_station_file, read_station_file
from crossrisk.store.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class NearestRiver:
    """The river nearest a point, as the river model measures it when it snaps a source."""

    river: str
    name_zh: str
    name_en: str
    distance_km: float
    lon: float  # the foot of the perpendicular on the river
    lat: float


def river_network(uow: UnitOfWork, actor: Actor, region_code: str) -> RiverNetwork:
    """The region's bundled river network, or NotFound where the region ships none."""
    with uow.read_only() as tx:
        require_read_region(actor, region_code)
        network = tx.regions.geo(region_code).rivers
    if network is None:
        raise NotFound(f"region {region_code!r} has no river network")
    return network


def nearest_river(
    uow: UnitOfWork, actor: Actor, region_code: str, lon: float, lat: float
) -> NearestRiver:
    """The nearest river to a point and how far it is, however far (no snapping tolerance)."""
    network = river_network(uow, actor, region_code)
    foot = network.nearest(lon, lat)
    edge = network.edge(foot.edge_id)
    return NearestRiver(
        river=edge.river,
        name_zh=edge.name_zh,
        name_en=edge.name_en,
        distance_km=foot.distance_km,
        lon=foot.lon,
        lat=foot.lat,
    )


def bundled_county_file(region_code: str) -> str | None:
    """The text of the county-level divisions that ship with a bundled region, if any."""
    path = resources.files("crossrisk.data").joinpath(f"regions/{region_code}/counties.csv")
    return path.read_text("utf-8") if path.is_file() else None


def find_places(uow: UnitOfWork, actor: Actor, region_code: str, query: str) -> list[Place]:
    """The region's cities, counties, gauges and rivers whose names or codes match the query."""
    with uow.read_only() as tx:
        require_read_region(actor, region_code)
        tx.regions.get(region_code)
        geo = tx.regions.geo(region_code)
        registered = tx.stations.list(region_codes=[region_code])
    places = city_places(geo)
    counties = bundled_county_file(region_code)
    if counties is not None:
        places.extend(county_places(counties, geo.names))
    if geo.rivers is not None:
        places.extend(river_places(geo.rivers))
    # The gauges a deployment registered, and those its region ships but it has not loaded.
    stations = {s.code: s for s in registered}
    bundled = bundled_station_file(region_code)
    for station in read_station_file(bundled) if bundled else []:
        stations.setdefault(station.code, station)
    places.extend(
        point_place("station", s.code, s.name_zh, s.name_en, s.lon, s.lat)
        for s in stations.values()
    )
    return search_places(places, query)
