"""The region's normal and emergency state: the committee switches it with a reason,
journaled; lists drawn afterwards take the emergency deadlines, open duties keep theirs;
anyone else is refused and nothing changes. Both backends."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crossrisk.domain.errors import Conflict, CrossriskError, InvalidInput, NotPermitted
from crossrisk.domain.events import Event
from crossrisk.domain.organisation import Role
from crossrisk.domain.responsibility import DutyKind, RegionState
from crossrisk.services import duties, region_state, risks
from crossrisk.services.policy_tables import default_plan
from crossrisk.store.uow import UnitOfWork
from tests.support import T0, actor, draft

LATER = T0 + timedelta(hours=1)


def journal_length(uow: UnitOfWork) -> int:
    with uow.read_only() as tx:
        return sum(1 for _ in tx.journal.entries())


def report_duty(uow: UnitOfWork, risk_id: int) -> duties.DutyRecord:
    rows = duties.duties_of_risk(uow, actor(uow, "ema-341000"), risk_id)
    return next(d for d in rows if d.kind is DutyKind.HANDLE_AND_REPORT)


def test_the_committee_switches_to_emergency_and_later_lists_take_its_deadlines(
    uow: UnitOfWork,
) -> None:
    officer = actor(uow, "ema-341000")
    before = risks.register_risk(uow, officer, draft(), region_code="yrd", now=T0)
    kept = report_duty(uow, before.id or 0).deadline
    heard: list[Event] = []
    uow.bus.subscribe(heard.append)

    switched = region_state.switch_state(
        uow,
        actor(uow, "yrd-committee"),
        "yrd",
        RegionState.EMERGENCY,
        reason="新安江突发苯乙烯泄漏",
        now=LATER,
    )

    assert switched.emergency and switched.since == LATER
    shown = region_state.current_state(uow, officer, "yrd")
    assert (shown.state, shown.since, shown.reason) == (
        RegionState.EMERGENCY,
        LATER,
        "新安江突发苯乙烯泄漏",
    )
    assert shown.changed_by == switched.changed_by != ""
    with uow.read_only() as tx:
        (entry,) = [e for e in tx.journal.entries() if e.action == "region.state_changed"]
    assert dict(entry.payload) == {
        "region": "yrd",
        "from": "normal",
        "to": "emergency",
        "reason": "新安江突发苯乙烯泄漏",
        "redrawn": 0,
    }
    assert entry.subject == "region:yrd" and entry.at == LATER
    assert [e.name for e in heard] == ["region.state_changed"]
    # The open duty keeps the deadline it was given…
    assert report_duty(uow, before.id or 0).deadline == kept
    # …and a list drawn now reads the plan's emergency column.
    after = risks.register_risk(uow, officer, draft(), region_code="yrd", now=LATER)
    minutes = default_plan().minutes(DutyKind.HANDLE_AND_REPORT, after.level, RegionState.EMERGENCY)
    normal = default_plan().minutes(DutyKind.HANDLE_AND_REPORT, after.level, RegionState.NORMAL)
    assert minutes is not None and normal is not None and minutes < normal
    assert report_duty(uow, after.id or 0).deadline == LATER + timedelta(minutes=minutes)
    history = region_state.state_history(uow, officer, "yrd")
    assert [(h.state, h.since) for h in history] == [(RegionState.EMERGENCY, LATER)]


def test_switching_back_is_journaled_and_the_history_is_newest_first(uow: UnitOfWork) -> None:
    committee = actor(uow, "yrd-committee")
    region_state.switch_state(uow, committee, "yrd", RegionState.EMERGENCY, reason="汛情", now=T0)
    region_state.switch_state(uow, committee, "yrd", RegionState.NORMAL, reason="解除", now=LATER)
    history = region_state.state_history(uow, committee, "yrd")
    assert [(h.state, h.reason) for h in history] == [
        (RegionState.NORMAL, "解除"),
        (RegionState.EMERGENCY, "汛情"),
    ]
    with uow.read_only() as tx:
        assert tx.regions.state("yrd") is RegionState.NORMAL


@pytest.mark.parametrize(
    ("who", "role", "state", "reason", "error"),
    [
        ("ema-341000", Role.OFFICER, RegionState.EMERGENCY, "汛情", NotPermitted),
        ("central-office", Role.OFFICER, RegionState.EMERGENCY, "汛情", NotPermitted),
        ("yrd-committee", Role.VIEWER, RegionState.EMERGENCY, "汛情", NotPermitted),
        ("pearl-committee", Role.OFFICER, RegionState.EMERGENCY, "汛情", NotPermitted),
        ("yrd-evaluator", Role.OFFICER, RegionState.EMERGENCY, "汛情", NotPermitted),
        ("yrd-committee", Role.OFFICER, RegionState.NORMAL, "已是常态", Conflict),
        ("yrd-committee", Role.OFFICER, RegionState.EMERGENCY, "", InvalidInput),
        ("yrd-committee", Role.OFFICER, RegionState.EMERGENCY, "汛\x00情", InvalidInput),
        ("yrd-committee", Role.OFFICER, RegionState.EMERGENCY, "x" * 2001, InvalidInput),
    ],
)
def test_a_switch_by_anyone_but_the_committee_or_without_a_reason_changes_nothing(
    uow: UnitOfWork,
    who: str,
    role: Role,
    state: RegionState,
    reason: str,
    error: type[CrossriskError],
) -> None:
    before = journal_length(uow)
    with pytest.raises(error):
        region_state.switch_state(uow, actor(uow, who, role), "yrd", state, reason=reason, now=T0)
    assert journal_length(uow) == before
    with uow.read_only() as tx:
        assert tx.regions.state("yrd") is RegionState.NORMAL


def test_an_unknown_state_is_refused_by_name() -> None:
    with pytest.raises(InvalidInput) as caught:
        region_state.parse_state("martial")
    assert caught.value.key == "region-state-unknown"


def test_a_policy_that_redraws_open_lists_brings_their_deadlines_forward(
    uow: UnitOfWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(region_state, "redraw_open_duties_on_switch", lambda: True)
    officer = actor(uow, "ema-341000")
    risk = risks.register_risk(uow, officer, draft(), region_code="yrd", now=T0)
    given = report_duty(uow, risk.id or 0).deadline
    switch_at = T0 + timedelta(minutes=5)

    region_state.switch_state(
        uow, actor(uow, "yrd-committee"), "yrd", RegionState.EMERGENCY, reason="汛情", now=switch_at
    )

    minutes = default_plan().minutes(DutyKind.HANDLE_AND_REPORT, risk.level, RegionState.EMERGENCY)
    assert minutes is not None
    assert (
        report_duty(uow, risk.id or 0).deadline
        == min(given, switch_at + timedelta(minutes=minutes))
        < given
    )
    with uow.read_only() as tx:
        (entry,) = [e for e in tx.journal.entries() if e.action == "region.state_changed"]
    assert entry.payload["redrawn"] == 1
