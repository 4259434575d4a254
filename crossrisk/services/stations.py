"""Stations: loading them with their trigger rules, and listing them with their state (§3.4)."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from importlib import resources

from shapely.geometry import Point

from crossrisk.domain.errors import InvalidInput, NotPermitted
from crossrisk.domain.monitoring.station import LastObservation, Station, StationState, read_station
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.monitoring import can_manage_stations
from crossrisk.domain.permissions.regions import regions_to_list
from crossrisk.domain.reach import RIVER_PATHWAYS
from crossrisk.services import analysis
from crossrisk.services.policy_tables import hazard_types, variables
from crossrisk.store.uow import Transaction, UnitOfWork


@dataclass(frozen=True, slots=True)
class LoadedStations:
    added: tuple[str, ...]
    changed: tuple[str, ...]
    unchanged: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StationView:
    """A station as lists show it: with its last observation and what it has fired."""

    station: Station
    last: LastObservation | None
    state: StationState


def read_station_file(text: str) -> list[Station]:
    """The stations of a station file (TOML: `region = …` and `[[stations]]`), checked."""
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(
            f"the station file is not TOML: {exc}", key="station-file-invalid"
        ) from None
    region_code = table.get("region")
    entries = table.get("stations")
    if not isinstance(region_code, str) or not isinstance(entries, list) or not entries:
        raise InvalidInput(
            "a station file names its `region` and lists `[[stations]]`",
            key="station-file-invalid",
        )
    stations = [read_station(e, region_code=region_code, variables=variables()) for e in entries]
    codes = [s.code for s in stations]
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        raise InvalidInput(
            f"the station file lists {', '.join(twice)} more than once", key="station-file-invalid"
        )
    return stations


def bundled_station_file(region_code: str) -> str | None:
    """The text of the stations that ship with a bundled region, if it has any."""
    path = resources.files("crossrisk.data").joinpath(f"regions/{region_code}/stations.toml")
    return path.read_text("utf-8") if path.is_file() else None


def load_stations(
    uow: UnitOfWork, actor: Actor, stations: Sequence[Station], *, now: datetime
) -> LoadedStations:
    """Add new stations and update changed ones (by code); journaled as station.added/changed."""
    added: list[str] = []
    changed: list[str] = []
    unchanged: list[str] = []
    with uow as tx:
        for region_code in sorted({s.region_code for s in stations}):
            if not can_manage_stations(actor, region_code):
                raise NotPermitted(
                    f"only the operator or the coordination body of {region_code} may add "
                    "stations there",
                    key="station-not-permitted",
                )
        existing = tx.stations.by_codes([s.code for s in stations])
        for given in stations:
            station = _placed(tx, given)
            before = existing.get(station.code)
            if before is None:
                stored = tx.stations.add(station, now=now, by=actor.username)
                _journal(tx, actor, "station.added", stored, now=now)
                added.append(station.code)
                continue
            if before.region_code != station.region_code:
                raise InvalidInput(
                    f"station {station.code} belongs to region {before.region_code}",
                    key="station-other-region",
                )
            if before.record() == station.record():
                unchanged.append(station.code)
                continue
            stored = tx.stations.update(station)
            _journal(tx, actor, "station.changed", stored, now=now)
            changed.append(station.code)
        tx.commit()
    return LoadedStations(tuple(added), tuple(changed), tuple(unchanged))


def list_stations(
    uow: UnitOfWork, actor: Actor, *, region_code: str | None = None
) -> list[StationView]:
    """Stations of the regions the actor reads, each with its last observation."""
    with uow.read_only() as tx:
        regions = regions_to_list(actor, region_code)
        stations = tx.stations.list(region_codes=regions)
        ids = [s.id for s in stations if s.id is not None]
        last = tx.stations.latest(ids)
        states = tx.stations.states(ids)
        return [
            StationView(
                station=s,
                last=last.get(s.id) if s.id is not None else None,
                state=states.get(s.id, StationState()) if s.id is not None else StationState(),
            )
            for s in stations
        ]


def _placed(tx: Transaction, station: Station) -> Station:
    """The station checked against the region: jurisdiction, river and risk kind."""
    tx.regions.get(station.region_code)
    try:
        origins = tx.regions.index(station.region_code).origins(Point(station.lon, station.lat))
    except InvalidInput:
        origins = ()
    if len(origins) != 1:
        raise InvalidInput(
            f"station {station.code} at ({station.lon}, {station.lat}) lies in no single "
            f"jurisdiction of region {station.region_code}",
            key="station-outside-region",
        )
    where = origins[0].jurisdiction_code
    if station.jurisdiction_code and station.jurisdiction_code != where:
        raise InvalidInput(
            f"station {station.code} at ({station.lon}, {station.lat}) lies in {where}, "
            f"not in {station.jurisdiction_code}",
            key="station-wrong-jurisdiction",
            params={"station": station.code, "lies_in": where},
        )
    try:
        hazard_type, parameters = analysis.checked_hazard(
            station.category.value, station.hazard_type, station.parameters
        )
    except InvalidInput as error:
        raise InvalidInput(f"station {station.code}: {error.detail}", key=error.key) from None
    if hazard_types()[hazard_type].pathway in RIVER_PATHWAYS:
        # A firing registers a river hazard at the station; refuse now what would fail then.
        rivers = tx.regions.geo(station.region_code).rivers
        if rivers is None:
            raise InvalidInput(
                f"station {station.code}: region {station.region_code} has no river network",
                key="no-river-network",
            )
        try:
            rivers.snap((station.lon, station.lat), tolerance_km=parameters["snap_tolerance_km"])
        except InvalidInput as error:
            raise InvalidInput(f"station {station.code}: {error.detail}", key=error.key) from None
    return replace(station, jurisdiction_code=where, hazard_type=hazard_type)


def _journal(
    tx: Transaction, actor: Actor, action: str, station: Station, *, now: datetime
) -> None:
    payload = {"station": station.record()}
    subject = f"station:{station.code}"
    tx.record(
        actor, action, subject=subject, payload=payload, region_code=station.region_code, now=now
    )


def stations_of_region(tx: Transaction, region_code: str) -> dict[str, Station]:
    """The region's stations by code: those in the database, and those its bundled file
    names that are not loaded (a drill may play a bundled gauge the platform does not feed)."""
    found = {s.code: s for s in tx.stations.list(region_codes={region_code})}
    text = bundled_station_file(region_code)
    for station in read_station_file(text) if text is not None else []:
        found.setdefault(station.code, station)
    return found
