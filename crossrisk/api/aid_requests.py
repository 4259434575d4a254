"""Aid requests over HTTP: list, make, read with each line's progress, submit, approve,
cancel, close; and the offers made against a request."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from crossrisk.api.fields import one_of
from crossrisk.domain.aid.progress import LineProgress, RequestProgress
from crossrisk.domain.aid.request import (
    DESTINATION_MAX,
    LINES_MAX,
    REASON_MAX,
    SUBSTITUTES_MAX,
    Destination,
    LineDraft,
    Priority,
    RequestLine,
    RequestState,
)
from crossrisk.domain.errors import InvalidInput
from crossrisk.http.deps import ID_MAX, ActorDep, RowId, UowDep, utc_now
from crossrisk.services import aid_requests

router = APIRouter(prefix="/api/aid", tags=["mutual aid"])

CodeText = Annotated[str, Field(max_length=64)]
STATES = [s.value for s in RequestState]
PRIORITIES = [p.value for p in Priority]


class DestinationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=DESTINATION_MAX)
    lon: float
    lat: float


class LineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item: CodeText = Field(description="a catalogue item code, e.g. tent")
    quantity: float = Field(description="in the item's base unit, or in `unit` when given")
    unit: CodeText | None = Field(default=None, description="a pack code of the item, e.g. bale")
    priority: str = one_of(PRIORITIES)
    needed_by: datetime = Field(description="with its UTC offset; in the future when submitted")
    destination: DestinationIn
    substitutes: list[CodeText] = Field(default_factory=list, max_length=SUBSTITUTES_MAX)

    def draft(self) -> LineDraft:
        return LineDraft(
            item_code=self.item,
            quantity=self.quantity,
            unit=self.unit,
            priority=_priority(self.priority),
            needed_by=self.needed_by,
            destination=Destination(
                name=self.destination.name, lon=self.destination.lon, lat=self.destination.lat
            ),
            substitutes=tuple(self.substitutes),
        )


class RequestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    region: CodeText
    jurisdiction: CodeText = Field(description="the requesting city, e.g. 330100")
    risk_id: int | None = Field(default=None, ge=1, le=ID_MAX)
    lines: list[LineIn] = Field(max_length=LINES_MAX)


class LinesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lines: list[LineIn] = Field(max_length=LINES_MAX)


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(default="", max_length=REASON_MAX)


class LineOut(BaseModel):
    id: int
    item: str
    quantity: float
    priority: str
    priority_rank: int = Field(description="1 (life-saving) to 4 (normal)")
    needed_by: datetime
    destination: dict[str, object]
    substitutes: list[str]
    state: str = Field(description="derived from the quantities below")
    committed: float
    shipped: float
    received: float
    in_transit: float
    still_needed: float = Field(description="what no live commitment covers yet")
    outstanding: float = Field(description="what has not arrived yet")


class RequestOut(BaseModel):
    id: int
    region: str
    jurisdiction: str
    risk_id: int | None
    made_by: str
    state: str = Field(description="draft, submitted, approved… or the least advanced line's")
    created_at: datetime
    submitted_at: datetime | None
    approved_at: datetime | None
    closed_at: datetime | None
    cancelled_at: datetime | None
    reason: str
    lines: list[LineOut]


def line_out(line: RequestLine, progress: LineProgress | None) -> LineOut:
    return LineOut(
        id=line.id or 0,
        item=line.item_code,
        quantity=line.quantity,
        priority=line.priority.value,
        priority_rank=line.priority.rank,
        needed_by=line.needed_by,
        destination={
            "name": line.destination.name,
            "lon": line.destination.lon,
            "lat": line.destination.lat,
        },
        substitutes=list(line.substitutes),
        state=progress.state.value if progress else RequestState.DRAFT.value,
        committed=progress.committed if progress else 0.0,
        shipped=progress.shipped if progress else 0.0,
        received=progress.received if progress else 0.0,
        in_transit=progress.in_transit if progress else 0.0,
        still_needed=progress.still_needed if progress else line.quantity,
        outstanding=progress.outstanding if progress else line.quantity,
    )


def request_out(progress: RequestProgress) -> RequestOut:
    request = progress.request
    return RequestOut(
        id=request.id or 0,
        region=request.region_code,
        jurisdiction=request.jurisdiction_code,
        risk_id=request.risk_id,
        made_by=request.made_by,
        state=progress.state.value,
        created_at=request.created_at,
        submitted_at=request.submitted_at,
        approved_at=request.approved_at,
        closed_at=request.closed_at,
        cancelled_at=request.cancelled_at,
        reason=request.reason,
        lines=[line_out(line, progress.lines.get(line.id or 0)) for line in request.lines],
    )


def _priority(value: str) -> Priority:
    try:
        return Priority(value)
    except ValueError:
        raise InvalidInput(
            f"unknown priority {value[:40]!r}", key="unknown-priority", params={"priority": value}
        ) from None


def _state(value: str | None) -> RequestState | None:
    if value is None:
        return None
    try:
        return RequestState(value)
    except ValueError:
        raise InvalidInput(f"unknown state {value[:40]!r}", key="unknown-state") from None


@router.get("/requests", response_model=list[RequestOut])
def list_requests(
    actor: ActorDep,
    uow: UowDep,
    region: Annotated[str | None, Query(max_length=32)] = None,
    state: Annotated[str | None, Query(max_length=32, description=", ".join(STATES))] = None,
    jurisdiction: Annotated[str | None, Query(max_length=32)] = None,
) -> list[RequestOut]:
    """Aid requests the caller reads, newest first (drafts only to their makers)."""
    found = aid_requests.list_requests(
        uow,
        actor,
        region_code=region,
        jurisdiction_code=jurisdiction,
        state=_state(state),
        now=utc_now(),
    )
    return [request_out(p) for p in found]


@router.post("/requests", response_model=RequestOut, status_code=201)
def make_request(body: RequestIn, actor: ActorDep, uow: UowDep) -> RequestOut:
    """Draft a request for a member city (its own officers, or the committee for it)."""
    now = utc_now()
    request = aid_requests.draft_request(
        uow,
        actor,
        region_code=body.region,
        jurisdiction_code=body.jurisdiction,
        lines=[line.draft() for line in body.lines],
        risk_id=body.risk_id,
        now=now,
    )
    return request_out(aid_requests.get_request(uow, actor, request.id or 0, now=now))


@router.get("/requests/{request_id}", response_model=RequestOut)
def get_request(request_id: RowId, actor: ActorDep, uow: UowDep) -> RequestOut:
    """One request with its lines, their derived states and quantities."""
    return request_out(aid_requests.get_request(uow, actor, request_id, now=utc_now()))


@router.put("/requests/{request_id}/lines", response_model=RequestOut)
def edit_lines(request_id: RowId, body: LinesIn, actor: ActorDep, uow: UowDep) -> RequestOut:
    """Replace a draft's lines."""
    now = utc_now()
    aid_requests.edit_request(
        uow, actor, request_id, lines=[line.draft() for line in body.lines], now=now
    )
    return request_out(aid_requests.get_request(uow, actor, request_id, now=now))


@router.post("/requests/{request_id}/submission", response_model=RequestOut)
def submit(request_id: RowId, actor: ActorDep, uow: UowDep) -> RequestOut:
    """Send a draft to the coordination body."""
    now = utc_now()
    aid_requests.submit_request(uow, actor, request_id, now=now)
    return request_out(aid_requests.get_request(uow, actor, request_id, now=now))


@router.post("/requests/{request_id}/approval", response_model=RequestOut)
def approve(request_id: RowId, actor: ActorDep, uow: UowDep) -> RequestOut:
    """The coordination body opens the request to offers."""
    now = utc_now()
    aid_requests.approve_request(uow, actor, request_id, now=now)
    return request_out(aid_requests.get_request(uow, actor, request_id, now=now))


@router.post("/requests/{request_id}/cancellation", response_model=RequestOut)
def cancel(request_id: RowId, body: ReasonIn, actor: ActorDep, uow: UowDep) -> RequestOut:
    """Withdraw a request no commitment stands on, saying why."""
    now = utc_now()
    aid_requests.cancel_request(uow, actor, request_id, reason=body.reason, now=now)
    return request_out(aid_requests.get_request(uow, actor, request_id, now=now))


@router.post("/requests/{request_id}/closure", response_model=RequestOut)
def close(request_id: RowId, body: ReasonIn, actor: ActorDep, uow: UowDep) -> RequestOut:
    """End an approved request: nothing more is offered, committed or shipped against it."""
    now = utc_now()
    aid_requests.close_request(uow, actor, request_id, reason=body.reason, now=now)
    return request_out(aid_requests.get_request(uow, actor, request_id, now=now))
