"""Coordination meetings over HTTP: list, read, convene, attendance, minutes, decisions, cancel."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from crossrisk.api.duties import DutyOut, duty_out
from crossrisk.domain.meeting import (
    AGENDA_MAX,
    ATTENDEES_MAX,
    DECISION_MAX,
    INVITED_MAX,
    MINUTES_MAX,
    PLACE_MAX,
    REASON_MAX,
    TITLE_MAX,
    VIDEO_URL_MAX,
    Attendance,
    Meeting,
    MeetingDraft,
)
from crossrisk.http.deps import ID_MAX, ActorDep, RowId, UowDep, utc_now
from crossrisk.services import meetings

router = APIRouter(prefix="/api", tags=["meetings"])
CODE_MAX = 64


class InvitationOut(BaseModel):
    organisation: str
    attendance: str | None = Field(description="present, absent or excused; null until recorded")
    attendees: str = Field(description="who attended for the organisation")


class DecisionOut(BaseModel):
    number: int
    text: str
    owner: str = Field(description="the organisation whose duty the action item is")
    due_at: datetime
    duty_id: int | None
    recorded_at: datetime
    recorded_by: str


class MeetingOut(BaseModel):
    id: int
    region: str
    risk_id: int | None
    title: str
    state: str = Field(description="scheduled, held or cancelled")
    starts_at: datetime
    ends_at: datetime | None
    place: str
    video_url: str
    agenda: list[str]
    invitations: list[InvitationOut]
    minutes: str
    cancel_reason: str | None
    convened_at: datetime
    convened_by: str
    decisions: list[DecisionOut]


def meeting_out(meeting: Meeting) -> MeetingOut:
    return MeetingOut(
        id=meeting.id or 0,
        region=meeting.region_code,
        risk_id=meeting.risk_id,
        title=meeting.title,
        state=meeting.state.value,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        place=meeting.place,
        video_url=meeting.video_url,
        agenda=list(meeting.agenda),
        invitations=[
            InvitationOut(
                organisation=i.organisation_code,
                attendance=i.attendance.value if i.attendance else None,
                attendees=i.attendees,
            )
            for i in meeting.invitations
        ],
        minutes=meeting.minutes,
        cancel_reason=meeting.cancel_reason,
        convened_at=meeting.convened_at,
        convened_by=meeting.convened_by,
        decisions=[
            DecisionOut(
                number=d.number,
                text=d.text,
                owner=d.owner_code,
                due_at=d.due_at,
                duty_id=d.duty_id,
                recorded_at=d.recorded_at,
                recorded_by=d.recorded_by,
            )
            for d in meeting.decisions
        ],
    )


class ConveneIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    region: str = Field(max_length=CODE_MAX)
    risk_id: int | None = Field(default=None, ge=1, le=ID_MAX)
    title: str = Field(max_length=TITLE_MAX)
    starts_at: datetime = Field(description="with its UTC offset")
    ends_at: datetime | None = None
    place: str = Field(default="", max_length=PLACE_MAX)
    video_url: str = Field(default="", max_length=VIDEO_URL_MAX, description="https only")
    agenda: list[str] = Field(min_length=1, max_length=AGENDA_MAX)
    invited: list[str] = Field(min_length=1, max_length=INVITED_MAX, description="organisations")

    def draft(self) -> MeetingDraft:
        return MeetingDraft(
            region_code=self.region,
            risk_id=self.risk_id,
            title=self.title,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            place=self.place,
            video_url=self.video_url,
            agenda=tuple(self.agenda),
            invited=tuple(self.invited),
        )


class AttendanceLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    organisation: str = Field(max_length=CODE_MAX)
    attendance: Attendance
    attendees: str = Field(default="", max_length=ATTENDEES_MAX)


class AttendanceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    attendance: list[AttendanceLineIn] = Field(min_length=1, max_length=INVITED_MAX)


class MinutesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    minutes: str = Field(max_length=MINUTES_MAX)


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=DECISION_MAX)
    owner: str = Field(max_length=CODE_MAX, description="the organisation that owns the action")
    due_at: datetime = Field(description="when the action item falls due, with its UTC offset")


class DecisionRecorded(BaseModel):
    decision: DecisionOut
    duty: DutyOut


class CancelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=REASON_MAX)


@router.get("/meetings", response_model=list[MeetingOut])
def listed(actor: ActorDep, uow: UowDep) -> list[MeetingOut]:
    """The meetings of the regions the caller reads, the latest first."""
    return [meeting_out(m) for m in meetings.list_meetings(uow, actor)]


@router.get("/meetings/{meeting_id}", response_model=MeetingOut)
def one(meeting_id: RowId, actor: ActorDep, uow: UowDep) -> MeetingOut:
    """One meeting with its invitations and decisions."""
    return meeting_out(meetings.meeting_record(uow, actor, meeting_id).meeting)


@router.post("/meetings", response_model=MeetingOut, status_code=201)
def convene(body: ConveneIn, actor: ActorDep, uow: UowDep) -> MeetingOut:
    """The coordination body convenes a meeting; the invitations are queued with it."""
    return meeting_out(meetings.convene(uow, actor, body.draft(), now=utc_now()))


@router.post("/meetings/{meeting_id}/attendance", response_model=MeetingOut)
def attendance(meeting_id: RowId, body: AttendanceIn, actor: ActorDep, uow: UowDep) -> MeetingOut:
    """Record whether each invited organisation attended, and who."""
    entries = {line.organisation: (line.attendance, line.attendees) for line in body.attendance}
    return meeting_out(meetings.record_attendance(uow, actor, meeting_id, entries, now=utc_now()))


@router.post("/meetings/{meeting_id}/minutes", response_model=MeetingOut)
def minutes(meeting_id: RowId, body: MinutesIn, actor: ActorDep, uow: UowDep) -> MeetingOut:
    """Record the minutes: the meeting is held."""
    return meeting_out(meetings.record_minutes(uow, actor, meeting_id, body.minutes, now=utc_now()))


@router.post("/meetings/{meeting_id}/decisions", response_model=DecisionRecorded, status_code=201)
def decide(meeting_id: RowId, body: DecisionIn, actor: ActorDep, uow: UowDep) -> DecisionRecorded:
    """Record a decision; its action item is a duty of the owner, due by due_at."""
    now = utc_now()
    decision, duty = meetings.record_decision(
        uow, actor, meeting_id, text=body.text, owner_code=body.owner, due_at=body.due_at, now=now
    )
    recorded = meeting_out(meetings.meeting_record(uow, actor, meeting_id).meeting)
    shown = next(d for d in recorded.decisions if d.number == decision.number)
    return DecisionRecorded(decision=shown, duty=duty_out(duty, now))


@router.post("/meetings/{meeting_id}/cancel", response_model=MeetingOut)
def cancel(meeting_id: RowId, body: CancelIn, actor: ActorDep, uow: UowDep) -> MeetingOut:
    """Call off a scheduled meeting, with the reason."""
    return meeting_out(meetings.cancel(uow, actor, meeting_id, body.reason, now=utc_now()))
