"""Receiving CAP 1.2 alerts from other systems over HTTP."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from crossrisk.alerts.cap.schema import MAX_CAP_BYTES
from crossrisk.domain.errors import UnsupportedMediaType
from crossrisk.http.deps import ActorDep, UowDep, body_within, utc_now
from crossrisk.services import cap_import, cap_receipts

router = APIRouter(prefix="/api/cap", tags=["cap"])

# application/common-alerting-protocol+xml is the type CAP 1.2 registers (Appendix A);
# senders also use the generic XML types.
CAP_MEDIA_TYPES = frozenset(
    {"application/common-alerting-protocol+xml", "application/xml", "text/xml"}
)


class CapReceiptOut(BaseModel):
    outcome: str
    sender: str
    identifier: str
    msg_type: str
    status: str
    risk_id: int | None
    region: str | None
    category: str | None
    hazard_type: str | None
    level: str | None
    origins: list[str]
    clipped: bool
    colour: str | None  # the warning colour that gave the level, when CAP's codes did not
    summary: str


def receipt_out(receipt: cap_receipts.CapReceipt) -> CapReceiptOut:
    """The API form of a receipt."""
    return CapReceiptOut(
        outcome=receipt.outcome.value,
        sender=receipt.sender,
        identifier=receipt.identifier,
        msg_type=receipt.msg_type,
        status=receipt.status,
        risk_id=receipt.risk_id,
        region=receipt.region_code,
        category=receipt.category,
        hazard_type=receipt.hazard_type,
        level=receipt.level,
        origins=list(receipt.origin_codes),
        clipped=receipt.clipped,
        colour=receipt.colour,
        summary=receipt.summary(),
    )


@router.post(
    "",
    status_code=201,
    responses={
        201: {"model": CapReceiptOut, "description": "an Alert opened a risk"},
        200: {
            "model": CapReceiptOut,
            "description": "received; no risk opened (the outcome says what was done: "
            "updated, closed, recorded as outside the region, expired, an exercise…)",
        },
        413: {"description": "the message is over 1 MiB"},
        415: {"description": "the body is not XML"},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {media: {"schema": {"type": "string"}} for media in sorted(CAP_MEDIA_TYPES)},
        }
    },
)
async def post_cap(request: Request, actor: ActorDep, uow: UowDep) -> Response:
    """Receive a CAP 1.2 alert: Alert opens a risk, Update changes it, Cancel withdraws it.

    Every alert valid against the schema is received; one that touches no member
    jurisdiction (or has expired, or is an exercise) is recorded and opens nothing.
    """
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type not in CAP_MEDIA_TYPES:
        raise UnsupportedMediaType(
            f"send the CAP message as {', '.join(sorted(CAP_MEDIA_TYPES))}; "
            f"got {media_type or 'no Content-Type'}",
            key="cap-media-type",
        )
    body = await body_within(request, MAX_CAP_BYTES, what="the CAP message", key="cap-too-large")
    receipt = await run_in_threadpool(cap_import.receive_cap, uow, actor, body, now=utc_now())
    content = receipt_out(receipt).model_dump(mode="json")
    if receipt.outcome is cap_receipts.CapOutcome.OPENED:
        return JSONResponse(
            content, status_code=201, headers={"Location": f"/api/risks/{receipt.risk_id}"}
        )
    return JSONResponse(content, status_code=200)
