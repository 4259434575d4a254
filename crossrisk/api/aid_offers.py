"""Offers over HTTP: made against a request, read with it, withdrawn, accepted."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from crossrisk.api.commitments import CommitmentOut, commitment_out
from crossrisk.domain.aid.offer import NOTE_MAX, OFFER_LINES_MAX, Offer, OfferLineDraft
from crossrisk.http.deps import ID_MAX, ActorDep, RowId, UowDep, utc_now
from crossrisk.services import aid_offers, commitments

router = APIRouter(prefix="/api/aid", tags=["mutual aid"])


class OfferLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    request_line: int = Field(ge=1, le=ID_MAX, description="the request line's id")
    item: str | None = Field(
        default=None, max_length=64, description="the line's item (default) or a substitute"
    )
    quantity: float = Field(description="in the item's base unit")
    earliest_dispatch: datetime
    estimated_arrival: datetime
    cost_cny: float = Field(default=0.0, description="estimated cost in yuan, settled later")
    note: str = Field(default="", max_length=NOTE_MAX)


class OfferIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lines: list[OfferLineIn] = Field(max_length=OFFER_LINES_MAX)
    note: str = Field(default="", max_length=NOTE_MAX)


class AcceptIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lines: list[Annotated[int, Field(ge=1, le=ID_MAX)]] | None = Field(
        default=None,
        max_length=OFFER_LINES_MAX,
        description="offer line ids to accept; all not yet accepted when left out",
    )


class OfferLineOut(BaseModel):
    id: int
    request_line: int
    item: str
    quantity: float
    earliest_dispatch: datetime
    estimated_arrival: datetime
    cost_cny: float
    note: str
    accepted_quantity: float | None = Field(description="capped at what the line still needed")
    commitment_id: int | None


class OfferOut(BaseModel):
    id: int
    request_id: int
    donor: str
    made_by: str
    state: str = Field(description="open or withdrawn")
    note: str
    created_at: datetime
    withdrawn_at: datetime | None
    lines: list[OfferLineOut]


def offer_out(offer: Offer) -> OfferOut:
    return OfferOut(
        id=offer.id or 0,
        request_id=offer.request_id,
        donor=offer.jurisdiction_code,
        made_by=offer.made_by,
        state=offer.state.value,
        note=offer.note,
        created_at=offer.created_at,
        withdrawn_at=offer.withdrawn_at,
        lines=[
            OfferLineOut(
                id=line.id or 0,
                request_line=line.request_line_id,
                item=line.item_code,
                quantity=line.quantity,
                earliest_dispatch=line.earliest_dispatch,
                estimated_arrival=line.estimated_arrival,
                cost_cny=line.cost_cny,
                note=line.note,
                accepted_quantity=line.accepted_quantity,
                commitment_id=line.commitment_id,
            )
            for line in offer.lines
        ],
    )


@router.get("/requests/{request_id}/offers", response_model=list[OfferOut])
def offers(request_id: RowId, actor: ActorDep, uow: UowDep) -> list[OfferOut]:
    """Every offer made against a request."""
    return [offer_out(o) for o in aid_offers.offers_of_request(uow, actor, request_id)]


@router.post("/requests/{request_id}/offers", response_model=OfferOut, status_code=201)
def make_offer(request_id: RowId, body: OfferIn, actor: ActorDep, uow: UowDep) -> OfferOut:
    """The caller's city offers what it can give (never to its own request)."""
    offer = aid_offers.make_offer(
        uow,
        actor,
        request_id,
        lines=[
            OfferLineDraft(
                request_line_id=line.request_line,
                item_code=line.item,
                quantity=line.quantity,
                earliest_dispatch=line.earliest_dispatch,
                estimated_arrival=line.estimated_arrival,
                cost_cny=line.cost_cny,
                note=line.note,
            )
            for line in body.lines
        ],
        note=body.note,
        now=utc_now(),
    )
    return offer_out(offer)


@router.post("/offers/{offer_id}/withdrawal", response_model=OfferOut)
def withdraw(offer_id: RowId, actor: ActorDep, uow: UowDep) -> OfferOut:
    """The donor takes back what was not yet accepted."""
    return offer_out(aid_offers.withdraw_offer(uow, actor, offer_id, now=utc_now()))


@router.post("/offers/{offer_id}/acceptance", response_model=list[CommitmentOut], status_code=201)
def accept(offer_id: RowId, body: AcceptIn, actor: ActorDep, uow: UowDep) -> list[CommitmentOut]:
    """The committee or the requester accepts offer lines; each becomes a commitment."""
    now = utc_now()
    made = aid_offers.accept_offer(uow, actor, offer_id, line_ids=body.lines, now=now)
    return [commitment_out(commitments.view(c, (), now=now)) for c in made]
