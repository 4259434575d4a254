"""Duties are drafted with the analysis, done by the actions that fulfil them, reminded,
waived by the committee; on both backends."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crossrisk.domain.delivery import ChannelKind
from crossrisk.domain.duty import DutyRecord, DutyStatus, ShownStatus
from crossrisk.domain.errors import Conflict, InvalidInput, NotPermitted
from crossrisk.domain.events import Event
from crossrisk.domain.organisation import system_actor
from crossrisk.domain.responsibility import DutyKind
from crossrisk.domain.risk import RiskStatus
from crossrisk.services import analysis, delivery, duties, duty_reminders, risks, warnings
from crossrisk.services.worker import Worker
from crossrisk.store.uow import UnitOfWork
from tests.delivery_fixtures import RECEIVERS_GUARD
from tests.support import T0, XINAN_SPILL, actor, draft

HANGZHOU = "ema-330100"
HUANGSHAN = "ema-341000"
COMMITTEE = "yrd-committee"


def register_spill(uow: UnitOfWork) -> int:
    risk = risks.register_risk(
        uow, actor(uow, HUANGSHAN), draft(**XINAN_SPILL), region_code="yrd", now=T0
    )
    assert risk.id is not None
    return risk.id


def duty_of(uow: UnitOfWork, risk_id: int, kind: DutyKind, organisation: str) -> DutyRecord:
    (found,) = [
        d
        for d in duties.duties_of_risk(uow, actor(uow, COMMITTEE), risk_id)
        if d.kind is kind and d.organisation_code == organisation
    ]
    return found


def journal(uow: UnitOfWork, action: str) -> list[dict]:
    with uow.read_only() as tx:
        return [dict(e.payload) for e in tx.journal.entries() if e.action == action]


def journal_length(uow: UnitOfWork) -> int:
    with uow.read_only() as tx:
        return len(list(tx.journal.entries()))


def hangzhou_warning(uow: UnitOfWork, risk_id: int) -> warnings.WarningMessage:
    (message,) = [
        m for m in warnings.inbox(uow, actor(uow, HANGZHOU)) if m.warning.risk_id == risk_id
    ]
    return message


def test_every_line_of_the_responsibility_list_is_an_open_duty(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)

    rows = duties.duties_of_risk(uow, actor(uow, COMMITTEE), risk_id)
    current = analysis.current_analysis(uow, actor(uow, COMMITTEE), risk_id)
    drafted = {(d.kind, d.party.organisation_code) for d in current.responsibility.duties}
    assert {(d.kind, d.organisation_code) for d in rows} == drafted
    assert all(d.status is DutyStatus.OPEN for d in rows)
    assert (DutyKind.HANDLE_AND_REPORT, HUANGSHAN) in drafted
    assert (DutyKind.CONVENE, COMMITTEE) in drafted
    assigned = journal(uow, "duty.assigned")
    assert sorted(p["duty"] for p in assigned) == sorted(d.id for d in rows)
    assert {p["status"] for p in assigned} == {"open"}


def test_a_city_sees_one_deadline_for_its_warning_and_its_duty(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)

    warning = hangzhou_warning(uow, risk_id)
    duty = duty_of(uow, risk_id, DutyKind.PREPARE_AND_ACKNOWLEDGE, HANGZHOU)
    drafted = [
        d
        for d in analysis.current_analysis(uow, actor(uow, HANGZHOU), risk_id).responsibility.duties
        if d.party.organisation_code == HANGZHOU
    ]
    assert duty.deadline == warning.warning.ack_deadline
    assert [d.deadline for d in drafted] == [warning.warning.ack_deadline]
    # Every affected city, not only Hangzhou.
    for message in warnings.warnings_of_risk(uow, actor(uow, COMMITTEE), risk_id):
        other = duty_of(
            uow, risk_id, DutyKind.PREPARE_AND_ACKNOWLEDGE, message.recipient_organisation
        )
        assert other.deadline == message.warning.ack_deadline


def test_acknowledging_the_warning_completes_the_citys_duty(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)
    seen: list[Event] = []
    uow.bus.subscribe(seen.append)
    warning = hangzhou_warning(uow, risk_id)
    at = T0 + timedelta(minutes=5)

    warnings.acknowledge(uow, actor(uow, HANGZHOU), warning.id, via="page", now=at)

    duty = duty_of(uow, risk_id, DutyKind.PREPARE_AND_ACKNOWLEDGE, HANGZHOU)
    assert duty.status is DutyStatus.DONE
    assert duty.done_at == at and duty.done_via == "warning.acknowledged"
    assert duty.shown(at + timedelta(days=1)) is ShownStatus.DONE
    (done,) = journal(uow, "duty.done")
    assert done["duty"] == duty.id and done["via"] == "warning.acknowledged"
    assert done["late"] is False and done["status"] == "done"
    assert [e.name for e in seen] == ["warning.acknowledged", "duty.done"]
    # The second acknowledgement changes nothing and the duty is not done twice.
    warnings.acknowledge(uow, actor(uow, HANGZHOU), warning.id, via="api", now=at)
    assert len(journal(uow, "duty.done")) == 1


def test_a_duty_done_after_its_deadline_is_done_late_and_keeps_both_times(
    uow: UnitOfWork,
) -> None:
    risk_id = register_spill(uow)
    warning = hangzhou_warning(uow, risk_id)
    deadline = warning.warning.ack_deadline
    open_duty = duty_of(uow, risk_id, DutyKind.PREPARE_AND_ACKNOWLEDGE, HANGZHOU)
    assert open_duty.shown(deadline - timedelta(minutes=1)) is ShownStatus.OPEN
    assert open_duty.shown(deadline + timedelta(minutes=1)) is ShownStatus.LATE
    late_listed = duties.duties_for(
        uow, actor(uow, HANGZHOU), status="late", now=deadline + timedelta(minutes=1)
    )
    assert [d.id for d in late_listed] == [open_duty.id]

    at = deadline + timedelta(minutes=20)
    warnings.acknowledge(uow, actor(uow, HANGZHOU), warning.id, via="page", now=at)

    duty = duty_of(uow, risk_id, DutyKind.PREPARE_AND_ACKNOWLEDGE, HANGZHOU)
    assert (duty.deadline, duty.done_at) == (deadline, at)
    assert duty.shown(at) is ShownStatus.DONE_LATE
    (done,) = journal(uow, "duty.done")
    assert done["late"] is True and done["minutes_late"] == 20.0
    assert done["status"] == "done_late"


def test_the_leads_first_report_completes_handle_and_report(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)
    lead = actor(uow, HUANGSHAN)
    at = T0 + timedelta(minutes=10)

    done = duties.file_report(
        uow, lead, risk_id, text="围油栏已布设", figures={"spilled_tonnes": 12.5}, now=at
    )

    assert done is not None and done.kind is DutyKind.HANDLE_AND_REPORT
    assert done.status is DutyStatus.DONE and done.done_via == "risk.reported"
    (report,) = journal(uow, "risk.reported")
    assert report["text"] == "围油栏已布设" and report["figures"] == {"spilled_tonnes": 12.5}
    # A later report is recorded, and the duty stays done once.
    again = duties.file_report(uow, lead, risk_id, text="浓度下降", now=at + timedelta(hours=1))
    assert again is None
    assert len(journal(uow, "risk.reported")) == 2
    assert len(journal(uow, "duty.done")) == 1


def test_only_an_origin_city_reports_and_a_refused_report_changes_nothing(
    uow: UnitOfWork,
) -> None:
    risk_id = register_spill(uow)
    before = journal_length(uow)

    with pytest.raises(NotPermitted) as refused:
        duties.file_report(uow, actor(uow, HANGZHOU), risk_id, text="下游情况", now=T0)
    assert refused.value.key == "report-not-origin"
    with pytest.raises(InvalidInput):
        duties.file_report(uow, actor(uow, HUANGSHAN), risk_id, text="  ", now=T0)
    with pytest.raises(InvalidInput):
        duties.file_report(
            uow, actor(uow, HUANGSHAN), risk_id, text="x", figures={"c": float("nan")}, now=T0
        )

    assert journal_length(uow) == before
    duty = duty_of(uow, risk_id, DutyKind.HANDLE_AND_REPORT, HUANGSHAN)
    assert duty.status is DutyStatus.OPEN


def test_the_committees_confirmation_completes_convene(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)
    committee = actor(uow, COMMITTEE)
    version = analysis.current_analysis(uow, committee, risk_id).version

    analysis.confirm_responsibility_list(
        uow, committee, risk_id, version=version, now=T0 + timedelta(minutes=30)
    )

    duty = duty_of(uow, risk_id, DutyKind.CONVENE, COMMITTEE)
    assert duty.status is DutyStatus.DONE and duty.done_via == "responsibility.confirmed"
    (done,) = journal(uow, "duty.done")
    assert done["kind"] == "convene"


def test_the_domain_office_acknowledges_its_follow_up_once(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)
    (follow,) = [
        d
        for d in duties.duties_of_risk(uow, actor(uow, COMMITTEE), risk_id)
        if d.kind is DutyKind.FOLLOW_UP
    ]
    office = actor(uow, follow.organisation_code)
    before = journal_length(uow)
    with pytest.raises(NotPermitted):
        duties.acknowledge_duty(uow, actor(uow, HANGZHOU), follow.id or 0, now=T0)
    report = duty_of(uow, risk_id, DutyKind.HANDLE_AND_REPORT, HUANGSHAN)
    with pytest.raises(InvalidInput) as own_action:
        duties.acknowledge_duty(uow, actor(uow, HUANGSHAN), report.id or 0, now=T0)
    assert own_action.value.key == "duty-not-self-acknowledged"
    assert journal_length(uow) == before

    done = duties.acknowledge_duty(uow, office, follow.id or 0, note="已跟进", now=T0)
    assert done.status is DutyStatus.DONE and done.done_via == "duty.acknowledged"
    with pytest.raises(Conflict) as twice:
        duties.acknowledge_duty(uow, office, follow.id or 0, now=T0)
    assert twice.value.key == "duty-not-open"
    assert len(journal(uow, "duty.done")) == 1


def test_the_committee_waives_with_a_reason_and_a_city_may_not(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)
    duty = duty_of(uow, risk_id, DutyKind.PREPARE_AND_ACKNOWLEDGE, HANGZHOU)
    before = journal_length(uow)

    with pytest.raises(NotPermitted) as refused:
        duties.waive_duty(uow, actor(uow, HANGZHOU), duty.id or 0, reason="不需要", now=T0)
    assert refused.value.key == "duty-waive-not-permitted"
    with pytest.raises(InvalidInput):
        duties.waive_duty(uow, actor(uow, COMMITTEE), duty.id or 0, reason=" ", now=T0)
    assert journal_length(uow) == before
    assert duty_of(uow, risk_id, duty.kind, HANGZHOU).status is DutyStatus.OPEN

    waived = duties.waive_duty(
        uow, actor(uow, COMMITTEE), duty.id or 0, reason="已由省级统一部署", now=T0
    )
    assert waived.status is DutyStatus.WAIVED and waived.reason == "已由省级统一部署"
    (entry,) = journal(uow, "duty.waived")
    assert entry["reason"] == "已由省级统一部署" and entry["status"] == "waived"
    with pytest.raises(Conflict):
        duties.waive_duty(uow, actor(uow, COMMITTEE), duty.id or 0, reason="again", now=T0)
    # The acknowledgement still counts for the warning, but the waived duty stays waived.
    warning = hangzhou_warning(uow, risk_id)
    warnings.acknowledge(uow, actor(uow, HANGZHOU), warning.id, via="page", now=T0)
    assert duty_of(uow, risk_id, duty.kind, HANGZHOU).status is DutyStatus.WAIVED


def test_my_duties_are_the_organisations_and_the_committee_sees_its_region(
    uow: UnitOfWork,
) -> None:
    risk_id = register_spill(uow)

    mine = duties.duties_for(uow, actor(uow, HANGZHOU), status="open", now=T0)
    assert [(d.kind, d.organisation_code) for d in mine] == [
        (DutyKind.PREPARE_AND_ACKNOWLEDGE, HANGZHOU)
    ]
    every = duties.duties_for(uow, actor(uow, COMMITTEE), now=T0)
    assert len(every) == len(duties.duties_of_risk(uow, actor(uow, COMMITTEE), risk_id))
    assert duties.duties_for(uow, actor(uow, HANGZHOU), status="done", now=T0) == []
    with pytest.raises(InvalidInput):
        duties.duties_for(uow, actor(uow, HANGZHOU), status="finished", now=T0)


def test_an_open_duty_is_reminded_once_before_its_deadline(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)
    delivery.add_channel(
        uow,
        system_actor(),
        organisation_code=HUANGSHAN,
        kind=ChannelKind.WEBHOOK,
        address="http://127.0.0.1:9/duties",
        secret="whsec_aGFuZ3pob3UtZHV0eS1kZXNrLWtleS0yMDI2",
        guard=RECEIVERS_GUARD,
        topic_prefix="crossrisk",
        now=T0,
    )
    duty = duty_of(uow, risk_id, DutyKind.HANDLE_AND_REPORT, HUANGSHAN)
    due = duty.deadline - timedelta(minutes=15)
    assert due > T0

    reminded_early = duty_reminders.send_reminders(uow, now=due - timedelta(minutes=1))
    assert all(p["duty"] != duty.id for p in journal(uow, "duty.reminded"))
    reminded = duty_reminders.send_reminders(uow, now=due)

    assert reminded >= 1 and reminded_early >= 0
    entries = [p for p in journal(uow, "duty.reminded") if p["duty"] == duty.id]
    assert len(entries) == 1 and entries[0]["organisation"] == HUANGSHAN
    with uow.read_only() as tx:
        queued = tx.deliveries.of_warning(f"duty-{duty.id}")
    assert len(queued) == 1
    assert duty_reminders.send_reminders(uow, now=due + timedelta(minutes=1)) == 0


def test_closing_the_risk_cancels_its_open_duties(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)
    lead = actor(uow, HUANGSHAN)
    duties.file_report(uow, lead, risk_id, text="处置完毕", now=T0)
    for status in (RiskStatus.ASSESSED, RiskStatus.TREATING, RiskStatus.MONITORING):
        risks.transition_risk(uow, lead, risk_id, to=status, reason="步骤", now=T0)
    risks.transition_risk(uow, lead, risk_id, to=RiskStatus.CLOSED, reason="已处置", now=T0)

    rows = duties.duties_of_risk(uow, lead, risk_id)
    assert {d.status for d in rows} == {DutyStatus.DONE, DutyStatus.CANCELLED}
    assert duty_of(uow, risk_id, DutyKind.HANDLE_AND_REPORT, HUANGSHAN).status is (DutyStatus.DONE)
    assert journal(uow, "duty.cancelled")


def test_a_warning_issued_by_hand_moves_the_citys_duty_to_its_deadline(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)
    before = duty_of(uow, risk_id, DutyKind.PREPARE_AND_ACKNOWLEDGE, HANGZHOU)
    at = T0 + timedelta(minutes=40)

    message = warnings.issue_warning(
        uow, actor(uow, COMMITTEE), risk_id, recipient_code="330100", level=1, now=at
    )

    after = duty_of(uow, risk_id, DutyKind.PREPARE_AND_ACKNOWLEDGE, HANGZHOU)
    assert after.deadline == message.warning.ack_deadline != before.deadline
    (moved,) = journal(uow, "duty.rescheduled")
    assert moved["duty"] == after.id and moved["from"] == before.deadline.isoformat()


def test_reopening_a_closed_risk_reopens_the_duties_it_cancelled(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)
    lead = actor(uow, HUANGSHAN)
    for status in (RiskStatus.ASSESSED, RiskStatus.TREATING, RiskStatus.MONITORING):
        risks.transition_risk(uow, lead, risk_id, to=status, reason="步骤", now=T0)
    risks.transition_risk(uow, lead, risk_id, to=RiskStatus.CLOSED, reason="已处置", now=T0)
    assert journal(uow, "duty.rescheduled") == []  # the steps before closing moved nothing

    risks.transition_risk(uow, lead, risk_id, to=RiskStatus.IDENTIFIED, reason="复燃", now=T0)

    rows = duties.duties_of_risk(uow, lead, risk_id)
    assert {d.status for d in rows} == {DutyStatus.OPEN}


def test_the_workers_pass_reminds_the_duties_whose_time_has_come(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)
    owed = [d for d in duties.duties_of_risk(uow, actor(uow, COMMITTEE), risk_id)]
    later = max(d.deadline for d in owed)

    done = Worker(uow, {}, clock=lambda: later).run_once()

    assert done.duty_reminders == len(owed)
    assert sorted(p["duty"] for p in journal(uow, "duty.reminded")) == sorted(d.id for d in owed)
    assert Worker(uow, {}, clock=lambda: later).run_once().duty_reminders == 0
