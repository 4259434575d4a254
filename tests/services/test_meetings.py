"""Coordination meetings: convened for a risk (its convene duty done) or as regular ones,
invitations queued, attendance, minutes and decisions that become duties; on both backends."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from crossrisk.domain.delivery import ChannelKind, Purpose
from crossrisk.domain.duty import DutyStatus, ShownStatus
from crossrisk.domain.errors import Conflict, CrossriskError, InvalidInput, NotPermitted
from crossrisk.domain.events import Event
from crossrisk.domain.meeting import Attendance, MeetingDraft, MeetingState, vevent
from crossrisk.domain.organisation import Role, system_actor
from crossrisk.domain.responsibility import DutyKind
from crossrisk.services import delivery, duties, meetings, risks
from crossrisk.services.meeting_invitations import cancellation_text, invitation_text
from crossrisk.store.models import DeliveryMessageRow
from crossrisk.store.uow import UnitOfWork
from tests.delivery_fixtures import RECEIVERS_GUARD
from tests.support import T0, XINAN_SPILL, actor, draft

HANGZHOU = "ema-330100"
HUANGSHAN = "ema-341000"
COMMITTEE = "yrd-committee"
OTHER_COMMITTEE = "pearl-committee"
START = T0 + timedelta(days=1)
NOW = T0 + timedelta(hours=1)


def register_spill(uow: UnitOfWork) -> int:
    risk = risks.register_risk(
        uow, actor(uow, HUANGSHAN), draft(**XINAN_SPILL), region_code="yrd", now=T0
    )
    assert risk.id is not None
    return risk.id


def meeting_draft(**changes: Any) -> MeetingDraft:
    base = MeetingDraft(
        region_code="yrd",
        title="新安江流域联防联控协调会",
        starts_at=START,
        ends_at=START + timedelta(hours=2),
        place="杭州市应急指挥中心",
        video_url="https://meet.example.org/xinan",
        agenda=("通报污染情况", "部署下游防范"),
        invited=(HUANGSHAN, HANGZHOU, COMMITTEE),
    )
    return replace(base, **changes)


def add_hangzhou_channel(uow: UnitOfWork) -> None:
    delivery.add_channel(
        uow,
        system_actor(),
        organisation_code=HANGZHOU,
        kind=ChannelKind.WEBHOOK,
        address="http://127.0.0.1:9/meetings",
        secret="whsec_aGFuZ3pob3UtZHV0eS1kZXNrLWtleS0yMDI2",
        guard=RECEIVERS_GUARD,
        topic_prefix="crossrisk",
        now=T0,
    )


def journal(uow: UnitOfWork, action: str) -> list[dict[str, Any]]:
    with uow.read_only() as tx:
        return [dict(e.payload) for e in tx.journal.entries() if e.action == action]


def journal_length(uow: UnitOfWork) -> int:
    with uow.read_only() as tx:
        return len(list(tx.journal.entries()))


def meeting_count(uow: UnitOfWork) -> int:
    return len(meetings.list_meetings(uow, actor(uow, COMMITTEE)))


def convene_held(uow: UnitOfWork, **changes: Any) -> int:
    committee = actor(uow, COMMITTEE)
    meeting = meetings.convene(uow, committee, meeting_draft(**changes), now=NOW)
    assert meeting.id is not None
    meetings.record_minutes(uow, committee, meeting.id, "会议决定……", now=START)
    return meeting.id


def test_convening_for_a_risk_completes_its_convene_duty_and_queues_invitations(
    uow: UnitOfWork,
) -> None:
    risk_id = register_spill(uow)
    committee = actor(uow, COMMITTEE)
    add_hangzhou_channel(uow)
    heard: list[Event] = []
    uow.bus.subscribe(heard.append)

    meeting = meetings.convene(uow, committee, meeting_draft(risk_id=risk_id), now=NOW)

    assert meeting.state is MeetingState.SCHEDULED and meeting.risk_id == risk_id
    assert meeting.invited_codes == (HUANGSHAN, HANGZHOU, COMMITTEE)
    (convened,) = journal(uow, "meeting.convened")
    assert convened["meeting"] == meeting.id and convened["risk_id"] == risk_id
    assert convened["agenda"] == ["通报污染情况", "部署下游防范"] and convened["deliveries"] == 1
    assert [e.name for e in heard][:1] == ["meeting.convened"]
    (done,) = [d for d in journal(uow, "duty.done") if d["kind"] == "convene"]
    assert done["via"] == "meeting.convened"
    (convene_duty,) = [
        d for d in duties.duties_of_risk(uow, committee, risk_id) if d.kind is DutyKind.CONVENE
    ]
    assert convene_duty.status is DutyStatus.DONE
    (sent,) = meetings.meeting_record(uow, committee, meeting.id or 0).deliveries
    assert sent.purpose is Purpose.MEETING_INVITATION and sent.organisation_code == HANGZHOU


def test_the_invitation_carries_both_languages_the_agenda_and_an_icalendar(
    uow: UnitOfWork,
) -> None:
    meeting = meetings.convene(uow, actor(uow, COMMITTEE), meeting_draft(), now=NOW)
    subject, body = invitation_text(meeting)

    assert subject.startswith("会议通知") and "Meeting invitation" in subject
    assert "1. 通报污染情况" in body and "Agenda:" in body
    assert "https://meet.example.org/xinan" in body
    calendar = vevent(meeting, now=NOW)
    assert "BEGIN:VEVENT" in calendar and f"UID:meeting-{meeting.id}@crossrisk" in calendar
    assert "DTSTART:20260702T020000Z" in calendar


def test_a_regular_meeting_needs_no_risk(uow: UnitOfWork) -> None:
    meeting = meetings.convene(uow, actor(uow, COMMITTEE), meeting_draft(), now=NOW)

    assert meeting.risk_id is None
    assert journal(uow, "duty.done") == []


def test_attendance_and_minutes_are_journaled_and_the_meeting_is_held(uow: UnitOfWork) -> None:
    committee = actor(uow, COMMITTEE)
    meeting = meetings.convene(uow, committee, meeting_draft(), now=NOW)
    assert meeting.id is not None

    meetings.record_attendance(
        uow,
        committee,
        meeting.id,
        {HANGZHOU: (Attendance.PRESENT, "张三 副局长"), HUANGSHAN: (Attendance.EXCUSED, "")},
        now=START,
    )
    held = meetings.record_minutes(uow, committee, meeting.id, "一、通报……", now=START)

    assert held.state is MeetingState.HELD and held.minutes == "一、通报……"
    by_code = {i.organisation_code: i for i in held.invitations}
    assert by_code[HANGZHOU].attendance is Attendance.PRESENT
    assert by_code[HANGZHOU].attendees == "张三 副局长"
    (attended,) = journal(uow, "meeting.attendance_recorded")
    assert attended["attendance"][HUANGSHAN]["attendance"] == "excused"
    (minutes,) = journal(uow, "meeting.minutes_recorded")
    assert minutes["state"] == "held" and minutes["amended"] is False


def test_a_decision_becomes_a_duty_of_its_owner_done_by_mark_done(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)
    meeting_id = convene_held(uow, risk_id=risk_id)
    due = START + timedelta(days=3)

    decision, duty = meetings.record_decision(
        uow,
        actor(uow, COMMITTEE),
        meeting_id,
        text="杭州市加密富春江断面监测",
        owner_code=HANGZHOU,
        due_at=due,
        now=START,
    )

    assert decision.number == 1 and decision.duty_id == duty.id
    assert duty.kind is DutyKind.ACTION and duty.organisation_code == HANGZHOU
    assert duty.risk_id == risk_id and duty.deadline == due
    assert duty.task == f"meeting-{meeting_id}-decision-1"
    assert duty.source == f"meeting:{meeting_id}" and duty.title == "杭州市加密富春江断面监测"
    (recorded,) = journal(uow, "meeting.decision_recorded")
    assert recorded["duty"] == duty.id and recorded["owner"] == HANGZHOU
    hangzhou = actor(uow, HANGZHOU)
    assert duty.id in {d.id for d in duties.duties_for(uow, hangzhou, now=START)}

    duties.acknowledge_duty(uow, hangzhou, duty.id or 0, now=START + timedelta(days=1))

    record = meetings.meeting_record(uow, actor(uow, COMMITTEE), meeting_id)
    assert record.duties[1].shown(START + timedelta(days=1)) is ShownStatus.DONE


def test_a_decision_of_a_regular_meeting_is_a_duty_without_a_risk(uow: UnitOfWork) -> None:
    meeting_id = convene_held(uow)

    _, duty = meetings.record_decision(
        uow,
        actor(uow, COMMITTEE),
        meeting_id,
        text="各市报送年度风险清单",
        owner_code=HUANGSHAN,
        due_at=START + timedelta(days=30),
        now=START,
    )

    assert duty.risk_id is None and duty.kind is DutyKind.ACTION


def test_cancelling_says_why_ends_the_meeting_and_tells_the_invited(uow: UnitOfWork) -> None:
    committee = actor(uow, COMMITTEE)
    add_hangzhou_channel(uow)
    meeting = meetings.convene(uow, committee, meeting_draft(), now=NOW)
    assert meeting.id is not None

    cancelled = meetings.cancel(uow, committee, meeting.id, "汛情缓解", now=NOW)

    assert cancelled.state is MeetingState.CANCELLED and cancelled.cancel_reason == "汛情缓解"
    (entry,) = journal(uow, "meeting.cancelled")
    assert entry["reason"] == "汛情缓解" and entry["deliveries"] == 1
    sent = meetings.meeting_record(uow, committee, meeting.id).deliveries
    assert sorted(d.purpose for d in sent) == [
        Purpose.MEETING_INVITATION,
        Purpose.MEETING_CANCELLATION,
    ]
    subject, body = cancellation_text(cancelled)
    assert subject.startswith("会议取消") and "Meeting cancelled" in subject
    assert "汛情缓解" in body and "is cancelled" in body
    calendar = vevent(cancelled, now=NOW)
    assert "STATUS:CANCELLED" in calendar and "SEQUENCE:1" in calendar
    with pytest.raises(Conflict):
        meetings.record_minutes(uow, committee, meeting.id, "……", now=START)


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"video_url": "http://meet.example.org/x"}, InvalidInput),
        ({"video_url": "javascript:alert(1)"}, InvalidInput),
        ({"agenda": ("通报", "  ")}, InvalidInput),
        ({"agenda": ()}, InvalidInput),
        ({"agenda": tuple(f"item {n}" for n in range(31))}, InvalidInput),
        ({"title": "x" * 201}, InvalidInput),
        ({"title": "会\x00议"}, InvalidInput),
        ({"place": "", "video_url": ""}, InvalidInput),
        ({"invited": ("ema-440100",)}, InvalidInput),
        ({"invited": ()}, InvalidInput),
        ({"starts_at": START.replace(year=9999)}, InvalidInput),
        ({"starts_at": START.replace(tzinfo=None)}, InvalidInput),
        ({"ends_at": START - timedelta(hours=1)}, InvalidInput),
        ({"region_code": "pearl"}, NotPermitted),
    ],
)
def test_a_bad_meeting_is_refused_and_nothing_is_written(
    uow: UnitOfWork, changes: dict[str, Any], error: type[CrossriskError]
) -> None:
    before = journal_length(uow)

    with pytest.raises(error):
        meetings.convene(uow, actor(uow, COMMITTEE), meeting_draft(**changes), now=NOW)

    assert journal_length(uow) == before and meeting_count(uow) == 0


def test_a_meeting_for_a_risk_of_another_region_is_refused(uow: UnitOfWork) -> None:
    risk_id = register_spill(uow)
    before = journal_length(uow)

    with pytest.raises(NotPermitted):
        meetings.convene(
            uow,
            actor(uow, OTHER_COMMITTEE),
            meeting_draft(region_code="pearl", risk_id=risk_id, invited=(OTHER_COMMITTEE,)),
            now=NOW,
        )
    with pytest.raises(InvalidInput) as refused:
        meetings.convene(
            uow,
            actor(uow, "central-office"),
            meeting_draft(region_code="pearl", risk_id=risk_id, invited=(OTHER_COMMITTEE,)),
            now=NOW,
        )

    assert refused.value.key == "meeting-risk-other-region"
    assert journal_length(uow) == before


@pytest.mark.parametrize(
    ("organisation", "role"),
    [(COMMITTEE, Role.VIEWER), (HANGZHOU, Role.OFFICER), (HUANGSHAN, Role.OFFICER)],
)
def test_a_viewer_or_a_city_may_not_convene(uow: UnitOfWork, organisation: str, role: Role) -> None:
    before = journal_length(uow)

    with pytest.raises(NotPermitted):
        meetings.convene(uow, actor(uow, organisation, role), meeting_draft(), now=NOW)

    assert journal_length(uow) == before and meeting_count(uow) == 0


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"owner_code": ""}, "decision-owner-missing"),
        ({"owner_code": "ema-440100"}, "meeting-organisation-not-of-region"),
        ({"owner_code": "pearl-committee"}, "meeting-organisation-not-of-region"),
        ({"due_at": START - timedelta(days=1)}, "decision-due-out-of-range"),
        ({"due_at": START.replace(year=9999)}, "decision-due-out-of-range"),
        ({"text": ""}, "text-empty"),
        ({"text": "x" * 501}, "text-too-long"),
    ],
)
def test_a_bad_decision_is_refused_and_nothing_is_written(
    uow: UnitOfWork, changes: dict[str, Any], key: str
) -> None:
    meeting_id = convene_held(uow)
    before = journal_length(uow)
    fields: dict[str, Any] = {
        "text": "加密监测",
        "owner_code": HANGZHOU,
        "due_at": START + timedelta(days=3),
        **changes,
    }

    with pytest.raises(InvalidInput) as refused:
        meetings.record_decision(uow, actor(uow, COMMITTEE), meeting_id, now=START, **fields)

    assert refused.value.key == key
    assert journal_length(uow) == before
    assert meetings.meeting_record(uow, actor(uow, COMMITTEE), meeting_id).meeting.decisions == ()
    assert duties.duties_for(uow, actor(uow, HANGZHOU), now=START) == []


def test_decisions_wait_for_the_minutes(uow: UnitOfWork) -> None:
    committee = actor(uow, COMMITTEE)
    meeting = meetings.convene(uow, committee, meeting_draft(), now=NOW)

    with pytest.raises(Conflict) as refused:
        meetings.record_decision(
            uow,
            committee,
            meeting.id or 0,
            text="加密监测",
            owner_code=HANGZHOU,
            due_at=START + timedelta(days=3),
            now=NOW,
        )

    assert refused.value.key == "meeting-not-held"


def test_the_invitation_document_is_json_with_the_agenda(uow: UnitOfWork) -> None:
    committee = actor(uow, COMMITTEE)
    add_hangzhou_channel(uow)
    meeting = meetings.convene(uow, committee, meeting_draft(), now=NOW)

    with uow.read_only() as tx:
        (row,) = tx.session.query(DeliveryMessageRow).filter_by(organisation_code=HANGZHOU).all()
        document = json.loads(row.cap_xml)
    assert document["type"] == "crossrisk.meeting_invitation"
    assert document["meeting"] == meeting.id and document["agenda"][0] == "通报污染情况"
    assert "BEGIN:VEVENT" in document["icalendar"]
