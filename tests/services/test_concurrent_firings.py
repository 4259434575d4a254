"""Firings taken at once: no pool starvation, and one station never opens two risks."""

from __future__ import annotations

import threading
from datetime import timedelta

from crossrisk.domain.monitoring.station import Station
from crossrisk.domain.organisation import system_actor
from crossrisk.services import risks
from crossrisk.services import stations as station_service
from crossrisk.store.db import make_engine
from crossrisk.store.uow import UnitOfWork
from tests.monitoring_support import (
    TUNXI_BLUE,
    TUNXI_YELLOW,
    Sent,
    ingest_and_act,
    load_bundled_stations,
    record,
)
from tests.support import T0

NOW = T0 + timedelta(minutes=5)


def _all_at_once(engine: object, batches: list[list[dict[str, object]]]) -> list[Sent]:
    sent: list[Sent] = []
    start = threading.Barrier(len(batches))

    def send(batch: list[dict[str, object]]) -> None:
        start.wait()
        sent.append(
            ingest_and_act(UnitOfWork(engine), system_actor("gateway"), batch, now=NOW)  # type: ignore[arg-type]
        )

    threads = [threading.Thread(target=send, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sent


def test_every_station_firing_at_once_opens_its_risk_with_a_small_pool(
    database_url: str,
) -> None:
    # A pool smaller than the firings: a firing's station lock lives in its own
    # transaction, so no firing waits for a second connection while holding one.
    engine = make_engine(database_url, pool_size=2, max_overflow=0, pool_timeout=20)
    load_bundled_stations(UnitOfWork(engine))
    text = station_service.bundled_station_file("yrd")
    assert text is not None
    stations = station_service.read_station_file(text)

    def over(station: Station) -> dict[str, object]:
        value = max(t.value for t in station.rule.thresholds) + 0.5
        return record(value, 0, station=station.code, unit=station.unit)

    sent = _all_at_once(engine, [[over(station)] for station in stations])
    engine.dispose()

    outcomes = [fired for batch in sent for fired in batch.fired]
    assert len(sent) == len(stations) == 8
    assert sorted(f.action for f in outcomes) == ["opened"] * 8
    assert len({f.risk_id for f in outcomes}) == 8


def test_one_station_firing_twice_at_once_opens_one_risk(database_url: str) -> None:
    engine = make_engine(database_url, pool_size=4, max_overflow=0, pool_timeout=20)
    uow = UnitOfWork(engine)
    load_bundled_stations(uow)
    sent = _all_at_once(
        engine,
        [[record(TUNXI_BLUE + 0.1, 0)], [record(TUNXI_YELLOW + 0.1, 1)], [record(TUNXI_BLUE, 2)]],
    )
    opened = [f for batch in sent for f in batch.fired if f.action == "opened"]
    station_risks = [
        r for r in risks.list_risks(uow, system_actor()) if r.created_by == "station:tunxi"
    ]
    engine.dispose()
    assert len(opened) == 1
    assert [r.id for r in station_risks] == [opened[0].risk_id]
