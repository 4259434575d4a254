"""Allocations over HTTP: propose one for open requests, read it, approve it (as proposed
or with edited lines, which become commitments) or discard it; the committee's work."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from crossrisk.aid.reserve import ReserveRule
from crossrisk.domain.aid.allocation import EDITED_LINES_MAX, REQUESTS_MAX, Allocation
from crossrisk.http.deps import ID_MAX, ActorDep, RowId, UowDep, utc_now
from crossrisk.services import allocations
from crossrisk.services.allocation_inputs import AllocationContext
from crossrisk.services.allocations import EditedLine

router = APIRouter(prefix="/api/aid", tags=["mutual aid"])

CodeText = Annotated[str, Field(max_length=64)]
RequestId = Annotated[int, Field(ge=1, le=ID_MAX)]
RULES_MAX = 100


class ReserveRuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fraction: float | None = Field(default=None, ge=0, le=1, allow_inf_nan=False)
    quantity: float | None = Field(default=None, ge=0, allow_inf_nan=False)


class AllocationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    request_ids: list[RequestId] = Field(min_length=1, max_length=REQUESTS_MAX)
    fair: bool = Field(default=False, description="maximise the lowest fill rate first")
    reserve_rules: dict[CodeText, ReserveRuleIn] = Field(
        default_factory=dict,
        max_length=RULES_MAX,
        description="per item, what every donor keeps instead of its own need: "
        "a fraction of its stock or a quantity",
    )


class EditedLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    donor: CodeText
    request_line: RequestId
    item: CodeText
    quantity: float = Field(ge=0, allow_inf_nan=False, description="0 drops the line")


class ApprovalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lines: list[EditedLineIn] | None = Field(
        default=None,
        max_length=EDITED_LINES_MAX,
        description="the lines as edited; left out, the proposal's lines are approved",
    )


class PointOut(BaseModel):
    lon: float
    lat: float


class AllocationLineOut(BaseModel):
    donor: str
    request_line: int
    item: str
    quantity: float = Field(description="as proposed (0 for a line added when approving)")
    hours: float
    stale: bool = Field(description="the donor's figure was not confirmed within the period")
    donor_point: PointOut
    destination: PointOut
    approved_quantity: float | None
    commitment_id: int | None


class UnmetOut(BaseModel):
    request_line: int
    item: str
    quantity: float


class DonorOut(BaseModel):
    jurisdiction: str
    point: PointOut
    stock: dict[str, float] = Field(description="usable, less what is committed and unshipped")
    reserve: dict[str, float]
    stale_items: list[str]


class AllocationOut(BaseModel):
    id: int
    region: str
    state: str = Field(description="proposed, approved, superseded or discarded")
    fair: bool
    request_ids: list[int]
    risk_ids: list[int]
    digest: str = Field(description="SHA-256 of the inputs the proposal was computed from")
    total_hours: float = Field(description="Σ quantity × travel hours of the proposed lines")
    lowest_fill_rate: float | None
    price_of_fairness_hours: float | None
    stale: bool
    reserve_rules: dict[str, dict[str, float]]
    proposed_at: datetime
    proposed_by: str
    decided_at: datetime | None
    decided_by: str | None
    lines: list[AllocationLineOut]
    unmet: list[UnmetOut]
    donors: list[DonorOut] = Field(description="the committee's view only; empty for others")


def allocation_out(allocation: Allocation) -> AllocationOut:
    return AllocationOut(
        id=allocation.id or 0,
        region=allocation.region_code,
        state=allocation.state.value,
        fair=allocation.fair,
        request_ids=list(allocation.request_ids),
        risk_ids=list(allocation.risk_ids),
        digest=allocation.digest,
        total_hours=allocation.total_hours,
        lowest_fill_rate=allocation.lowest_fill_rate,
        price_of_fairness_hours=allocation.price_hours,
        stale=allocation.stale,
        reserve_rules={k: {kind: v} for k, (kind, v) in allocation.reserve_rules.items()},
        proposed_at=allocation.proposed_at,
        proposed_by=allocation.proposed_by,
        decided_at=allocation.decided_at,
        decided_by=allocation.decided_by,
        lines=[
            AllocationLineOut(
                donor=line.donor_jurisdiction_code,
                request_line=line.request_line_id,
                item=line.item_code,
                quantity=line.quantity,
                hours=line.hours,
                stale=line.stale,
                donor_point=PointOut(lon=line.donor_point[0], lat=line.donor_point[1]),
                destination=PointOut(lon=line.destination_point[0], lat=line.destination_point[1]),
                approved_quantity=line.approved_quantity,
                commitment_id=line.commitment_id,
            )
            for line in allocation.lines
        ],
        unmet=[
            UnmetOut(request_line=u.request_line_id, item=u.item_code, quantity=u.quantity)
            for u in allocation.unmet
        ],
        donors=[
            DonorOut(
                jurisdiction=d.jurisdiction_code,
                point=PointOut(lon=d.point[0], lat=d.point[1]),
                stock=d.stock,
                reserve=d.reserve,
                stale_items=list(d.stale_items),
            )
            for d in allocation.donors
        ],
    )


def _rules(body: AllocationIn) -> dict[str, ReserveRule]:
    return {
        item: ReserveRule(fraction=rule.fraction, quantity=rule.quantity)
        for item, rule in body.reserve_rules.items()
    }


@router.get("/allocations", response_model=list[AllocationOut])
def list_allocations(
    actor: ActorDep, uow: UowDep, region: Annotated[str | None, Query(max_length=32)] = None
) -> list[AllocationOut]:
    """Allocations the caller reads, newest first (summaries: no lines)."""
    return [allocation_out(a) for a in allocations.list_allocations(uow, actor, region_code=region)]


@router.post("/allocations", response_model=AllocationOut, status_code=201)
def propose(body: AllocationIn, request: Request, actor: ActorDep, uow: UowDep) -> AllocationOut:
    """Propose the allocation of donors' spare stock to the open lines of these requests."""
    made = allocations.propose(
        uow,
        actor,
        body.request_ids,
        fair=body.fair,
        context=AllocationContext.of(request.app.state.settings),
        rules=_rules(body),
        now=utc_now(),
    )
    return allocation_out(made)


@router.get("/allocations/{allocation_id}", response_model=AllocationOut)
def get_allocation(allocation_id: RowId, actor: ActorDep, uow: UowDep) -> AllocationOut:
    """One allocation with its lines and what it could not meet."""
    return allocation_out(allocations.get_allocation(uow, actor, allocation_id))


@router.post("/allocations/{allocation_id}/approval", response_model=AllocationOut)
def approve(
    allocation_id: RowId, body: ApprovalIn, request: Request, actor: ActorDep, uow: UowDep
) -> AllocationOut:
    """Approve the proposal (or the lines as edited): each line becomes a commitment."""
    edited = (
        None
        if body.lines is None
        else [
            EditedLine(
                donor_jurisdiction_code=line.donor,
                request_line_id=line.request_line,
                item_code=line.item,
                quantity=line.quantity,
            )
            for line in body.lines
        ]
    )
    allocations.approve(
        uow,
        actor,
        allocation_id,
        edited,
        context=AllocationContext.of(request.app.state.settings),
        now=utc_now(),
    )
    return allocation_out(allocations.get_allocation(uow, actor, allocation_id))


@router.post("/allocations/{allocation_id}/discarding", response_model=AllocationOut)
def discard(allocation_id: RowId, actor: ActorDep, uow: UowDep) -> AllocationOut:
    """Set the proposal aside; nothing is committed."""
    allocations.discard(uow, actor, allocation_id, now=utc_now())
    return allocation_out(allocations.get_allocation(uow, actor, allocation_id))
