"""Queued firings: the batch's transaction queues them; acting on each is a use case of its own."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from crossrisk.domain.events import Event
from crossrisk.domain.monitoring.firing import Firing
from crossrisk.domain.monitoring.observation import Observation
from crossrisk.domain.organisation import system_actor
from crossrisk.domain.warning import WarningLevel
from crossrisk.services import firings, observations, risks
from crossrisk.services.worker import Worker
from crossrisk.store.models import FiringRow, StationRow
from crossrisk.store.uow import UnitOfWork
from tests.monitoring_support import TUNXI_BLUE, record, utc
from tests.support import T0

NOW = T0 + timedelta(hours=12)  # after the readings, none of them stale
GATEWAY = system_actor("gateway")


def _station_risks(uow: UnitOfWork) -> list[int]:
    listed = risks.list_risks(uow, system_actor())
    return [r.id for r in listed if r.created_by == "station:tunxi" and r.id is not None]


def _firing_rows(uow: UnitOfWork) -> list[tuple[str, str | None, int | None]]:
    with uow.read_only() as tx:
        rows = tx.session.query(FiringRow).order_by(FiringRow.id).all()
        return [(row.status, row.outcome, row.risk_id) for row in rows]


def test_a_batch_queues_its_firing_and_the_worker_acts_when_its_sender_did_not(
    stations: UnitOfWork,
) -> None:
    uow = stations
    heard: list[Event] = []
    uow.bus.subscribe(heard.append)
    report = observations.ingest(
        uow, GATEWAY, [record(TUNXI_BLUE + 0.2, 0)], source="test", now=NOW
    )
    [queued] = report.queued
    assert (queued.station, queued.level) == ("tunxi", WarningLevel.BLUE)
    # Stored and queued in one transaction; no risk yet, and nothing fired on the bus.
    assert _station_risks(uow) == [] and _firing_rows(uow) == [("pending", None, None)]
    assert [e.name for e in heard] == ["observations.stored"]

    # The sender acts on its own firings and reports them; the worker leaves them to it
    # for a while, so a busy worker never takes a report's firing from under it.
    assert Worker(uow, {}, clock=lambda: NOW).run_once().firings == 0
    assert _firing_rows(uow) == [("pending", None, None)]
    # A sender that died by then: the worker takes what it left.
    later = NOW + observations.SENDER_HEAD_START
    done = Worker(uow, {}, clock=lambda: later).run_once()

    [risk_id] = _station_risks(uow)
    assert done.firings == 1
    assert _firing_rows(uow) == [("done", "opened", risk_id)]
    assert [e.name for e in heard][1:3] == ["risk.registered", "risk.analysed"]
    assert heard[-1].name == "station.fired" and heard[-1].payload["risk_id"] == risk_id
    with uow.read_only() as tx:
        fired = [e for e in tx.journal.about("station:tunxi") if e.action == "station.fired"]
    assert [(e.payload["action"], e.payload["risk_id"]) for e in fired] == [("opened", risk_id)]
    # Taken once: acting again, by this process or another, does nothing.
    assert firings.act_on_firing(uow, queued.id, now=NOW) is None
    assert _station_risks(uow) == [risk_id]


def test_a_stored_batch_is_journaled_once_with_a_digest_of_its_readings(
    stations: UnitOfWork,
) -> None:
    uow = stations
    batch = [record(21.0, 0), record(21.2, 10), record(7.0, 0, station="fuyang")]
    observations.ingest(uow, GATEWAY, batch, source="test", now=NOW)
    observations.ingest(uow, GATEWAY, batch, source="test", now=NOW)  # redelivered: no entry
    with uow.read_only() as tx:
        [entry] = [e for e in tx.journal.about("observations")]
    expected = observations.readings_digest(
        [
            Observation("tunxi", utc(0), 21.0, "m"),
            Observation("tunxi", utc(10), 21.2, "m"),
            Observation("fuyang", utc(0), 7.0, "m"),
        ]
    )
    assert entry.action == "observations.stored" and entry.actor == "gateway"
    assert entry.payload["stations"] == ["fuyang", "tunxi"]
    assert entry.payload["counts"] == {"fuyang": 1, "tunxi": 2}
    assert entry.payload["count"] == 3
    assert entry.payload["readings_sha256"] == expected


def test_a_firing_that_cannot_act_is_given_up_journaled_and_writes_no_risk(
    stations: UnitOfWork,
) -> None:
    uow = stations
    # The station's model parameters were broken behind the platform's back.
    with uow as tx:
        tx.session.execute(
            update(StationRow)
            .where(StationRow.code == "tunxi")
            .values(parameters={"pulse_hours": -5})
        )
        tx.commit()
    report = observations.ingest(
        uow, GATEWAY, [record(TUNXI_BLUE + 0.2, 0)], source="test", now=NOW
    )
    [outcome] = firings.act_on_queued(uow, report.queued, now=NOW)

    assert (outcome.action, outcome.risk_id) == ("failed", None)
    assert _station_risks(uow) == []
    assert _firing_rows(uow) == [("failed", "failed", None)]
    with uow.read_only() as tx:
        entries = tx.journal.about("station:tunxi")
        state = tx.stations.state(tx.stations.get("tunxi").id or 0)
    assert [e.action for e in entries][-1] == "station.firing_failed"
    assert entries[-1].payload["level"] == WarningLevel.BLUE.value
    assert "pulse_hours" in entries[-1].payload["detail"]
    assert state.open_risk_id is None and state.fired_level is None
    # Given up: the worker does not take it again.
    assert firings.act_on_due(uow, now=NOW + timedelta(hours=1)) == []


def test_a_firing_says_why_in_each_language_from_the_catalogs() -> None:
    at = T0 + timedelta(minutes=30)
    threshold = Firing(WarningLevel.YELLOW, "threshold", 25.8, None, 25.9, at, "m")
    rise = Firing(WarningLevel.BLUE, "rise", 2.0, 3.0, 2.1000000001, at, "m")
    assert firings.reason(threshold, "zh_CN") == "观测值 25.9 m 达到黄色预警阈值 25.8 m"
    assert firings.reason(threshold, "en") == (
        "observed 25.9 m, at or over the yellow threshold of 25.8 m"
    )
    assert (
        firings.reason(rise, "zh_CN") == "3 小时内上涨 2.1 m，达到蓝色预警上涨率阈值（3 小时 2 m）"
    )
    assert firings.reason(rise, "en") == (
        "rose 2.1 m within 3 h, at or over the blue rate-of-rise threshold of 2 m in 3 h"
    )
