"""Loading and saving monitoring stations and the state of their firings."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime
from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crossrisk.domain.errors import NotFound
from crossrisk.domain.monitoring.station import LastObservation, Station, StationKind, StationState
from crossrisk.domain.monitoring.trigger_rule import TriggerRule, read_rule, rule_record
from crossrisk.domain.risk import RiskCategory
from crossrisk.domain.warning import WarningLevel
from crossrisk.store.models.monitoring import ObservationRow, StationRow


class StationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, code: str) -> Station:
        """The station with this code, or NotFound."""
        row = self.session.scalars(select(StationRow).where(StationRow.code == code)).one_or_none()
        if row is None:
            raise NotFound(f"station {code!r} does not exist", key="station-unknown")
        return _station(row)

    def by_id(self, station_id: int) -> Station:
        """The station with this id, or NotFound."""
        row = self.session.get(StationRow, station_id)
        if row is None:
            raise NotFound(f"station {station_id} does not exist", key="station-unknown")
        return _station(row)

    def by_codes(self, codes: Collection[str]) -> dict[str, Station]:
        """The stations among these codes that exist, by code (one query)."""
        if not codes:
            return {}
        rows = self.session.scalars(select(StationRow).where(StationRow.code.in_(list(codes))))
        return {row.code: _station(row) for row in rows}

    def list(self, *, region_codes: Collection[str] | None) -> list[Station]:
        """Stations of the given regions (all when None), by code."""
        statement = select(StationRow).order_by(StationRow.code)
        if region_codes is not None:
            statement = statement.where(StationRow.region_code.in_(list(region_codes)))
        return [_station(row) for row in self.session.scalars(statement)]

    def add(self, station: Station, *, now: datetime, by: str) -> Station:
        """Insert a new station and return it with its id."""
        row = StationRow(added_at=now, added_by=by)
        _copy(station, row)
        self.session.add(row)
        self.session.flush()
        return _station(row)

    def update(self, station: Station) -> Station:
        """Write a changed station (its firing state is kept)."""
        row = self.session.scalars(
            select(StationRow).where(StationRow.code == station.code)
        ).one_or_none()
        if row is None:
            raise NotFound(f"station {station.code!r} does not exist", key="station-unknown")
        _copy(station, row)
        self.session.flush()
        return _station(row)

    def state(self, station_id: int, *, for_update: bool = False) -> StationState:
        """What the station's firings have done so far."""
        # Read afresh, not from the session's identity map: another transaction may have
        # changed the state since this one first loaded the station.
        statement = (
            select(StationRow)
            .where(StationRow.id == station_id)
            .execution_options(populate_existing=True)
        )
        if for_update:
            statement = statement.with_for_update()
        row = self.session.scalars(statement).one()
        return StationState(
            open_risk_id=row.open_risk_id,
            fired_level=WarningLevel(row.fired_level) if row.fired_level is not None else None,
            fired_at=row.fired_at,
        )

    def states(self, station_ids: Collection[int]) -> dict[int, StationState]:
        """The firing state of several stations (one query)."""
        if not station_ids:
            return {}
        rows = self.session.execute(
            select(
                StationRow.id, StationRow.open_risk_id, StationRow.fired_level, StationRow.fired_at
            ).where(StationRow.id.in_(list(station_ids)))
        )
        return {
            station_id: StationState(
                open_risk_id=risk_id,
                fired_level=WarningLevel(level) if level is not None else None,
                fired_at=at,
            )
            for station_id, risk_id, level, at in rows
        }

    def set_state(self, station_id: int, state: StationState) -> None:
        """Record the risk the station's firings now raise and the level they reached."""
        row = self.session.get(StationRow, station_id)
        if row is None:
            raise NotFound(f"station {station_id} does not exist", key="station-unknown")
        row.open_risk_id = state.open_risk_id
        row.fired_level = state.fired_level.value if state.fired_level is not None else None
        row.fired_at = state.fired_at
        self.session.flush()

    def latest(self, station_ids: Collection[int]) -> dict[int, LastObservation]:
        """Each station's most recent observation, if it has one."""
        if not station_ids:
            return {}
        newest = (
            select(ObservationRow.station_id, func.max(ObservationRow.observed_at).label("at"))
            .where(ObservationRow.station_id.in_(list(station_ids)))
            .group_by(ObservationRow.station_id)
            .subquery()
        )
        rows = self.session.execute(
            select(
                ObservationRow.station_id, ObservationRow.observed_at, ObservationRow.value
            ).join(
                newest,
                (newest.c.station_id == ObservationRow.station_id)
                & (newest.c.at == ObservationRow.observed_at),
            )
        )
        return {
            station_id: LastObservation(observed_at=at, value=value)
            for station_id, at, value in rows
        }


def _copy(station: Station, row: StationRow) -> None:
    row.code = station.code
    row.name_zh = station.name_zh
    row.name_en = station.name_en
    row.kind = station.kind.value
    row.region_code = station.region_code
    row.jurisdiction_code = station.jurisdiction_code
    row.lon = station.lon
    row.lat = station.lat
    row.variable = station.variable
    row.unit = station.unit
    row.rule = rule_record(station.rule)
    row.category = station.category.value
    row.hazard_type = station.hazard_type
    row.parameters = dict(station.parameters)
    row.valid_min = station.valid_range[0] if station.valid_range else None
    row.valid_max = station.valid_range[1] if station.valid_range else None
    row.source = station.source


def _station(row: StationRow) -> Station:
    valid = (
        (row.valid_min, row.valid_max)
        if row.valid_min is not None and row.valid_max is not None
        else None
    )
    return Station(
        id=row.id,
        code=row.code,
        name_zh=row.name_zh,
        name_en=row.name_en,
        kind=StationKind(row.kind),
        region_code=row.region_code,
        jurisdiction_code=row.jurisdiction_code,
        lon=row.lon,
        lat=row.lat,
        variable=row.variable,
        unit=row.unit,
        rule=_rule(json.dumps(row.rule, sort_keys=True)),
        category=RiskCategory(row.category),
        hazard_type=row.hazard_type,
        parameters=dict(row.parameters),
        valid_range=valid,
        source=row.source,
    )


@lru_cache(maxsize=1024)
def _rule(record: str) -> TriggerRule:
    # Every batch reads its stations afresh; a rule is parsed once per distinct text.
    return read_rule(json.loads(record))
