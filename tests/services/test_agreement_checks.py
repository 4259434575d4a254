"""The obligations of agreements in force, checked against stocks, gauges and the fund;
the worker journals only a change of status, at most once an hour per region."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crossrisk.domain.agreements.obligation_status import ObligationStatus
from crossrisk.domain.aid.stock import StockDraft, Warehouse
from crossrisk.domain.organisation import system_actor
from crossrisk.services import (
    agreement_checks,
    agreements,
    evaluation,
    observations,
    risks,
    stocks,
)
from crossrisk.services.worker import Worker
from crossrisk.store.uow import UnitOfWork
from tests.agreements_support import COMMITTEE, HANGZHOU, PARTIES, mutual_aid
from tests.monitoring_support import record
from tests.support import T0, XINAN_SPILL, actor, draft

DEPOT = Warehouse(name="杭州市应急物资储备库", lon=120.2, lat=30.3)
IN_FORCE = T0 + timedelta(hours=1)


def in_force(uow: UnitOfWork) -> int:
    made = agreements.draft_agreement(uow, actor(uow, COMMITTEE), "yrd", mutual_aid(), now=T0)
    for party in (*PARTIES, COMMITTEE):
        agreements.sign_agreement(uow, actor(uow, party), made.id or 0, now=IN_FORCE)
    return made.id or 0


def sandbags(uow: UnitOfWork, quantity: float) -> None:
    """Hangzhou records a stock of sandbags."""
    draft = StockDraft("330100", "sandbag", quantity, DEPOT)
    stocks.record_stock(uow, actor(uow, HANGZHOU), draft, region_code="yrd", now=IN_FORCE)


def statuses(uow: UnitOfWork, agreement_id: int, hours: float) -> list[ObligationStatus]:
    checks = agreement_checks.obligation_checks(
        uow, actor(uow, HANGZHOU), agreement_id, now=IN_FORCE + timedelta(hours=hours)
    )
    return [c.checked.status for c in checks]


def obligation_entries(uow: UnitOfWork) -> list[tuple[str, int]]:
    with uow.read_only() as tx:
        return [
            (e.action, e.payload["position"])
            for e in tx.journal.entries()
            if e.action.startswith("agreement.obligation_")
        ]


def test_each_obligation_is_read_from_the_record(stations: UnitOfWork) -> None:
    agreement_id = in_force(stations)
    sandbags(stations, 2500)
    observations.ingest(
        stations, system_actor("gateway"), [record(20.0, 60)], source="test", now=IN_FORCE
    )

    assert statuses(stations, agreement_id, 1) == [
        ObligationStatus.KEPT,  # 2,500 sandbags held, 2,000 agreed
        ObligationStatus.KEPT,  # the gauge reported within 6 hours
        ObligationStatus.NOT_CHECKABLE,  # no risk to report yet
        ObligationStatus.NOT_CHECKABLE,  # no aid request to answer yet
        ObligationStatus.PENDING,  # the fund waits for the compensation capability
    ]
    later = agreement_checks.obligation_checks(
        stations, actor(stations, HANGZHOU), agreement_id, now=IN_FORCE + timedelta(hours=12)
    )
    assert later[1].checked.status is ObligationStatus.UNMET
    assert later[1].checked.evidence["age_hours"] == 12.0


def test_a_draft_has_no_obligation_to_check(stations: UnitOfWork) -> None:
    made = agreements.draft_agreement(
        stations, actor(stations, COMMITTEE), "yrd", mutual_aid(), now=T0
    )
    assert statuses(stations, made.id or 0, 1) == []


def test_the_worker_journals_a_status_only_when_it_changes(stations: UnitOfWork) -> None:
    in_force(stations)
    seen: list[str] = []
    stations.bus.subscribe(lambda event: seen.append(event.name))

    first = agreement_checks.check_obligations(stations, now=IN_FORCE)
    again = agreement_checks.check_obligations(stations, now=IN_FORCE + timedelta(minutes=30))
    sandbags(stations, 2000)
    hour_later = agreement_checks.check_obligations(stations, now=IN_FORCE + timedelta(hours=1))
    unchanged = agreement_checks.check_obligations(stations, now=IN_FORCE + timedelta(hours=2))

    # No sandbags and a silent gauge: both unmet; the hour is not up at 30 minutes.
    assert (first, again, hour_later, unchanged) == (2, 0, 1, 0)
    assert obligation_entries(stations) == [
        ("agreement.obligation_unmet", 1),
        ("agreement.obligation_unmet", 2),
        ("agreement.obligation_kept", 1),
    ]
    assert seen.count("agreement.obligation_kept") == 1


def test_an_agreement_newly_in_force_is_checked_at_the_next_pass(stations: UnitOfWork) -> None:
    in_force(stations)
    assert agreement_checks.check_obligations(stations, now=IN_FORCE) == 2
    second = in_force(stations)

    changes = agreement_checks.check_obligations(stations, now=IN_FORCE + timedelta(minutes=20))

    assert changes == 2  # the second one's reserve and gauge; the first one's are not news
    with stations.read_only() as tx:
        entries = [
            e.payload["agreement_id"]
            for e in tx.journal.entries()
            if e.action.startswith("agreement.obligation_")
        ]
    assert entries[-2:] == [second, second]


def test_the_worker_checks_the_obligations_next_to_the_duty_reminders(
    stations: UnitOfWork,
) -> None:
    in_force(stations)
    later = IN_FORCE + timedelta(minutes=5)

    done = Worker(stations, {}, clock=lambda: later).run_once()

    assert done.obligation_changes == 2
    assert Worker(stations, {}, clock=lambda: later).run_once().obligation_changes == 0


def test_a_risks_metrics_count_the_checks_made_while_it_ran(stations: UnitOfWork) -> None:
    in_force(stations)
    risk = risks.register_risk(
        stations, actor(stations, "ema-341000"), draft(**XINAN_SPILL), region_code="yrd", now=T0
    )
    agreement_checks.check_obligations(stations, now=IN_FORCE)  # both unmet
    sandbags(stations, 2000)
    agreement_checks.check_obligations(stations, now=IN_FORCE + timedelta(hours=1))  # one kept

    metrics = evaluation.risk_metrics(
        stations, actor(stations, COMMITTEE), risk.id or 0, now=IN_FORCE + timedelta(hours=2)
    )

    (kept,) = [m for m in metrics if m.name == "obligations_kept_share"]
    # Two obligations as last checked: the sandbags kept, the silent gauge unmet. The
    # search for the checks once matched no action at all, and the share was always null.
    assert kept.value == pytest.approx(0.5)
