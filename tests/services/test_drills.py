"""Drills replayed through the services at speed max, on SQLite and PostgreSQL: marked as a
drill everywhere, kept out of real lists and sweeps, the scripted delays in the record."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from crossrisk.data import bundled_drill_path, bundled_drills
from crossrisk.domain.delivery import ChannelKind
from crossrisk.domain.drills.drill import Drill, DrillState
from crossrisk.domain.drills.scenario import Scenario
from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.organisation import system_actor
from crossrisk.domain.register import RiskQuery
from crossrisk.domain.risk import RiskStatus
from crossrisk.domain.warning_plan import MessageType
from crossrisk.services import (
    delivery,
    drills,
    duties,
    live,
    register,
    reviews,
    risks,
    warnings,
)
from crossrisk.services.drill_review import drill_review
from crossrisk.store.models import DeliveryRow, DrillRow, JournalEntryRow, RiskRow
from crossrisk.store.uow import UnitOfWork
from tests.delivery_fixtures import RECEIVERS_GUARD
from tests.support import T0, XINAN_SPILL, actor, draft

NOW = T0 + timedelta(days=2)
HANGZHOU = "ema-330100"


def pace(now: Any = NOW) -> drills.Pace:
    return drills.Pace(clock=lambda: now, wait=lambda seconds: None, elapsed=lambda: 0.0)


def scenario_text(name: str) -> str:
    path = bundled_drill_path(name)
    assert path is not None
    return path.read_text("utf-8")


def run(uow: UnitOfWork, name: str = "xinan_styrene") -> Drill:
    return drills.run_drill(
        uow, system_actor("drill"), scenario_text(name), speed=None, pace=pace()
    )


def journal(uow: UnitOfWork) -> list[Any]:
    with uow.read_only() as tx:
        return list(tx.journal.entries())


def count(uow: UnitOfWork, table: type[Any]) -> int:
    with uow.read_only() as tx:
        return tx.session.scalar(select(func.count()).select_from(table)) or 0


def test_the_xinan_drill_warns_hangzhou_in_exercise_and_its_acknowledgement_is_3_h_late(
    uow: UnitOfWork,
) -> None:
    drill = run(uow)
    assert drill.state is DrillState.ENDED, drill.failure
    assert drill.clock_start == NOW - timedelta(hours=12)
    with uow.read_only() as tx:
        (risk,) = tx.risks.list(region_codes=None, drill_id=drill.id)
        assert risk.drill_id == drill.id and risk.status is RiskStatus.CLOSED
        assert risk.created_at == drill.clock_start
        first = tx.warnings.history(risk.id or 0, "330100")[0]
        cap = tx.warnings.cap_xml(first.id).decode()
    assert first.msg_type is MessageType.ALERT
    assert "<status>Exercise</status>" in cap and "Actual" not in cap
    assert first.acknowledged_at == first.warning.issued_at + timedelta(hours=3)
    assert first.acknowledged_by == "drill:ema-330100"
    (acknowledged,) = [e for e in journal(uow) if e.action == "warning.acknowledged"]
    assert acknowledged.payload["late"] is True
    assert acknowledged.at == drill.clock_start + timedelta(hours=3)
    reported = [e for e in journal(uow) if e.action == "risk.reported"]
    assert [e.at - drill.clock_start for e in reported] == [
        timedelta(minutes=40),
        timedelta(hours=4),
    ]


def test_a_drill_journals_its_start_and_end_and_its_risk_entries_carry_it(
    uow: UnitOfWork,
) -> None:
    drill = run(uow)
    entries = journal(uow)
    actions = [e.action for e in entries if e.subject == f"drill:{drill.id}"]
    assert actions == ["drill.started", "drill.ended"]
    started = next(e for e in entries if e.action == "drill.started")
    assert started.payload["drill"] == drill.id
    assert started.payload["scenario_sha256"] == drill.scenario_sha256
    for action in ("risk.registered", "risk.withdrawn"):
        (entry,) = [e for e in entries if e.action == action]
        assert entry.payload["drill"] == drill.id
        assert entry.actor == "drill:ema-341000"


def test_the_timeline_opens_with_the_start_then_runs_by_time_through_the_review_after_it(
    uow: UnitOfWork,
) -> None:
    drill = run(uow)
    assert drill.id is not None
    (risk,) = drills.drill_record(uow, system_actor("drill"), drill.id, now=NOW).risks
    later = NOW + timedelta(hours=2)
    reviews.rate_capability(
        uow,
        actor(uow, "yrd-evaluator"),
        risk.id or 0,
        capability="operational_communications",
        rating="S",
        now=later,
    )
    timeline = drills.drill_record(uow, system_actor("drill"), drill.id, now=later).timeline
    actions = [e.action for e in timeline]
    assert actions[0] == "drill.started"
    assert actions[-1] == "review.rated"  # the evaluator's work, after the drill ended
    assert actions.index("drill.ended") < actions.index("review.rated")
    # the start is written at the real moment, after every entry of the drill's clock
    scenario = timeline[1 : actions.index("drill.ended")]
    assert all(e.at <= timeline[0].at for e in scenario)
    moments = [e.at for e in scenario]
    assert moments == sorted(moments) and moments[0] == drill.clock_start


def test_no_drill_entry_is_dated_after_the_time_it_was_written(uow: UnitOfWork) -> None:
    run(uow)
    assert max(e.at for e in journal(uow)) <= NOW


def test_real_lists_leave_the_drills_risk_warning_and_duties_out(uow: UnitOfWork) -> None:
    real = risks.register_risk(
        uow, actor(uow, "ema-341000"), draft(**XINAN_SPILL), region_code="yrd", now=T0
    )
    drill = run(uow)
    committee = actor(uow, "yrd-committee")
    hangzhou = actor(uow, HANGZHOU)
    assert [r.id for r in risks.list_risks(uow, committee)] == [real.id]
    page = register.search_register(uow, committee, RiskQuery())
    assert [r.id for r in page.risks] == [real.id]
    assert {m.warning.risk_id for m in warnings.inbox(uow, hangzhou)} == {real.id}
    assert {d.risk_id for d in duties.duties_for(uow, hangzhou, now=NOW)} == {real.id}
    record = drills.drill_record(uow, committee, drill.id or 0, now=NOW)
    assert [r.id for r in record.risks] != [real.id] and len(record.risks) == 1
    assert {m.warning.recipient_code for m in record.warnings} == {"330100"}


def test_a_drill_queues_nothing_to_external_channels(uow: UnitOfWork) -> None:
    delivery.add_channel(
        uow,
        system_actor(),
        organisation_code=HANGZHOU,
        kind=ChannelKind.WEBHOOK,
        address="http://127.0.0.1:9/drill",
        secret="whsec_aGFuZ3pob3UtZHV0eS1kZXNrLWtleS0yMDI2",
        guard=RECEIVERS_GUARD,
        topic_prefix="crossrisk",
        now=T0,
    )
    run(uow)
    assert count(uow, DeliveryRow) == 0


def test_the_worker_sweeps_real_warnings_only_and_the_drill_its_own(uow: UnitOfWork) -> None:
    with uow as tx:
        drill = tx.drills.add(_drill())
        tx.commit()
    risk = risks.register_risk(
        uow,
        actor(uow, "ema-341000"),
        replace(draft(**XINAN_SPILL), drill_id=drill.id),
        region_code="yrd",
        now=T0,
    )
    later = T0 + timedelta(days=1)
    assert warnings.sweep_deadlines(uow, now=later) == warnings.SweepReport()
    swept = warnings.sweep_deadlines(uow, now=later, drill_id=drill.id)
    assert swept.escalated == 1
    with uow.read_only() as tx:
        (message,) = tx.warnings.newest(drill_id=drill.id)
    assert message.warning.risk_id == risk.id and message.escalated_at == later


def test_the_review_has_the_shared_metrics_and_the_cases_the_drill_opened(
    uow: UnitOfWork,
) -> None:
    drill = run(uow)
    with uow.read_only() as tx:
        review = drill_review(tx, drill, now=NOW)
    assert review["drill"]["id"] == drill.id
    metrics = {(m["name"], m["party"]): m for m in review["metrics"]}
    assert metrics[("ack_latency", "ema-330100")]["value"] == 180.0
    assert metrics[("ack_in_time_share", None)]["value"] == 0.0
    assert metrics[("report_latency", None)]["value"] == 40.0
    assert all(m["definition"] and m["definition_zh"] and "unit" in m for m in review["metrics"])
    # Closing the drill's risk opened the case of Hangzhou's late acknowledgement, the drill's.
    # The committee convened and the office followed up as the scenario says, in time: the
    # only case is Hangzhou's.
    assert [(c["party"], c["kind"]) for c in review["cases"]] == [("ema-330100", "duty_late")]
    assert review["cases"][0]["state"] == "opened"
    done = [e.payload for e in journal(uow) if e.action == "duty.done"]
    assert {"drill.convened", "duty.acknowledged"} <= {d["via"] for d in done}
    with uow.read_only() as tx:
        stored = tx.cases.listed(region_codes=None, drill_id=drill.id)
    assert {c.id for c in stored} == {c["id"] for c in review["cases"]}
    assert all(c.drill_id == drill.id for c in stored)


def test_a_scenario_with_problems_is_refused_before_anything_is_written(
    uow: UnitOfWork,
) -> None:
    before = (count(uow, DrillRow), count(uow, RiskRow), count(uow, JournalEntryRow))
    text = scenario_text("xinan_styrene").replace("station: tunxi", "station: atlantis")
    try:
        drills.run_drill(uow, system_actor("drill"), text, speed=None, pace=pace())
    except InvalidInput as refused:
        assert refused.key == "drill-scenario-invalid"
        assert "unknown station atlantis" in str(refused)
    else:
        raise AssertionError("the scenario was run")
    assert (count(uow, DrillRow), count(uow, RiskRow), count(uow, JournalEntryRow)) == before


def test_only_the_committee_starts_a_drill(uow: UnitOfWork) -> None:
    before = count(uow, JournalEntryRow)
    try:
        drills.run_drill(
            uow, actor(uow, "ema-341000"), scenario_text("xinan_styrene"), speed=None, pace=pace()
        )
    except Exception as refused:
        assert getattr(refused, "key", "") == "not-coordinator"
    else:
        raise AssertionError("a city started a drill")
    assert count(uow, JournalEntryRow) == before and count(uow, DrillRow) == 0


def test_a_step_the_services_refuse_ends_the_drill_as_failed(uow: UnitOfWork) -> None:
    # Hangzhou is no origin of the spill: its report is refused, and the drill fails.
    text = scenario_text("xinan_styrene").replace(
        '  - party: "341000"\n    hazard: spill\n    offset: 40m',
        '  - party: "330100"\n    hazard: spill\n    offset: 40m',
    )
    drill = drills.run_drill(uow, system_actor("drill"), text, speed=None, pace=pace())
    assert drill.state is DrillState.FAILED
    assert drill.failure.startswith("report-not-origin")
    assert journal(uow)[-1].action == "drill.failed"


def test_every_bundled_scenario_reads_and_runs(uow: UnitOfWork) -> None:
    assert bundled_drills() == ["huai_flood", "taicang_plume", "xinan_styrene"]
    for name in ("huai_flood", "taicang_plume"):
        found = drills.check_scenario(uow, scenario_text(name))
        assert isinstance(found, Scenario), found
        drill = run(uow, name)
        assert drill.state is DrillState.ENDED, drill.failure
    entries = journal(uow)
    offers = [e for e in entries if e.action == "aid_offer.made"]
    assert [e.actor for e in offers] == ["drill:ema-340400", "drill:ema-320800"]
    corrected = [e.payload["figures"] for e in entries if e.action == "risk.reported"][-2:]
    assert corrected == [{"released_t": 0.5}, {"released_t": 8.0}]


def _drill() -> Drill:
    return Drill(
        id=None,
        region_code="yrd",
        code="hand",
        title_zh="手工",
        title_en="By hand",
        scenario="",
        scenario_sha256="0" * 64,
        speed=None,
        duration_minutes=60,
        clock_start=T0,
        started_at=T0,
        started_by="test",
    )


def test_bundled_paths_are_files() -> None:
    for name in bundled_drills():
        path = bundled_drill_path(name)
        assert path is not None and Path(path).is_file()
    assert bundled_drill_path("../plans/default") is None


def test_the_live_picture_streams_real_risks_only(uow: UnitOfWork) -> None:
    real = risks.register_risk(
        uow, actor(uow, "ema-341000"), draft(**XINAN_SPILL), region_code="yrd", now=T0
    )
    run(uow)
    batch = live.events_after(uow, actor(uow, "yrd-committee"), 0, limit=10_000)
    streamed = {e.data.get("risk_id") for e in batch.events if e.action.startswith("risk.")}
    assert streamed == {real.id}
    assert all(e.data.get("risk_id") in (real.id, None) for e in batch.events)
    assert any(e.action == "warning.issued" for e in batch.events)


def test_a_drill_asks_for_no_journal_checkpoint(uow: UnitOfWork) -> None:
    from crossrisk.store.models import JournalCheckpointRow

    drill = run(uow)
    with uow.read_only() as tx:
        (risk,) = tx.risks.list(region_codes=None, drill_id=drill.id)
    assert risk.level.value in ("I", "II")
    assert count(uow, JournalCheckpointRow) == 0


def test_the_huai_drill_accepts_its_offers_and_the_late_donor_delivers_late(
    uow: UnitOfWork,
) -> None:
    with uow.read_only() as tx:
        stock_entries_before = sum(1 for e in tx.journal.entries() if e.action.startswith("stock"))
    drill = run(uow, "huai_flood")
    assert drill.state is DrillState.ENDED, drill.failure
    entries = journal(uow)
    # Each reading judged by the Wujiadu gauge's rule: blue at 20.4 m, yellow at 21.7 m.
    readings = [e.payload for e in entries if e.action == "drill.observed"]
    assert [r["value"] for r in readings] == [19.6, 20.0, 20.4, 21.0, 21.7, 22.1, 21.9]
    assert [r["firing"] and r["firing"]["colour"] for r in readings] == [
        None,
        None,
        "blue",
        "blue",
        "yellow",
        "yellow",
        "yellow",
    ]
    assert all(r["unit"] == "m" for r in readings)
    accepted = [e for e in entries if e.action == "aid_offer.accepted"]
    assert [e.actor for e in accepted] == ["drill:ema-340300", "drill:ema-340300"]
    dispatched = [e for e in entries if e.action == "shipment.dispatched"]
    received = [e for e in entries if e.action == "shipment.received"]
    assert len(dispatched) == len(received) == 4  # two donors, sandbags and pumps each
    assert all(e.payload["drill"] == drill.id and e.payload["issued"] == [] for e in dispatched)
    assert all(e.payload["received_into"] is None for e in received)
    # Imagined goods move no stock, the donors' or Bengbu's.
    assert sum(1 for e in entries if e.action.startswith("stock")) == stock_entries_before
    with uow.read_only() as tx:
        review = drill_review(tx, drill, now=NOW)
    value = {(m["name"], m["party"]): m["value"] for m in review["metrics"]}
    assert value[("aid_fill_rate", None)] == 1.0
    assert value[("aid_on_time_share", None)] == 0.5  # Huai'an's two arrive 3 h after due
    assert value[("party_aid_on_time_share", "ema-340400")] == 1.0
    assert value[("party_aid_on_time_share", "ema-320800")] == 0.0
    shown = drills.drill_record(uow, actor(uow, "yrd-committee"), drill.id or 0, now=NOW)
    actions = [e.action for e in shown.timeline]
    for action in ("aid_offer.made", "aid_offer.accepted", "shipment.dispatched"):
        assert actions.count(action) >= 2, action
    assert actions.index("shipment.received") > actions.index("shipment.dispatched")


def test_a_drill_reading_outside_the_gauges_range_is_refused_and_ends_the_drill_failed(
    uow: UnitOfWork,
) -> None:
    text = scenario_text("huai_flood").replace(
        "{offset: 1h, value: 20.0}", "{offset: 1h, value: 99}"
    )
    drill = drills.run_drill(uow, system_actor("drill"), text, speed=None, pace=pace())
    assert drill.state is DrillState.FAILED
    assert drill.failure.startswith("observation-")
    assert not [
        e for e in journal(uow) if e.action == "drill.observed" and e.payload["value"] == 99
    ]
