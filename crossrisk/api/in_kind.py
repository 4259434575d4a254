"""What was delivered in kind on an approved statement, over HTTP: a statement's
deliveries and its transfers settled with them, and the committee's record of one
(docs/compensation.md)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from crossrisk.api.compensation import (
    AMOUNT_DESCRIPTION,
    AMOUNT_MAX,
    CODE_MAX,
    DeliveryOut,
    TransferOut,
    delivery_out,
    transfer_out,
)
from crossrisk.domain.compensation.in_kind import QUANTITY_MAX
from crossrisk.domain.compensation.ledger import EVIDENCE_MAX, NOTE_MAX
from crossrisk.http.deps import ActorDep, RowId, UowDep, utc_now
from crossrisk.services import in_kind

router = APIRouter(prefix="/api", tags=["compensation"])


class DeliveryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    provider: str = Field(max_length=CODE_MAX, description="the party that delivered")
    recipient: str = Field(max_length=CODE_MAX, description="the party it was delivered to")
    description: str = Field(max_length=NOTE_MAX, description="what: training places, …")
    quantity: int = Field(ge=1, le=QUANTITY_MAX)
    unit_value_yuan: str = Field(max_length=AMOUNT_MAX, description=AMOUNT_DESCRIPTION)
    delivered_on: date
    evidence: str = Field(max_length=EVIDENCE_MAX, description="what proves it: text or a link")


class InKindOut(BaseModel):
    settlement_id: int
    deliveries: list[DeliveryOut]
    transfers: list[TransferOut] = Field(
        description="the statement's transfers settled with the deliveries: in kind, then money"
    )


@router.get("/settlements/{settlement_id}/in-kind", response_model=InKindOut)
def in_kind_account(settlement_id: RowId, actor: ActorDep, uow: UowDep) -> InKindOut:
    """What was delivered in kind on a statement, and its transfers settled with it."""
    found = in_kind.account(uow, actor, settlement_id)
    return InKindOut(
        settlement_id=settlement_id,
        deliveries=[delivery_out(d) for d in found.deliveries],
        transfers=[transfer_out(t) for t in found.settled.transfers],
    )


@router.post("/settlements/{settlement_id}/in-kind", response_model=DeliveryOut, status_code=201)
def deliver_in_kind(
    settlement_id: RowId, body: DeliveryIn, actor: ActorDep, uow: UowDep
) -> DeliveryOut:
    """The committee records goods or services delivered in kind on an approved statement."""
    delivery = in_kind.record_delivery(
        uow,
        actor,
        settlement_id,
        provider=body.provider,
        recipient=body.recipient,
        description=body.description,
        quantity=body.quantity,
        unit_value_yuan=body.unit_value_yuan,
        delivered_on=body.delivered_on,
        evidence=body.evidence,
        now=utc_now(),
    )
    return delivery_out(delivery)
