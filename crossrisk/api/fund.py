"""The regional fund over HTTP: its book (balance, movements, deliveries in kind, what
approved statements and upheld cases still leave due), and the committee's contributions,
penalties and payouts (docs/compensation.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from crossrisk.api.compensation import (
    AMOUNT_DESCRIPTION,
    AMOUNT_MAX,
    CODE_MAX,
    DeliveryOut,
    delivery_out,
)
from crossrisk.domain.compensation.ledger import NOTE_MAX, FundMovement
from crossrisk.http.deps import ID_MAX, ActorDep, RowId, UowDep, utc_now
from crossrisk.services import fund

router = APIRouter(prefix="/api", tags=["compensation"])
RegionCode = Annotated[str, Path(min_length=1, max_length=CODE_MAX)]
CONDITIONS_MAX = 20


class ContributionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    contributor: str = Field(max_length=CODE_MAX, description="a province's or central office")
    amount_yuan: str = Field(max_length=AMOUNT_MAX, description=AMOUNT_DESCRIPTION)
    conditions: list[str] = Field(default=[], max_length=CONDITIONS_MAX)


class PenaltyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount_yuan: str | None = Field(
        default=None,
        max_length=AMOUNT_MAX,
        description="default: the penalty the case's agreement provides; " + AMOUNT_DESCRIPTION,
    )
    reason: str = Field(
        default="", max_length=NOTE_MAX, description="why, when not the agreement's amount"
    )


class PayoutIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    settlement_id: int = Field(ge=1, le=ID_MAX, description="the approved statement it pays")
    payee: str = Field(max_length=CODE_MAX)
    amount_yuan: str = Field(max_length=AMOUNT_MAX, description=AMOUNT_DESCRIPTION)
    note: str = Field(max_length=NOTE_MAX, description="what it pays for")


class MovementOut(BaseModel):
    id: int
    kind: str = Field(description="contribution, penalty or payout")
    party: str
    amount_fen: int
    conditions: list[str]
    note: str
    case_id: int | None
    settlement_id: int | None
    recorded_by: str
    recorded_at: datetime


class DueOut(BaseModel):
    settlement_id: int
    risk_id: int | None = Field(description="none for a border section's period statement")
    payee: str
    due_fen: int = Field(description="the most a payout on the statement may still pay")


class PenaltyDueOut(BaseModel):
    case_id: int
    party: str
    penalty: str = Field(description="what the decision said")
    provided_fen: int | None = Field(description="the agreement's penalty, if it states one")


class FundOut(BaseModel):
    fund: str
    received_fen: int
    paid_fen: int
    balance_fen: int
    movements: list[MovementOut] = Field(default_factory=list)
    deliveries: list[DeliveryOut] = Field(default_factory=list)
    dues: list[DueOut] = Field(
        default_factory=list, description="what approved statements still leave each payee due"
    )
    penalties_due: list[PenaltyDueOut] = Field(
        default_factory=list, description="upheld cases whose penalty is not paid in yet"
    )


def movement_out(movement: FundMovement) -> MovementOut:
    return MovementOut(
        id=movement.id or 0,
        kind=movement.kind.value,
        party=movement.party,
        amount_fen=movement.amount_fen,
        conditions=list(movement.conditions),
        note=movement.note,
        case_id=movement.case_id,
        settlement_id=movement.settlement_id,
        recorded_by=movement.recorded_by,
        recorded_at=movement.recorded_at,
    )


@router.get("/regions/{region}/fund", response_model=FundOut)
def fund_statement(region: RegionCode, actor: ActorDep, uow: UowDep) -> FundOut:
    """The regional fund's account: received, paid out, balance, in fen, with every
    movement and the region's in-kind deliveries."""
    book = fund.book(uow, actor, region)
    statement = book.statement
    return FundOut(
        fund=statement.fund,
        received_fen=statement.received_fen,
        paid_fen=statement.paid_fen,
        balance_fen=statement.balance_fen,
        movements=[movement_out(m) for m in book.movements],
        deliveries=[delivery_out(d) for d in book.deliveries],
        dues=[
            DueOut(
                settlement_id=d.settlement_id, risk_id=d.risk_id, payee=d.payee, due_fen=d.due_fen
            )
            for d in book.dues
        ],
        penalties_due=[
            PenaltyDueOut(
                case_id=p.case_id, party=p.party, penalty=p.penalty, provided_fen=p.provided_fen
            )
            for p in book.penalties_due
        ],
    )


@router.post("/regions/{region}/fund/contributions", response_model=MovementOut, status_code=201)
def contribute(
    region: RegionCode, body: ContributionIn, actor: ActorDep, uow: UowDep
) -> MovementOut:
    """The committee records a province's or the central office's contribution."""
    movement = fund.contribute(
        uow,
        actor,
        region,
        contributor=body.contributor,
        amount_yuan=body.amount_yuan,
        conditions=body.conditions,
        now=utc_now(),
    )
    return movement_out(movement)


@router.post("/cases/{case_id}/penalty", response_model=MovementOut, status_code=201)
def penalty(case_id: RowId, body: PenaltyIn, actor: ActorDep, uow: UowDep) -> MovementOut:
    """The committee pays a case's penalty, as its agreement provides, into the fund."""
    movement = fund.charge_penalty(
        uow, actor, case_id, amount_yuan=body.amount_yuan, reason=body.reason, now=utc_now()
    )
    return movement_out(movement)


@router.post("/regions/{region}/fund/payouts", response_model=MovementOut, status_code=201)
def payout(region: RegionCode, body: PayoutIn, actor: ActorDep, uow: UowDep) -> MovementOut:
    """The committee pays an approved statement's payee out of the fund, never beyond what
    the statement leaves it due nor beyond the fund's balance."""
    movement = fund.pay_out(
        uow,
        actor,
        region,
        settlement_id=body.settlement_id,
        payee=body.payee,
        amount_yuan=body.amount_yuan,
        note=body.note,
        now=utc_now(),
    )
    return movement_out(movement)
