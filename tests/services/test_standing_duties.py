"""Titled duties without a risk (a meeting's action item, an annual item): assigned,
reminded, marked done by their owner, on both backends."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crossrisk.domain.delivery import ChannelKind
from crossrisk.domain.duty import DutyRecord, DutyStatus, ShownStatus
from crossrisk.domain.errors import InvalidInput, NotPermitted
from crossrisk.domain.organisation import system_actor
from crossrisk.domain.responsibility import DutyKind, PartyRole
from crossrisk.domain.risk import RiskStatus
from crossrisk.locale import EN, ZH_CN
from crossrisk.services import analysis, delivery, duties, duty_reminders, risks
from crossrisk.store.uow import UnitOfWork
from tests.delivery_fixtures import RECEIVERS_GUARD
from tests.support import T0, XINAN_SPILL, actor, draft

HANGZHOU = "ema-330100"
HUANGSHAN = "ema-341000"
COMMITTEE = "yrd-committee"


def action_item(**changes: object) -> DutyRecord:
    fields: dict[str, object] = {
        "id": None,
        "risk_id": None,
        "region_code": "yrd",
        "kind": DutyKind.ACTION,
        "role": PartyRole.ASSIST,
        "organisation_code": HANGZHOU,
        "jurisdiction_code": "330100",
        "deadline": T0 + timedelta(days=3),
        "status": DutyStatus.OPEN,
        "assigned_at": T0,
        "task": "meeting-1-decision-1",
        "title": "核查新安江沿线取水口",
        "title_en": "Check the intakes along the Xin'an River",
        "source": "meeting:1",
    }
    fields.update(changes)
    return DutyRecord(**fields)  # type: ignore[arg-type]


def assign(uow: UnitOfWork, duty: DutyRecord) -> DutyRecord:
    committee = actor(uow, COMMITTEE)
    with uow as tx:
        added = duties.assign(tx, committee, duty, now=T0)
        tx.commit()
    return added


def entries(uow: UnitOfWork, action: str) -> list[dict]:
    with uow.read_only() as tx:
        return [dict(e.payload) for e in tx.journal.entries() if e.action == action]


def test_a_risk_less_action_item_is_journaled_and_on_its_owners_list(uow: UnitOfWork) -> None:
    added = assign(uow, action_item())

    (entry,) = entries(uow, "duty.assigned")
    assert entry["duty"] == added.id and entry["risk_id"] is None
    assert entry["title"] == "核查新安江沿线取水口" and entry["source"] == "meeting:1"
    assert entry["task"] == "meeting-1-decision-1"
    mine = duties.duties_for(uow, actor(uow, HANGZHOU), now=T0)
    assert [d.id for d in mine] == [added.id]
    assert duties.duties_for(uow, actor(uow, HUANGSHAN), now=T0) == []
    with uow.read_only() as tx:
        assert [d.id for d in tx.duties.of_source("meeting:1")] == [added.id]


def test_only_the_owner_marks_it_done(uow: UnitOfWork) -> None:
    added = assign(uow, action_item())
    assert added.id is not None

    with pytest.raises(NotPermitted):
        duties.acknowledge_duty(uow, actor(uow, HUANGSHAN), added.id, now=T0)
    done = duties.acknowledge_duty(
        uow, actor(uow, HANGZHOU), added.id, note="已核查", now=T0 + timedelta(days=4)
    )

    assert done.shown(T0 + timedelta(days=4)) is ShownStatus.DONE_LATE
    (entry,) = entries(uow, "duty.done")
    assert entry["via"] == "duty.acknowledged" and entry["late"] is True
    assert entry["note"] == "已核查" and entry["source"] == "meeting:1"


@pytest.mark.parametrize(
    "changes",
    [{"title": ""}, {"title": "x" * 501}, {"task": ""}, {"title": "a\x00b"}],
    ids=["no-title", "long-title", "no-task", "nul"],
)
def test_a_titled_line_without_its_name_is_refused(uow: UnitOfWork, changes: dict) -> None:
    with pytest.raises(InvalidInput):
        assign(uow, action_item(**changes))

    assert entries(uow, "duty.assigned") == []
    with uow.read_only() as tx:
        assert tx.duties.of_source("meeting:1") == []


def test_its_reminder_names_the_item_in_both_languages(uow: UnitOfWork) -> None:
    delivery.add_channel(
        uow,
        system_actor(),
        organisation_code=HANGZHOU,
        kind=ChannelKind.WEBHOOK,
        address="http://127.0.0.1:9/duties",
        secret="whsec_aGFuZ3pob3UtZHV0eS1kZXNrLWtleS0yMDI2",
        guard=RECEIVERS_GUARD,
        topic_prefix="crossrisk",
        now=T0,
    )
    added = assign(uow, action_item())

    assert duty_reminders.send_reminders(uow, now=added.deadline - timedelta(minutes=10)) == 1
    (entry,) = entries(uow, "duty.reminded")
    assert entry["duty"] == added.id and entry["risk_id"] is None
    with uow.read_only() as tx:
        assert len(tx.deliveries.of_warning(f"duty-{added.id}")) == 1
    assert duty_reminders.duty_name(added, ZH_CN) == "核查新安江沿线取水口"
    assert duty_reminders.duty_name(added, EN) == "Check the intakes along the Xin'an River"
    subject, body = duty_reminders._reminder_text(added, risk_title=None, names={})
    assert "核查新安江沿线取水口" in subject and "Check the intakes" in subject
    assert "risk" not in body.lower()


def test_an_action_item_past_its_deadline_is_reminded_again_each_day_and_says_so(
    uow: UnitOfWork,
) -> None:
    added = assign(uow, action_item())
    due = added.deadline

    assert duty_reminders.send_reminders(uow, now=due - timedelta(minutes=10)) == 1
    # Not twice within a day, even once it falls due.
    assert duty_reminders.send_reminders(uow, now=due + timedelta(hours=23)) == 0
    assert duty_reminders.send_reminders(uow, now=due + timedelta(hours=24)) == 1
    assert duty_reminders.send_reminders(uow, now=due + timedelta(hours=30)) == 0
    assert duty_reminders.send_reminders(uow, now=due + timedelta(hours=48)) == 1
    reminded = entries(uow, "duty.reminded")
    assert [(e["overdue"], e["again"]) for e in reminded] == [
        (False, False),
        (True, True),
        (True, True),
    ]
    with uow.read_only() as tx:
        assert tx.duties.get(added.id or 0).reminded_at == due + timedelta(hours=48)

    duties.acknowledge_duty(
        uow, actor(uow, HANGZHOU), added.id or 0, note="已核查", now=due + timedelta(hours=50)
    )
    assert duty_reminders.send_reminders(uow, now=due + timedelta(days=5)) == 0

    subject, body = duty_reminders._reminder_text(added, risk_title=None, names={}, overdue=True)
    assert "职责逾期" in subject and "Duty overdue" in subject
    assert "至今尚未完成" in body and "is not yet done" in body


def test_a_decision_on_a_risk_outlives_its_reanalysis_and_its_closing(uow: UnitOfWork) -> None:
    risk = risks.register_risk(
        uow, actor(uow, HUANGSHAN), draft(**XINAN_SPILL), region_code="yrd", now=T0
    )
    assert risk.id is not None
    added = assign(uow, action_item(risk_id=risk.id, source="meeting:2"))
    lead = actor(uow, HUANGSHAN)

    analysis.assign_lead(
        uow, actor(uow, COMMITTEE), risk.id, lead_code="341000", reason="复核", now=T0
    )
    duties.file_report(uow, lead, risk.id, text="处置完毕", now=T0)
    for status in (RiskStatus.ASSESSED, RiskStatus.TREATING, RiskStatus.MONITORING):
        risks.transition_risk(uow, lead, risk.id, to=status, reason="步骤", now=T0)
    risks.transition_risk(uow, lead, risk.id, to=RiskStatus.CLOSED, reason="已处置", now=T0)

    with uow.read_only() as tx:
        kept = tx.duties.get(added.id or 0)
        others = [d for d in tx.duties.of_risk(risk.id) if d.id != added.id]
    assert kept.status is DutyStatus.OPEN and kept.risk_id == risk.id
    assert {d.status for d in others} <= {DutyStatus.DONE, DutyStatus.CANCELLED}
    assert all(p["duty"] != added.id for p in entries(uow, "duty.cancelled"))
