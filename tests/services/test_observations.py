"""Ingesting observation batches and acting on firings, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from crossrisk.domain.errors import NotPermitted, TooLarge
from crossrisk.domain.monitoring.observation import MAX_BATCH_LINES
from crossrisk.domain.organisation import Actor, Role, system_actor
from crossrisk.domain.risk import EventLevel, RiskStatus
from crossrisk.domain.warning import WarningLevel
from crossrisk.services import analysis, observations, risks
from crossrisk.store.uow import UnitOfWork
from tests.monitoring_support import (
    TUNXI_BLUE,
    TUNXI_ORANGE,
    TUNXI_YELLOW,
    Sent,
    ingest_and_act,
    record,
)
from tests.support import T0, actor

NOW = T0 + timedelta(hours=12)  # after every reading the tests send, none of them stale
GATEWAY = system_actor("gateway")


def send(uow: UnitOfWork, records: object, *, who: Actor = GATEWAY) -> Sent:
    return ingest_and_act(uow, who, records, now=NOW)


def stored(uow: UnitOfWork, code: str = "tunxi") -> list[tuple[str, float]]:
    with uow.read_only() as tx:
        station = tx.stations.get(code)
        assert station.id is not None
        series = tx.observations.series(station.id, since=T0 - timedelta(days=30), until=NOW)
    return [(at.isoformat(), value) for at, value in series]


def refusals(uow: UnitOfWork) -> dict[tuple[str, str], int]:
    with uow.read_only() as tx:
        return tx.observations.refusals()


def station_risks(uow: UnitOfWork) -> list[tuple[int, EventLevel, RiskStatus]]:
    return sorted(
        (r.id, r.level, r.status)  # type: ignore[misc]
        for r in risks.list_risks(uow, system_actor())
        if r.created_by == "station:tunxi"
    )


def test_a_reading_sent_twice_is_stored_once(stations: UnitOfWork) -> None:
    batch = [record(21.0, 0), record(21.1, 10), record(21.0, 0)]  # line 3 repeats line 1
    first = send(stations, batch)
    assert (first.stored, first.duplicates, first.duplicate_lines) == (2, 1, (3,))
    again = send(stations, batch[:2])  # the gateway redelivers after a lost acknowledgement
    assert (again.stored, again.duplicates, again.duplicate_lines) == (0, 2, (1, 2))
    assert len(stored(stations)) == 2


def test_one_bad_line_is_reported_and_the_good_ones_are_stored(stations: UnitOfWork) -> None:
    lines = [
        json.dumps(record(21.0, 0)),
        '{"station": "tunxi", "time": "2026-07-01T10:10:00+08:00", "value": 21.2',  # cut off
        json.dumps(record(21.4, 20)),
        "",
        json.dumps(record(21.5, 30)),
    ]
    report = send(stations, "\n".join(lines) + "\n")
    assert report.stored == 3 and report.received == 4
    assert [(r.line, r.key) for r in report.refused] == [(2, "observation-malformed")]
    assert [v for _, v in stored(stations)] == [21.0, 21.4, 21.5]


def test_refused_lines_are_counted_never_stored(stations: UnitOfWork) -> None:
    report = send(
        stations,
        [
            record(21.0, 0, station="no-such-gauge"),
            record(2100, 0, unit="cm"),
            record(-9999.0, 10),
            record(21.0, 20),
            record(21.1, 30, station="no-such-gauge"),
        ],
    )
    assert [(r.line, r.key) for r in report.refused] == [
        (1, "observation-unknown-station"),
        (2, "observation-wrong-unit"),
        (3, "observation-impossible-value"),
        (5, "observation-unknown-station"),
    ]
    assert report.stored == 1 and [v for _, v in stored(stations)] == [21.0]
    assert refusals(stations) == {
        ("observation-unknown-station", ""): 2,
        ("observation-wrong-unit", "tunxi"): 1,
        ("observation-impossible-value", "tunxi"): 1,
    }
    send(stations, [record(-1.0e6, 40)])
    assert refusals(stations)[("observation-impossible-value", "tunxi")] == 2


def test_a_batch_over_the_limit_is_refused_whole(stations: UnitOfWork) -> None:
    with pytest.raises(TooLarge) as caught:
        send(stations, [record(21.0, i) for i in range(MAX_BATCH_LINES + 1)])
    assert caught.value.key == "observation-batch-too-large"
    assert stored(stations) == []


def test_crossing_the_warning_level_opens_a_risk_that_reaches_hangzhou(
    stations: UnitOfWork,
) -> None:
    uow = stations
    calm = send(uow, [record(23.0, 0), record(24.0, 30)])
    assert calm.fired == () and station_risks(uow) == []
    report = send(uow, [record(24.5, 60), record(TUNXI_BLUE + 0.1, 90)])
    [fired] = report.fired
    assert (fired.station, fired.level, fired.action) == ("tunxi", WarningLevel.BLUE, "opened")
    risk = risks.get_risk(uow, actor(uow, "ema-341000"), fired.risk_id)  # type: ignore[arg-type]
    assert risk.level is EventLevel.IV and risk.status is RiskStatus.IDENTIFIED
    assert risk.hazard_type == "flood_wave" and risk.origin_codes == ("341000",)
    assert risk.created_by == "station:tunxi" and "24.9 m" in risk.description
    history = risks.risk_history(uow, actor(uow, "ema-341000"), risk.id)  # type: ignore[arg-type]
    assert [e.action for e in history][:2] == ["risk.registered", "risk.analysed"]
    assert {e.actor for e in history} == {"station:tunxi"}
    result = analysis.current_analysis(uow, actor(uow, "ema-330100"), risk.id)  # type: ignore[arg-type]
    hangzhou = result.reach.entry("330100")
    assert hangzhou is not None and hangzhou.arrival_hours > 0
    with uow.read_only() as tx:
        fired_entries = [
            e for e in tx.journal.about("station:tunxi") if e.action == "station.fired"
        ]
        state = tx.stations.state(tx.stations.get("tunxi").id)  # type: ignore[arg-type]
    assert [e.payload["risk_id"] for e in fired_entries] == [risk.id]
    assert fired_entries[0].payload["action"] == "opened"
    assert (state.open_risk_id, state.fired_level) == (risk.id, WarningLevel.BLUE)


def test_a_higher_firing_raises_the_risk_and_a_lower_one_never_lowers_it(
    stations: UnitOfWork,
) -> None:
    uow = stations
    opened = send(uow, [record(TUNXI_BLUE, 0)]).fired[0]
    raised = send(uow, [record(TUNXI_YELLOW + 0.2, 30), record(TUNXI_ORANGE + 0.1, 60)]).fired
    assert [(f.level, f.action, f.risk_id) for f in raised] == [
        (WarningLevel.ORANGE, "raised", opened.risk_id)
    ]
    assert station_risks(uow) == [(opened.risk_id, EventLevel.II, RiskStatus.IDENTIFIED)]
    history = risks.risk_history(uow, system_actor(), opened.risk_id)  # type: ignore[arg-type]
    change = next(e for e in history if e.action == "risk.changed")
    assert "橙色" in change.payload["reason"] and "orange" in change.payload["reason"]
    falling = send(uow, [record(TUNXI_YELLOW, 90), record(TUNXI_BLUE, 120), record(22.0, 150)])
    assert falling.fired == ()
    again = send(uow, [record(TUNXI_ORANGE + 0.3, 180)])  # orange again: applied once only
    assert again.fired == ()
    assert station_risks(uow) == [(opened.risk_id, EventLevel.II, RiskStatus.IDENTIFIED)]


def test_a_person_s_higher_assessment_is_kept(stations: UnitOfWork) -> None:
    uow = stations
    opened = send(uow, [record(TUNXI_BLUE, 0)]).fired[0]
    risks.change_risk(
        uow,
        actor(uow, "ema-341000"),
        opened.risk_id,  # type: ignore[arg-type]
        risks.RiskChange(likelihood=5, consequence=5, reason="堤防出现管涌"),
        now=NOW,
    )
    kept = send(uow, [record(TUNXI_YELLOW, 30)]).fired
    assert [(f.level, f.action) for f in kept] == [(WarningLevel.YELLOW, "kept")]
    assert station_risks(uow) == [(opened.risk_id, EventLevel.I, RiskStatus.IDENTIFIED)]


def test_after_the_risk_is_closed_a_new_firing_opens_a_new_risk(stations: UnitOfWork) -> None:
    uow = stations
    first = send(uow, [record(TUNXI_YELLOW, 0)]).fired[0]
    lead = actor(uow, "ema-341000")
    for status in ("assessed", "treating", "monitoring", "closed"):
        risks.transition_risk(
            uow,
            lead,
            first.risk_id,
            to=RiskStatus(status),
            reason="处置完毕",
            now=NOW,  # type: ignore[arg-type]
        )
    second = send(uow, [record(TUNXI_BLUE, 60)]).fired
    assert [(f.level, f.action) for f in second] == [(WarningLevel.BLUE, "opened")]
    assert second[0].risk_id != first.risk_id
    assert station_risks(uow) == [
        (first.risk_id, EventLevel.III, RiskStatus.CLOSED),
        (second[0].risk_id, EventLevel.IV, RiskStatus.IDENTIFIED),
    ]


def test_a_rise_over_two_batches_fires_from_stored_history(stations: UnitOfWork) -> None:
    uow = stations
    send(uow, [record(20.0, 0), record(20.6, 60)])
    # 22.0 is far below the warning level, but 2 m within 3 h is the blue rate of rise.
    report = send(uow, [record(21.4, 120), record(22.0, 180)])
    [fired] = report.fired
    assert (fired.level, fired.action) == (WarningLevel.BLUE, "opened")
    with uow.read_only() as tx:
        entry = next(e for e in tx.journal.about("station:tunxi") if e.action == "station.fired")
    assert entry.payload["trigger"] == "rise" and entry.payload["window_hours"] == 3


def test_each_sender_feeds_only_its_own_stations(stations: UnitOfWork) -> None:
    uow = stations
    hangzhou = send(
        uow, [record(21.0, 0), record(7.0, 0, station="fuyang")], who=actor(uow, "ema-330100")
    )
    assert hangzhou.stored == 1
    assert [(r.line, r.key, r.station) for r in hangzhou.refused] == [
        (1, "observation-station-not-permitted", "tunxi")
    ]
    assert send(uow, [record(21.0, 0)], who=actor(uow, "ema-341000")).stored == 1
    assert send(uow, [record(21.1, 10)], who=actor(uow, "yrd-committee")).stored == 1
    assert send(uow, [record(21.2, 20)], who=actor(uow, "pearl-committee")).stored == 0


@pytest.mark.parametrize(
    "organisation, role",
    [
        ("yrd-evaluator", Role.OFFICER),
        ("ema-341000", Role.VIEWER),
        ("central-office", Role.OFFICER),
    ],
)
def test_readers_may_not_send_observations_at_all(
    stations: UnitOfWork, organisation: str, role: Role
) -> None:
    with pytest.raises(NotPermitted):
        send(stations, [record(21.0, 0)], who=actor(stations, organisation, role))
    assert stored(stations) == [] and refusals(stations) == {}


def test_a_reading_older_than_the_window_is_stored_but_fires_nothing(
    stations: UnitOfWork,
) -> None:
    # Over the red level, but 25 hours old and from 1990: a backlog and a reset clock.
    day_old = record(TUNXI_ORANGE + 2.0, -13 * 60)
    from_1990 = {**record(TUNXI_ORANGE + 2.0, 0), "time": "1990-07-01T10:00:00+08:00"}
    sent = send(stations, [day_old, from_1990])
    assert (sent.report.stored, sent.report.stale, sent.report.queued) == (2, 2, ())
    assert sent.report.record()["stale"] == 2
    assert station_risks(stations) == []
    assert len(stored(stations)) == 1  # 1990 is outside what `stored` reads; the other is in
    with stations.read_only() as tx:
        (entry,) = [e for e in tx.journal.entries() if e.action == "observations.stored"]
    assert (entry.payload["count"], entry.payload["stale"]) == (2, 2)


def test_a_fresh_reading_still_fires_beside_a_stale_one_and_the_window_is_a_setting(
    stations: UnitOfWork,
) -> None:
    batch = [record(TUNXI_ORANGE + 2.0, -13 * 60), record(TUNXI_BLUE + 0.2, 11 * 60)]
    sent = send(stations, batch)
    assert sent.report.stale == 1
    [(_, level, _)] = station_risks(stations)
    assert level is EventLevel.IV  # the blue reading fired, not the stale orange one
    # With a one-hour window, a reading two hours old fires nothing.
    report = observations.ingest(
        stations,
        GATEWAY,
        [record(TUNXI_ORANGE + 0.2, 10 * 60)],
        source="test",
        now=NOW,
        stale_after=timedelta(hours=1),
    )
    assert (report.stored, report.stale, report.queued) == (1, 1, ())
