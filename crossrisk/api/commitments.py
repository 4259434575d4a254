"""Commitments and their shipments over HTTP: read with their outcome, withdrawn by the
donor, dispatched by it, marked in transit, received by the requester."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from crossrisk.api.fields import one_of
from crossrisk.domain.aid.request import REASON_MAX
from crossrisk.domain.aid.shipment import NOTE_MAX, REFERENCE_MAX, Shipment, TransportMode
from crossrisk.http.deps import ID_MAX, ActorDep, RowId, UowDep, utc_now
from crossrisk.services import commitments, shipments
from crossrisk.services.commitments import CommitmentView

router = APIRouter(prefix="/api/aid", tags=["mutual aid"])


class ShipmentOut(BaseModel):
    id: int
    commitment_id: int
    quantity: float
    mode: str
    reference: str
    dispatched_at: datetime
    dispatched_by: str
    expected_arrival: datetime
    state: str = Field(description="dispatched, in_transit or received")
    in_transit_at: datetime | None
    received_quantity: float | None
    received_at: datetime | None
    discrepancy: float | None = Field(description="shipped − received, once received")
    note: str


class CommitmentOut(BaseModel):
    id: int
    region: str
    request_id: int
    request_line: int
    offer_line: int | None
    donor: str
    item: str
    quantity: float
    due: datetime
    made_at: datetime
    made_by: str
    cancelled_at: datetime | None
    outcome: str = Field(description="open, honoured, late, partial or broken, as of now")
    shipped: float
    received: float
    shipments: list[ShipmentOut]


class DispatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    quantity: float
    mode: str = one_of([m.value for m in TransportMode])
    reference: str = Field(max_length=REFERENCE_MAX, description="vehicle, waybill, flight…")
    expected_arrival: datetime
    stock_id: int | None = Field(
        default=None,
        ge=1,
        le=ID_MAX,
        description="the donor's stock to issue from; left out, its usable stocks of the item "
        "first-expiring-first-out",
    )


class ReceiptIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    quantity: float = Field(description="what actually arrived, in base units")
    received_at: datetime | None = Field(default=None, description="now when left out")
    note: str = Field(default="", max_length=NOTE_MAX)
    stock_id: int | None = Field(
        default=None,
        ge=1,
        le=ID_MAX,
        description="the requester's stock to add to; left out, its stock of the item at the "
        "line's destination (recorded there when absent)",
    )


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=REASON_MAX)


def shipment_out(shipment: Shipment) -> ShipmentOut:
    return ShipmentOut(
        id=shipment.id or 0,
        commitment_id=shipment.commitment_id,
        quantity=shipment.quantity,
        mode=shipment.mode.value,
        reference=shipment.reference,
        dispatched_at=shipment.dispatched_at,
        dispatched_by=shipment.dispatched_by,
        expected_arrival=shipment.expected_arrival,
        state=shipment.state.value,
        in_transit_at=shipment.in_transit_at,
        received_quantity=shipment.received_quantity,
        received_at=shipment.received_at,
        discrepancy=shipment.discrepancy,
        note=shipment.note,
    )


def commitment_out(view: CommitmentView) -> CommitmentOut:
    c = view.commitment
    return CommitmentOut(
        id=c.id or 0,
        region=c.region_code,
        request_id=c.request_id,
        request_line=c.request_line_id,
        offer_line=c.offer_line_id,
        donor=c.donor_jurisdiction_code,
        item=c.item_code,
        quantity=c.quantity,
        due=c.due,
        made_at=c.made_at,
        made_by=c.made_by,
        cancelled_at=c.cancelled_at,
        outcome=view.outcome.value,
        shipped=view.shipped,
        received=view.received,
        shipments=[shipment_out(s) for s in view.shipments],
    )


@router.get("/commitments", response_model=list[CommitmentOut])
def list_commitments(
    actor: ActorDep,
    uow: UowDep,
    region: Annotated[str | None, Query(max_length=32)] = None,
    donor: Annotated[str | None, Query(max_length=32, description="a donor city's code")] = None,
    request: Annotated[int | None, Query(ge=1, le=ID_MAX)] = None,
) -> list[CommitmentOut]:
    """Commitments the caller reads, newest first, each with its outcome now."""
    found = commitments.list_commitments(
        uow, actor, region_code=region, donor=donor, request_id=request, now=utc_now()
    )
    return [commitment_out(v) for v in found]


@router.get("/commitments/{commitment_id}", response_model=CommitmentOut)
def get_commitment(commitment_id: RowId, actor: ActorDep, uow: UowDep) -> CommitmentOut:
    """One commitment with its shipments and outcome."""
    return commitment_out(commitments.get_commitment(uow, actor, commitment_id, now=utc_now()))


@router.post("/commitments/{commitment_id}/cancellation", response_model=CommitmentOut)
def cancel(commitment_id: RowId, body: ReasonIn, actor: ActorDep, uow: UowDep) -> CommitmentOut:
    """The donor withdraws its commitment (it counts as broken)."""
    return commitment_out(
        commitments.cancel_commitment(uow, actor, commitment_id, reason=body.reason, now=utc_now())
    )


@router.post("/commitments/{commitment_id}/shipments", response_model=ShipmentOut, status_code=201)
def dispatch(commitment_id: RowId, body: DispatchIn, actor: ActorDep, uow: UowDep) -> ShipmentOut:
    """The donor dispatches (part of) its commitment, issued from its stock (the one named,
    else first-expiring-first-out); more than it holds is refused (dispatch-exceeds-stock)."""
    shipment = shipments.dispatch(
        uow,
        actor,
        commitment_id,
        quantity=body.quantity,
        mode=body.mode,
        reference=body.reference,
        expected_arrival=body.expected_arrival,
        stock_id=body.stock_id,
        now=utc_now(),
    )
    return shipment_out(shipment)


@router.post("/shipments/{shipment_id}/in-transit", response_model=ShipmentOut)
def in_transit(shipment_id: RowId, actor: ActorDep, uow: UowDep) -> ShipmentOut:
    """The donor reports the goods on the road."""
    return shipment_out(shipments.set_in_transit(uow, actor, shipment_id, now=utc_now()))


@router.post("/shipments/{shipment_id}/receipt", response_model=ShipmentOut)
def receipt(shipment_id: RowId, body: ReceiptIn, actor: ActorDep, uow: UowDep) -> ShipmentOut:
    """The requesting city (or the committee) records what actually arrived, added to its
    stock (the one named, else the item's stock at the line's destination)."""
    shipment = shipments.record_receipt(
        uow,
        actor,
        shipment_id,
        quantity=body.quantity,
        received_at=body.received_at,
        note=body.note,
        stock_id=body.stock_id,
        now=utc_now(),
    )
    return shipment_out(shipment)
