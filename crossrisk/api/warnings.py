"""Early warnings over HTTP: inbox, issue by hand, CAP documents, acknowledgement."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from crossrisk.api.fields import Level
from crossrisk.domain.delivery import CAP_MEDIA_TYPE
from crossrisk.domain.risk import REASON_MAX
from crossrisk.domain.warning import INSTRUCTIONS_MAX
from crossrisk.domain.warning_national_id import national_warning_id
from crossrisk.domain.warning_plan import WarningMessage
from crossrisk.http.deps import ActorDep, RowId, UowDep, utc_now
from crossrisk.services import warnings

router = APIRouter(prefix="/api", tags=["warnings"])


class WarningOut(BaseModel):
    id: str
    risk_id: int
    region: str
    recipient: str
    organisation: str
    msg_type: str = Field(description="CAP msgType: Alert, Update or Cancel")
    manual: bool = Field(description="issued by a person rather than from the reach")
    level: int = Field(description="1 red, 2 orange, 3 yellow, 4 blue")
    colour: str
    kind: str = Field(
        description="warning: a colour warning; report: an information report (通报) of a "
        "social-security risk, which carries no colour or level"
    )
    status: str
    expected_arrival: datetime | None
    instructions_zh: str
    instructions_en: str
    issued_at: datetime
    issued_by: str
    ack_deadline: datetime
    expires_at: datetime | None
    references: list[str]
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    acknowledged_via: str | None
    delivered_at: datetime | None
    reminded_at: datetime | None
    escalated_at: datetime | None


def warning_out(message: WarningMessage) -> WarningOut:
    warning = message.warning
    return WarningOut(
        id=warning.id,
        risk_id=warning.risk_id,
        region=warning.region_code,
        recipient=warning.recipient_code,
        organisation=message.recipient_organisation,
        msg_type=message.msg_type.value,
        manual=message.manual,
        level=int(warning.level),
        colour=warning.level.key,
        kind="report" if warning.report else "warning",
        status=warning.status.value,
        expected_arrival=warning.expected_arrival,
        instructions_zh=warning.instructions_zh,
        instructions_en=warning.instructions_en,
        issued_at=warning.issued_at,
        issued_by=message.issued_by,
        ack_deadline=warning.ack_deadline,
        expires_at=warning.expires_at,
        references=[ref.identifier for ref in warning.references],
        acknowledged_at=message.acknowledged_at,
        acknowledged_by=message.acknowledged_by,
        acknowledged_via=message.acknowledged_via,
        delivered_at=message.delivered_at,
        reminded_at=message.reminded_at,
        escalated_at=message.escalated_at,
    )


class WarningIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    recipient: str = Field(max_length=12, description="GB/T 2260 code of a member jurisdiction")
    level: Level = Field(description="1–4 or red, orange, yellow, blue")
    instructions_zh: str = Field(default="", max_length=INSTRUCTIONS_MAX)
    instructions_en: str = Field(default="", max_length=INSTRUCTIONS_MAX)
    expected_arrival: datetime | None = None


class CancelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=REASON_MAX)


@router.get("/warnings", response_model=list[WarningOut])
def inbox(actor: ActorDep, uow: UowDep) -> list[WarningOut]:
    """The newest message of every warning the caller's organisation should see."""
    return [warning_out(m) for m in warnings.inbox(uow, actor)]


@router.get("/risks/{risk_id}/warnings", response_model=list[WarningOut])
def of_risk(risk_id: RowId, actor: ActorDep, uow: UowDep) -> list[WarningOut]:
    """The newest message to each recipient of one risk."""
    return [warning_out(m) for m in warnings.warnings_of_risk(uow, actor, risk_id)]


@router.post("/risks/{risk_id}/warnings", response_model=WarningOut, status_code=201)
def issue(risk_id: RowId, body: WarningIn, actor: ActorDep, uow: UowDep) -> WarningOut:
    """Warn a member jurisdiction by hand (the lead city or the coordination body)."""
    message = warnings.issue_warning(
        uow,
        actor,
        risk_id,
        recipient_code=body.recipient,
        level=body.level,
        instructions_zh=body.instructions_zh,
        instructions_en=body.instructions_en,
        expected_arrival=body.expected_arrival,
        now=utc_now(),
    )
    return warning_out(message)


@router.get("/warnings/{warning_id}", response_model=list[WarningOut])
def thread(warning_id: str, actor: ActorDep, uow: UowDep) -> list[WarningOut]:
    """Every message of the warning's thread, oldest first."""
    return [warning_out(m) for m in warnings.warning_thread(uow, actor, warning_id)]


@router.get("/warnings/{warning_id}/cap", response_class=Response)
def cap(warning_id: str, actor: ActorDep, uow: UowDep) -> Response:
    """The CAP 1.2 message exactly as delivered."""
    return Response(warnings.cap_document(uow, actor, warning_id), media_type=CAP_MEDIA_TYPE)


class NationalIdOut(BaseModel):
    warning: str
    national_id: str = Field(
        description="ZZZZZZDDDUUUXX_YYYYMMDDhhmmss_N, GB/T 35965.1-2018 Appendix A"
    )


@router.get("/warnings/{warning_id}/national-id", response_model=NationalIdOut)
def national_id(
    warning_id: str,
    actor: ActorDep,
    uow: UowDep,
    department: Annotated[str, Query(max_length=3, description="GB/T 4657 office code")],
    unit: Annotated[str, Query(max_length=3)] = "000",
    extension: Annotated[str, Query(max_length=2)] = "00",
    serial: Annotated[int, Query(ge=0, le=9)] = 0,
) -> NationalIdOut:
    """The identifier the warning takes when its city passes it on into the national
    early-warning release system."""
    warning = warnings.get_warning(uow, actor, warning_id).warning
    return NationalIdOut(
        warning=warning.id,
        national_id=national_warning_id(
            area_code=warning.recipient_code,
            department=department,
            unit=unit,
            extension=extension,
            entered_at=warning.issued_at,
            serial=serial,
        ),
    )


@router.post("/warnings/{warning_id}/acknowledge", response_model=WarningOut)
def acknowledge(warning_id: str, request: Request, actor: ActorDep, uow: UowDep) -> WarningOut:
    """The recipient confirms receipt (again: no change)."""
    # A bearer token is a system calling; the page's session cookie is a person clicking.
    via = "api" if request.headers.get("authorization") else "page"
    return warning_out(warnings.acknowledge(uow, actor, warning_id, via=via, now=utc_now()))


@router.post("/warnings/{warning_id}/cancel", response_model=WarningOut)
def cancel(warning_id: str, body: CancelIn, actor: ActorDep, uow: UowDep) -> WarningOut:
    """Lift a warning by hand, with the reason."""
    message = warnings.cancel_warning(uow, actor, warning_id, reason=body.reason, now=utc_now())
    return warning_out(message)
