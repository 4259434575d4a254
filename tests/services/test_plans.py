"""Contingency plans: imported and versioned by the committee, activated by the analysis
or by hand with a reason, drawing the risk's list, on both backends."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from crossrisk.domain.duty import DutyStatus
from crossrisk.domain.errors import InvalidInput, NotFound, NotPermitted
from crossrisk.domain.events import Event
from crossrisk.domain.organisation import Role
from crossrisk.domain.responsibility import DutyKind
from crossrisk.domain.risk import RiskCategory
from crossrisk.services import duties, plan_activation, plans, risks
from crossrisk.store.uow import UnitOfWork
from tests.support import HUANGSHAN_TUNXI, T0, actor, draft

EXAMPLE = Path(__file__).parents[2] / "crossrisk" / "data" / "plans" / "examples"
XINAN_FLOOD = (EXAMPLE / "xinan_flood.yaml").read_text("utf-8")
FLOOD = dict(
    where=HUANGSHAN_TUNXI,
    category=RiskCategory.NATURAL_DISASTER,
    hazard_type="flood_wave",
    title="新安江洪水",
)


def entries(uow: UnitOfWork, action: str) -> list[dict]:
    with uow.read_only() as tx:
        return [dict(e.payload) for e in tx.journal.entries() if e.action == action]


def written(uow: UnitOfWork) -> tuple[int, int, int]:
    """Plan rows, activation rows and journal length: a refusal changes none."""
    with uow.read_only() as tx:
        return (*tx.plans.count(), sum(1 for _ in tx.journal.entries()))


def import_example(uow: UnitOfWork, text: str = XINAN_FLOOD) -> plans.PlanVersion:
    return plans.import_plan(uow, actor(uow, "yrd-committee"), "yrd", text, note="示例", now=T0)


def test_the_committee_imports_a_plan_and_a_new_version_of_it(uow: UnitOfWork) -> None:
    heard: list[Event] = []
    uow.bus.subscribe(heard.append)
    first = import_example(uow)
    second = import_example(uow)
    assert (first.plan.code, first.plan.version, second.plan.version) == ("xinan-flood", 1, 2)
    assert first.plan.id != second.plan.id and second.document == XINAN_FLOOD
    imported = entries(uow, "plan.imported")
    assert [e["version"] for e in imported] == [1, 2]
    assert imported[0]["plan_id"] == first.plan.id and imported[0]["code"] == "xinan-flood"
    assert [e.name for e in heard] == ["plan.imported", "plan.imported"]
    listed = plans.list_plans(uow, actor(uow, "ema-330100"), "yrd")
    assert (listed[0].plan.id, listed[0].plan.version) == (0, 1)  # the default first
    assert len(listed) == 3


@pytest.mark.parametrize(
    ("who", "role"), [("ema-341000", Role.VIEWER), ("ema-341000", Role.OFFICER)]
)
def test_only_the_committee_imports_and_nothing_is_written(
    uow: UnitOfWork, who: str, role: Role
) -> None:
    before = written(uow)
    with pytest.raises(NotPermitted):
        plans.import_plan(uow, actor(uow, who, role), "yrd", XINAN_FLOOD, now=T0)
    assert written(uow) == before


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("role: central_office", "role: mayor", "unknown-role"),
        ("[flood_wave]", "[tsunami]", "unknown-hazard-type"),
        (
            "{I: 30m, II: 1h, III: 2h, IV: 4h}",
            "{I: 30m, II: soon, III: 2h, IV: 4h}",
            "not-duration",
        ),
    ],
)
def test_a_plan_file_with_problems_is_refused_by_line_and_nothing_written(
    uow: UnitOfWork, old: str, new: str, key: str
) -> None:
    before = written(uow)
    bad = XINAN_FLOOD.replace(old, new, 1)
    with pytest.raises(InvalidInput) as caught:
        import_example(uow, bad)
    found = caught.value.params["errors"]
    line = next(i for i, text in enumerate(bad.splitlines()) if new in text) + 1
    assert {"line": line, "key": key} in [{"line": p["line"], "key": p["key"]} for p in found]  # type: ignore[union-attr]
    assert written(uow) == before


def test_a_matching_plan_is_activated_once_and_draws_its_tasks(uow: UnitOfWork) -> None:
    imported = import_example(uow)
    officer = actor(uow, "ema-341000")
    risk = risks.register_risk(uow, officer, draft(**FLOOD), region_code="yrd", now=T0)
    activated = entries(uow, "plan.activated")
    assert activated == [
        {
            "risk_id": risk.id,
            "plan_id": imported.plan.id,
            "plan_code": "xinan-flood",
            "plan_version": 1,
            "by_hand": False,
            "reason": "",
        }
    ]
    rows = duties.duties_of_risk(uow, officer, risk.id)
    spillway = [d for d in rows if d.task == "spillway-warning"]
    assert spillway and spillway[0].kind is DutyKind.TASK
    assert spillway[0].organisation_code == "ema-341000"
    assert spillway[0].source == f"plan:{imported.plan.id}@1"
    # A new analysis with the same plan and version journals no second activation.
    risks.change_risk(
        uow,
        officer,
        risk.id,
        risks.RiskChange(likelihood=4, reason="水位上涨"),
        now=T0 + timedelta(minutes=5),
    )
    assert len(entries(uow, "plan.activated")) == 1
    found = plans.plan_activation(uow, officer, risk.id)
    assert found is not None and (found.plan_id, found.by_hand) == (imported.plan.id, False)


def test_a_risk_the_default_draws_journals_no_activation(uow: UnitOfWork) -> None:
    officer = actor(uow, "ema-341000")
    risk = risks.register_risk(uow, officer, draft(**FLOOD), region_code="yrd", now=T0)
    assert entries(uow, "plan.activated") == []
    assert plans.plan_activation(uow, officer, risk.id) is None


def test_the_committee_activates_a_plan_by_hand_and_it_stays(uow: UnitOfWork) -> None:
    officer = actor(uow, "ema-341000")
    committee = actor(uow, "yrd-committee")
    risk = risks.register_risk(uow, officer, draft(**FLOOD), region_code="yrd", now=T0)
    imported = import_example(uow)  # imported after: the risk still has the default
    later = T0 + timedelta(minutes=10)
    plan_activation.activate_plan(
        uow, committee, risk.id, imported.plan.id, reason="会商决定启动联动预案", now=later
    )
    activated = entries(uow, "plan.activated")
    assert activated[-1]["by_hand"] is True and activated[-1]["reason"] == "会商决定启动联动预案"
    rows = duties.duties_of_risk(uow, officer, risk.id)
    assert any(d.task == "spillway-warning" and d.status is DutyStatus.OPEN for d in rows)
    # Back to the default by hand: the plan's own tasks leave the list; it stays on change.
    plan_activation.activate_plan(uow, committee, risk.id, 0, reason="解除联动", now=later)
    risks.change_risk(
        uow, officer, risk.id, risks.RiskChange(likelihood=4, reason="复核"), now=later
    )
    rows = duties.duties_of_risk(uow, officer, risk.id)
    assert all(d.status is DutyStatus.CANCELLED for d in rows if d.kind is DutyKind.TASK)
    assert len(entries(uow, "plan.activated")) == 2


def test_activating_another_regions_plan_or_as_a_city_is_refused(uow: UnitOfWork) -> None:
    officer = actor(uow, "ema-341000")
    risk = risks.register_risk(uow, officer, draft(**FLOOD), region_code="yrd", now=T0)
    other = plans.import_plan(
        uow,
        actor(uow, "pearl-committee"),
        "pearl",
        XINAN_FLOOD.replace("[flood_wave]", "[]"),
        now=T0,
    )
    before = written(uow)
    committee = actor(uow, "yrd-committee")
    with pytest.raises(InvalidInput) as caught:
        plan_activation.activate_plan(uow, committee, risk.id, other.plan.id, reason="x", now=T0)
    assert caught.value.key == "plan-other-region"
    with pytest.raises(NotPermitted):
        plan_activation.activate_plan(uow, officer, risk.id, 0, reason="x", now=T0)
    with pytest.raises(NotFound):
        plan_activation.activate_plan(uow, committee, risk.id, 2**31 - 1, reason="x", now=T0)
    with pytest.raises(InvalidInput):
        plan_activation.activate_plan(uow, committee, risk.id, 0, reason=" ", now=T0)
    assert written(uow) == before


def test_the_warnings_fall_due_when_the_activated_plan_says(uow: UnitOfWork) -> None:
    quick = XINAN_FLOOD.replace(
        "normal: {I: 30m, II: 1h, III: 2h, IV: 8h}", "normal: {I: 20m, II: 20m, III: 20m, IV: 20m}"
    )
    assert quick != XINAN_FLOOD
    import_example(uow, quick)
    officer = actor(uow, "ema-341000")
    risk = risks.register_risk(uow, officer, draft(**FLOOD), region_code="yrd", now=T0)
    with uow.read_only() as tx:
        threads = tx.warnings.threads(risk.id)
    assert threads, "the flood warns its downstream neighbours"
    rows = duties.duties_of_risk(uow, officer, risk.id)
    for thread in threads.values():
        warning = thread.current
        # Under the default plan these would be 30 min to 8 h; the plan's 20 min rule them,
        # capped at an earlier arrival but never below the 15-minute floor.
        assert timedelta(minutes=15) <= warning.ack_deadline - T0 <= timedelta(minutes=20)
        owed = [
            d
            for d in rows
            if d.kind is DutyKind.PREPARE_AND_ACKNOWLEDGE
            and d.jurisdiction_code == warning.recipient_code
        ]
        assert owed and owed[0].deadline == warning.ack_deadline
