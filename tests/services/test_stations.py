"""Stations: the bundled ones where they belong, and who may add them, on both backends."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from shapely.geometry import Point

from crossrisk.domain.errors import InvalidInput, NotPermitted
from crossrisk.domain.organisation import system_actor
from crossrisk.services import observations
from crossrisk.services import stations as station_service
from crossrisk.services.policy_tables import hazard_types
from crossrisk.store.uow import UnitOfWork
from tests.monitoring_support import record, rule, station
from tests.support import T0, actor

BUNDLED = station_service.read_station_file(station_service.bundled_station_file("yrd") or "")


def journal_actions(uow: UnitOfWork) -> list[str]:
    with uow.read_only() as tx:
        return [e.action for e in tx.journal.entries()]


def test_bundled_stations_load_once_and_are_journaled(uow: UnitOfWork) -> None:
    first = station_service.load_stations(uow, system_actor(), BUNDLED, now=T0)
    assert set(first.added) == {s.code for s in BUNDLED} and len(first.added) >= 5
    added = journal_actions(uow).count("station.added")
    again = station_service.load_stations(uow, system_actor(), BUNDLED, now=T0)
    assert again.added == () and again.changed == () and len(again.unchanged) == len(BUNDLED)
    assert journal_actions(uow).count("station.added") == added == len(BUNDLED)


def test_a_changed_threshold_is_updated_and_journaled(uow: UnitOfWork) -> None:
    station_service.load_stations(uow, system_actor(), BUNDLED, now=T0)
    tunxi = next(s for s in BUNDLED if s.code == "tunxi")
    lowered = replace(tunxi, rule=rule(thresholds={"blue": 24.5, "red": 27.8}))
    loaded = station_service.load_stations(uow, system_actor(), [lowered], now=T0)
    assert loaded.changed == ("tunxi",)
    with uow.read_only() as tx:
        assert tx.stations.get("tunxi").rule.threshold(lowered.rule.thresholds[0].level) == 24.5
    assert journal_actions(uow)[-1] == "station.changed"


def test_bundled_stations_lie_in_their_jurisdiction_and_on_their_river(uow: UnitOfWork) -> None:
    with uow.read_only() as tx:
        geo = tx.regions.geo("yrd")
        for s in BUNDLED:
            assert geo.index.origins(Point(s.lon, s.lat))[0].jurisdiction_code == (
                s.jurisdiction_code
            ), s.code
            snap = geo.rivers.snap((s.lon, s.lat), tolerance_km=5.0)  # type: ignore[union-attr]
            assert snap.distance_km < 2.0, s.code
            if hazard_types()[s.hazard_type].pathway.value == "river":
                # The Taipu sluice stands for Taihu's level, at the lake's edge to the Taipu.
                assert snap.river in {"xinan", "lan", "fuchun", "taihu", "taipu", "huangpu", "huai"}


def test_stations_cite_a_source_for_what_they_publish() -> None:
    for s in BUNDLED:
        assert "STATIONS.md" in s.source and "crossrisk demo value" in s.source, s.code


def test_station_in_the_wrong_jurisdiction_is_refused(uow: UnitOfWork) -> None:
    wrong = station(jurisdiction_code="330100")  # the point is in Huangshan
    with pytest.raises(InvalidInput, match="lies in 341000") as caught:
        station_service.load_stations(uow, system_actor(), [wrong], now=T0)
    assert caught.value.key == "station-wrong-jurisdiction"


def test_a_flood_gauge_far_from_any_river_is_refused(uow: UnitOfWork) -> None:
    hills = station(lon=118.9, lat=29.95, jurisdiction_code="")  # between the rivers
    with pytest.raises(InvalidInput) as caught:
        station_service.load_stations(uow, system_actor(), [hills], now=T0)
    assert caught.value.key == "river-too-far"


def test_station_outside_the_region_is_refused(uow: UnitOfWork) -> None:
    with pytest.raises(InvalidInput) as caught:
        station_service.load_stations(uow, system_actor(), [station(lon=113.3, lat=23.1)], now=T0)
    assert caught.value.key == "station-outside-region"


def test_the_jurisdiction_follows_from_the_location_when_not_given(uow: UnitOfWork) -> None:
    station_service.load_stations(uow, system_actor(), [station(jurisdiction_code="")], now=T0)
    with uow.read_only() as tx:
        assert tx.stations.get("test-gauge").jurisdiction_code == "341000"


@pytest.mark.parametrize("organisation", ["ema-341000", "yrd-evaluator", "pearl-committee"])
def test_only_the_operator_or_the_coordination_body_adds_stations(
    uow: UnitOfWork, organisation: str
) -> None:
    before = journal_actions(uow)
    with pytest.raises(NotPermitted):
        station_service.load_stations(uow, actor(uow, organisation), [station()], now=T0)
    assert journal_actions(uow) == before
    station_service.load_stations(uow, actor(uow, "yrd-committee"), [station()], now=T0)
    assert journal_actions(uow)[-1] == "station.added"


def test_list_shows_the_last_observation_to_readers_of_the_region(stations: UnitOfWork) -> None:
    uow = stations
    observations.ingest(
        uow,
        system_actor(),
        [record(21.0, 0), record(21.3, 30), record(21.1, -30)],
        source="test",
        now=T0 + timedelta(hours=1),
    )
    views = {
        v.station.code: v for v in station_service.list_stations(uow, actor(uow, "ema-330100"))
    }
    assert views["tunxi"].last is not None and views["tunxi"].last.value == 21.3
    assert views["lanxi"].last is None
    assert station_service.list_stations(uow, actor(uow, "pearl-committee")) == []
    with pytest.raises(NotPermitted):
        station_service.list_stations(uow, actor(uow, "pearl-committee"), region_code="yrd")
