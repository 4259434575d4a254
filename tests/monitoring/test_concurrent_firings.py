"""Gauges firing at once never starve each other of database connections; both backends."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import create_engine

from crossrisk.domain.monitoring import Station
from crossrisk.domain.organisation import system_actor
from crossrisk.services import monitoring
from crossrisk.services.monitoring import IngestReport
from crossrisk.store.uow import UnitOfWork
from tests.monitoring.support import load_bundled_stations, record
from tests.support import T0


def test_every_station_firing_at_once_opens_its_risk_with_a_small_pool(
    database_url: str,
) -> None:
    # A pool smaller than the firings: each firing holds its station's lock while its own
    # transaction needs a connection, which must never be the lock's.
    engine = create_engine(database_url, pool_size=2, max_overflow=0, pool_timeout=20)
    load_bundled_stations(UnitOfWork(engine))
    text = monitoring.bundled_station_file("yrd")
    assert text is not None
    stations = monitoring.read_station_file(text)
    reports: list[IngestReport] = []

    def fire(station: Station) -> None:
        over = max(t.value for t in station.rule.thresholds) + 0.5
        reading = record(over, 0, station=station.code, unit=station.unit)
        reports.append(
            monitoring.ingest(
                UnitOfWork(engine),
                system_actor("gateway"),
                [reading],
                source="test",
                now=T0 + timedelta(minutes=5),
            )
        )

    threads = [threading.Thread(target=fire, args=(station,)) for station in stations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()

    outcomes = [fired for report in reports for fired in report.fired]
    assert len(reports) == len(stations) == 7
    assert sorted(f.action for f in outcomes) == ["opened"] * 7
    assert len({f.risk_id for f in outcomes}) == 7
