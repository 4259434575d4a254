"""The risk register's use cases, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crossrisk.domain.errors import Conflict, InvalidInput, InvalidTransition, NotPermitted
from crossrisk.domain.events import Event
from crossrisk.domain.organisation import Role
from crossrisk.domain.risk import EventLevel, RiskStatus
from crossrisk.services import risks
from crossrisk.store.uow import UnitOfWork
from tests.support import HANGZHOU, OUTSIDE, SHANGHAI, SUZHOU_JS, T0, actor, draft, point


def journal_length(uow: UnitOfWork) -> int:
    with uow.read_only() as tx:
        return sum(1 for _ in tx.journal.entries())


def test_origin_city_registers_a_risk_it_leads(uow: UnitOfWork) -> None:
    seen: list[Event] = []
    uow.bus.subscribe(seen.append)
    before = journal_length(uow)

    risk = risks.register_risk(uow, actor(uow, "ema-341000"), draft(), region_code="yrd", now=T0)

    assert risk.id is not None
    assert risk.origin_codes == ("341000",)
    assert risk.status is RiskStatus.IDENTIFIED
    assert risk.level is EventLevel.II
    with uow.read_only() as tx:
        entry = tx.journal.about(f"risk:{risk.id}")[0]
        duties = tx.duties.of_risk(risk.id)
    # The registration, its analysis (reach, situation, responsibility list) and each
    # line of the list assigned as a duty.
    assert journal_length(uow) == before + 2 + len(duties)
    assert entry.action == "risk.registered"
    assert entry.organisation == "ema-341000"
    assert entry.payload["risk"]["origins"] == [{"jurisdiction": "341000", "share": 1.0}]
    assigned = ["duty.assigned"] * len(duties)
    assert [e.name for e in seen] == ["risk.registered", "risk.analysed", *assigned]


def test_city_cannot_register_a_risk_in_another_city(uow: UnitOfWork) -> None:
    before = journal_length(uow)
    with pytest.raises(NotPermitted):
        risks.register_risk(uow, actor(uow, "ema-330100"), draft(), region_code="yrd", now=T0)
    with uow.read_only() as tx:
        assert tx.risks.count() == 0
    assert journal_length(uow) == before


def test_source_spanning_two_cities_lists_the_larger_share_first(uow: UnitOfWork) -> None:
    # A line from Suzhou's Taihu shore into Shanghai, mostly in Suzhou.
    line = {"type": "LineString", "coordinates": [list(SUZHOU_JS), [121.2, 31.2], list(SHANGHAI)]}
    risk = risks.register_risk(
        uow, actor(uow, "yrd-committee"), draft(geometry=line), region_code="yrd", now=T0
    )
    assert set(risk.origin_codes) == {"320500", "310000"}
    assert risk.origins[0].share > risk.origins[1].share
    assert abs(sum(o.share for o in risk.origins) - 1.0) < 1e-6


def test_affected_city_reads_but_cannot_change(uow: UnitOfWork) -> None:
    risk = risks.register_risk(uow, actor(uow, "ema-341000"), draft(), region_code="yrd", now=T0)
    hangzhou = actor(uow, "ema-330100")
    assert risks.get_risk(uow, hangzhou, risk.id).title == risk.title
    with pytest.raises(NotPermitted):
        risks.transition_risk(uow, hangzhou, risk.id, to=RiskStatus.ASSESSED, reason="x", now=T0)
    assert risks.get_risk(uow, hangzhou, risk.id).status is RiskStatus.IDENTIFIED


def test_other_region_cannot_read(uow: UnitOfWork) -> None:
    risk = risks.register_risk(uow, actor(uow, "ema-341000"), draft(), region_code="yrd", now=T0)
    with pytest.raises(NotPermitted):
        risks.get_risk(uow, actor(uow, "pearl-committee"), risk.id)
    assert risks.list_risks(uow, actor(uow, "pearl-committee")) == []
    assert [r.id for r in risks.list_risks(uow, actor(uow, "central-office"))] == [risk.id]


@pytest.mark.parametrize("organisation", ["yrd-committee", "central-office"])
def test_coordination_body_and_central_office_may_change(
    uow: UnitOfWork, organisation: str
) -> None:
    risk = risks.register_risk(uow, actor(uow, "ema-341000"), draft(), region_code="yrd", now=T0)
    moved = risks.transition_risk(
        uow, actor(uow, organisation), risk.id, to=RiskStatus.ASSESSED, reason="convened", now=T0
    )
    assert moved.status is RiskStatus.ASSESSED


@pytest.mark.parametrize(
    "organisation, role",
    [
        ("yrd-evaluator", Role.OFFICER),
        ("yrd-office-natural-disaster", Role.OFFICER),
        ("ema-341000", Role.VIEWER),
    ],
)
def test_readers_cannot_change(uow: UnitOfWork, organisation: str, role: Role) -> None:
    risk = risks.register_risk(uow, actor(uow, "ema-341000"), draft(), region_code="yrd", now=T0)
    with pytest.raises(NotPermitted):
        risks.change_risk(
            uow, actor(uow, organisation, role), risk.id, risks.RiskChange(likelihood=5), now=T0
        )


def test_illegal_transition_changes_nothing(uow: UnitOfWork) -> None:
    officer = actor(uow, "ema-341000")
    risk = risks.register_risk(uow, officer, draft(), region_code="yrd", now=T0)
    before = journal_length(uow)
    with pytest.raises(InvalidTransition, match="cannot become closed"):
        risks.transition_risk(uow, officer, risk.id, to=RiskStatus.CLOSED, reason="done", now=T0)
    assert risks.get_risk(uow, officer, risk.id) == risk
    assert journal_length(uow) == before


def test_full_cycle_is_kept_in_the_history(uow: UnitOfWork) -> None:
    officer = actor(uow, "ema-341000")
    risk = risks.register_risk(uow, officer, draft(), region_code="yrd", now=T0)
    steps = ["assessed", "treating", "monitoring", "closed", "identified"]
    for minutes, status in enumerate(steps, start=1):
        risk = risks.transition_risk(
            uow,
            officer,
            risk.id,
            to=RiskStatus(status),
            reason=f"步骤 {status}",
            now=T0 + timedelta(minutes=minutes),
        )
    history = risks.risk_history(uow, officer, risk.id)
    assert [e.action for e in history] == ["risk.registered", "risk.analysed"] + [
        "risk.transitioned"
    ] * 5
    assert [e.payload["to"] for e in history[2:]] == steps
    assert history[-1].payload["reason"] == "步骤 identified"
    assert history[-1].actor == officer.username
    assert risk.version == 6


def test_reassessment_moves_the_level_and_records_what_changed(uow: UnitOfWork) -> None:
    officer = actor(uow, "ema-341000")
    risk = risks.register_risk(
        uow, officer, draft(likelihood=1, consequence=1), region_code="yrd", now=T0
    )
    changed = risks.change_risk(
        uow, officer, risk.id, risks.RiskChange(likelihood=5, consequence=5, reason="涨水"), now=T0
    )
    assert changed.level is EventLevel.I
    entry = next(
        e for e in reversed(risks.risk_history(uow, officer, risk.id)) if e.action == "risk.changed"
    )
    assert entry.payload["changed"] == ["consequence", "level", "likelihood"]


def test_moving_the_source_to_another_city_needs_the_right_to_lead_there(uow: UnitOfWork) -> None:
    officer = actor(uow, "ema-341000")
    risk = risks.register_risk(uow, officer, draft(), region_code="yrd", now=T0)
    with pytest.raises(NotPermitted):
        risks.change_risk(
            uow,
            officer,
            risk.id,
            risks.RiskChange(hazard_geometry=point(HANGZHOU), reason="源头位置更正"),
            now=T0,
        )
    moved = risks.change_risk(
        uow,
        actor(uow, "yrd-committee"),
        risk.id,
        risks.RiskChange(hazard_geometry=point(HANGZHOU), reason="源头位置更正"),
        now=T0,
    )
    assert moved.origin_codes == ("330100",)


def test_hazard_outside_the_region_is_refused(uow: UnitOfWork) -> None:
    with pytest.raises(InvalidInput, match="outside the region"):
        risks.register_risk(
            uow, actor(uow, "central-office"), draft(where=OUTSIDE), region_code="yrd", now=T0
        )
    with uow.read_only() as tx:
        assert tx.risks.count() == 0


def test_stale_version_is_refused(uow: UnitOfWork) -> None:
    officer = actor(uow, "ema-341000")
    risk = risks.register_risk(uow, officer, draft(), region_code="yrd", now=T0)
    risks.transition_risk(uow, officer, risk.id, to=RiskStatus.ASSESSED, reason="a", now=T0)
    with pytest.raises(Conflict):
        risks.transition_risk(
            uow, officer, risk.id, to=RiskStatus.TREATING, reason="b", expected_version=1, now=T0
        )


def test_a_change_with_no_field_is_refused(uow: UnitOfWork) -> None:
    officer = actor(uow, "ema-341000")
    risk = risks.register_risk(uow, officer, draft(), region_code="yrd", now=T0)
    with pytest.raises(InvalidInput, match="names no field"):
        risks.change_risk(uow, officer, risk.id, risks.RiskChange(reason="nothing"), now=T0)


def test_refusals_of_a_change_carry_their_key_and_the_codes_they_name(uow: UnitOfWork) -> None:
    officer = actor(uow, "ema-341000")
    risk = risks.register_risk(uow, officer, draft(), region_code="yrd", now=T0)
    assert risk.id is not None
    before = journal_length(uow)
    with pytest.raises(NotPermitted) as not_permitted:
        risks.transition_risk(
            uow, actor(uow, "ema-330100"), risk.id, to=RiskStatus.ASSESSED, reason="x", now=T0
        )
    assert not_permitted.value.key == "risk-change-not-permitted"
    assert dict(not_permitted.value.params) == {
        "organisation": "ema-330100",
        "origins": ("341000",),
    }
    # The API's English detail stays as it was.
    assert not_permitted.value.detail == (
        "ema-330100 (officer) may not change a risk whose origin is 341000"
    )
    with pytest.raises(InvalidTransition) as invalid:
        risks.transition_risk(uow, officer, risk.id, to=RiskStatus.CLOSED, reason="x", now=T0)
    assert invalid.value.key == "risk-transition-invalid"
    assert dict(invalid.value.params) == {"from_status": "identified", "to_status": "closed"}
    with pytest.raises(Conflict) as stale:
        risks.transition_risk(
            uow, officer, risk.id, to=RiskStatus.ASSESSED, reason="x", expected_version=7, now=T0
        )
    assert stale.value.key == "risk-version-stale"
    assert dict(stale.value.params) == {"risk": risk.id, "version": 1, "expected": 7}
    with pytest.raises(NotPermitted) as unreadable:
        risks.get_risk(uow, actor(uow, "pearl-committee"), risk.id)
    assert unreadable.value.key == "region-not-readable"
    assert dict(unreadable.value.params) == {"organisation": "pearl-committee", "region": "yrd"}
    assert risks.get_risk(uow, officer, risk.id) == risk
    assert journal_length(uow) == before
