"""Duties over HTTP: the caller's duties, acknowledging, waiving, and the lead's report."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from crossrisk.domain.duty import NOTE_MAX, REASON_MAX, DutyRecord
from crossrisk.http.deps import ActorDep, RowId, UowDep, utc_now
from crossrisk.services import duties

router = APIRouter(prefix="/api", tags=["duties"])


class DutyOut(BaseModel):
    id: int
    risk_id: int | None = Field(description="null for standing work not tied to a risk")
    region: str
    kind: str = Field(
        description="handle_and_report, prepare_and_acknowledge, convene, follow_up, "
        "take_command; task (a plan's own task), action (a meeting's action item), "
        "item (an annual plan item)"
    )
    task: str = Field(description="the line's code within its source; empty for built-in kinds")
    title: str | None = Field(description="what a task, action or item line says")
    title_en: str | None
    source: str = Field(description='what drew it: "plan:3@2", "meeting:7", "annual:12" or ""')
    role: str
    organisation: str
    jurisdiction: str | None
    deadline: datetime
    status: str = Field(description="open, late, done, done_late, waived or cancelled, as now")
    assigned_at: datetime
    done_at: datetime | None
    done_by: str | None
    done_via: str | None = Field(description="the journal action that fulfilled it")
    reason: str | None = Field(description="why it was waived or cancelled")
    reminded_at: datetime | None


def duty_out(duty: DutyRecord, now: datetime) -> DutyOut:
    return DutyOut(
        id=duty.id or 0,
        risk_id=duty.risk_id,
        region=duty.region_code,
        kind=duty.kind.value,
        task=duty.task,
        title=duty.title,
        title_en=duty.title_en,
        source=duty.source,
        role=duty.role.value,
        organisation=duty.organisation_code,
        jurisdiction=duty.jurisdiction_code,
        deadline=duty.deadline,
        status=duty.shown(now).value,
        assigned_at=duty.assigned_at,
        done_at=duty.done_at,
        done_by=duty.done_by,
        done_via=duty.done_via,
        reason=duty.reason,
        reminded_at=duty.reminded_at,
    )


class AcknowledgeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(default="", max_length=NOTE_MAX)


class WaiveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=REASON_MAX)


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=duties.REPORT_MAX, description="the situation as it stands")
    figures: dict[str, float] = Field(
        default_factory=dict, description="named figures: casualties, tonnes spilled…"
    )


class ReportOut(BaseModel):
    risk_id: int
    completed: DutyOut | None = Field(description="the duty this report fulfilled, if any")


@router.get("/duties", response_model=list[DutyOut])
def mine(
    actor: ActorDep,
    uow: UowDep,
    status: Annotated[
        str | None,
        Query(max_length=16, description="open (on time or late), late, done, done_late…"),
    ] = None,
) -> list[DutyOut]:
    """The caller's organisation's duties; the coordination body's are its region's."""
    now = utc_now()
    return [duty_out(d, now) for d in duties.duties_for(uow, actor, status=status, now=now)]


@router.get("/risks/{risk_id}/duties", response_model=list[DutyOut])
def of_risk(risk_id: RowId, actor: ActorDep, uow: UowDep) -> list[DutyOut]:
    """Every duty of one risk."""
    now = utc_now()
    return [duty_out(d, now) for d in duties.duties_of_risk(uow, actor, risk_id)]


@router.post("/duties/{duty_id}/acknowledge", response_model=DutyOut)
def acknowledge(duty_id: RowId, body: AcknowledgeIn, actor: ActorDep, uow: UowDep) -> DutyOut:
    """A domain office follows the risk, or the central office takes command."""
    now = utc_now()
    return duty_out(duties.acknowledge_duty(uow, actor, duty_id, note=body.note, now=now), now)


@router.post("/duties/{duty_id}/waive", response_model=DutyOut)
def waive(duty_id: RowId, body: WaiveIn, actor: ActorDep, uow: UowDep) -> DutyOut:
    """The coordination body releases a party from a duty, with the reason."""
    now = utc_now()
    return duty_out(duties.waive_duty(uow, actor, duty_id, reason=body.reason, now=now), now)


@router.post("/risks/{risk_id}/reports", response_model=ReportOut, status_code=201)
def report(risk_id: RowId, body: ReportIn, actor: ActorDep, uow: UowDep) -> ReportOut:
    """An origin city reports on its risk; the first report completes handle_and_report."""
    now = utc_now()
    done = duties.file_report(uow, actor, risk_id, text=body.text, figures=body.figures, now=now)
    return ReportOut(risk_id=risk_id, completed=None if done is None else duty_out(done, now))
