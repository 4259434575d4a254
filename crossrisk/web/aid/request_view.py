"""Aid requests as the pages show them: the list's rows and one request's page with its
lines, in the page's language, and which forms the visitor may use (by the same permission
predicates the services check). Offers, commitments and shipments are in `pledge_view`;
quantities, times and names in `request_values`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from crossrisk.domain.aid.offer import Offer
from crossrisk.domain.aid.progress import LineProgress, RequestProgress
from crossrisk.domain.aid.request import (
    TOLERANCE,
    RequestLine,
    RequestState,
)
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.aid import (
    can_accept_offer,
    can_approve_aid_request,
    can_offer_aid,
    can_request_aid,
)
from crossrisk.services.commitments import CommitmentView
from crossrisk.web.aid.pledge_view import (
    CommitmentRow,
    OfferLineRow,
    OfferRow,
    commitment_row,
    offer_row,
)
from crossrisk.web.aid.request_values import Names

# A line still short of its goods after its "needed by" time is overdue; these are done.
DONE = frozenset({RequestState.RECEIVED, RequestState.CLOSED, RequestState.CANCELLED})


@dataclass(frozen=True, slots=True)
class RequestRow:
    """One request on the list."""

    id: int
    city: str
    made_by: str
    risk_id: int | None
    state: RequestState
    state_label: str
    items: str  # "救灾帐篷 5,000 顶; 瓶装饮用水 …"
    needed_by: datetime | None  # the earliest of its lines
    overdue: bool
    created_at: datetime


def overdue(line: RequestLine, progress: LineProgress | None, *, now: datetime) -> bool:
    """A line whose "needed by" time has passed while its goods have not all arrived."""
    state = progress.state if progress else RequestState.DRAFT
    return line.needed_by < now and state not in DONE


def request_rows(
    found: Iterable[RequestProgress], names: Names, *, item: str, now: datetime
) -> list[RequestRow]:
    """The list's rows; with `item`, only requests with a line of it (or taking it instead)."""
    rows = []
    for progress in found:
        request = progress.request
        if item and not any(line.accepts(item) for line in request.lines):
            continue
        lines = request.lines
        rows.append(
            RequestRow(
                id=request.id or 0,
                city=names.city(request.jurisdiction_code),
                made_by=names.organisation(request.made_by),
                risk_id=request.risk_id,
                state=progress.state,
                state_label=names.state(progress.state),
                items=names.lang.gettext("; ").join(
                    f"{names.item(line.item_code)} {names.quantity(line.item_code, line.quantity)}"
                    for line in lines
                ),
                needed_by=min((line.needed_by for line in lines), default=None),
                overdue=progress.state not in DONE
                and any(
                    overdue(line, progress.lines.get(line.id or 0), now=now)
                    for line in lines
                    if progress.state is not RequestState.DRAFT
                ),
                created_at=request.created_at,
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class LineRow:
    id: int
    item_code: str
    item: str
    unit: str
    quantity: str
    priority: str
    priority_value: str
    needed_by: datetime
    overdue: bool
    destination: str
    lon: float
    lat: float
    substitutes: tuple[tuple[str, str], ...]  # (code, name)
    state: RequestState
    state_label: str
    committed: str
    shipped: str
    received: str
    in_transit: str
    still_needed: float
    still_needed_label: str
    may_offer: bool
    offers: tuple[tuple[OfferRow, OfferLineRow], ...]


@dataclass(frozen=True, slots=True)
class RequestPage:
    id: int
    city: str
    jurisdiction_code: str
    made_by: str
    risk_id: int | None
    state: RequestState
    state_label: str
    created_at: datetime
    submitted_at: datetime | None
    approved_at: datetime | None
    approved_by: str
    closed_at: datetime | None
    cancelled_at: datetime | None
    reason: str
    lines: tuple[LineRow, ...]
    offers: tuple[OfferRow, ...]
    commitments: tuple[CommitmentRow, ...]
    may_submit: bool
    may_approve: bool
    may_cancel: bool
    may_close: bool
    may_offer: bool


def request_page(
    progress: RequestProgress,
    offers: Sequence[Offer],
    commitments: Sequence[CommitmentView],
    *,
    actor: Actor,
    names: Names,
    now: datetime,
) -> RequestPage:
    """Everything the request's page shows, and what the visitor may do there."""
    request = progress.request
    region = request.region_code
    own = can_request_aid(actor, region_code=region, jurisdiction_code=request.jurisdiction_code)
    open_for_aid = request.state is RequestState.APPROVED
    donor = actor.jurisdiction_code
    may_offer = (
        open_for_aid
        and donor is not None
        and donor != request.jurisdiction_code
        and can_offer_aid(actor, region_code=region, donor_code=donor)
    )
    may_accept = open_for_aid and can_accept_offer(
        actor, region_code=region, requester_code=request.jurisdiction_code
    )
    offer_rows = tuple(
        offer_row(offer, names=names, may_accept=may_accept, progress=progress, actor=actor)
        for offer in offers
    )
    lines = []
    for line in request.lines:
        line_progress = progress.lines.get(line.id or 0)
        lines.append(
            line_row(
                line,
                line_progress,
                names=names,
                may_offer=may_offer,
                offers=tuple(
                    (offer, offer_line)
                    for offer in offer_rows
                    for offer_line in offer.lines
                    if offer_line.request_line_id == line.id
                ),
                stored=request.state,
                now=now,
            )
        )
    return RequestPage(
        id=request.id or 0,
        city=names.city(request.jurisdiction_code),
        jurisdiction_code=request.jurisdiction_code,
        made_by=names.organisation(request.made_by),
        risk_id=request.risk_id,
        state=progress.state,
        state_label=names.state(progress.state),
        created_at=request.created_at,
        submitted_at=request.submitted_at,
        approved_at=request.approved_at,
        approved_by=names.person(request.approved_by),
        closed_at=request.closed_at,
        cancelled_at=request.cancelled_at,
        reason=request.reason,
        lines=tuple(lines),
        offers=offer_rows,
        commitments=tuple(
            commitment_row(view, request=request, actor=actor, names=names) for view in commitments
        ),
        may_submit=own and request.state is RequestState.DRAFT,
        may_approve=request.state is RequestState.SUBMITTED
        and can_approve_aid_request(actor, region),
        may_cancel=own
        and request.state in (RequestState.DRAFT, RequestState.SUBMITTED, RequestState.APPROVED)
        and not any(view.commitment.cancelled_at is None for view in commitments),
        may_close=own and request.state is RequestState.APPROVED,
        may_offer=may_offer,
    )


def line_row(
    line: RequestLine,
    progress: LineProgress | None,
    *,
    names: Names,
    may_offer: bool,
    offers: tuple[tuple[OfferRow, OfferLineRow], ...],
    stored: RequestState,
    now: datetime,
) -> LineRow:
    state = progress.state if progress else stored
    still_needed = progress.still_needed if progress else line.quantity
    code = line.item_code
    return LineRow(
        id=line.id or 0,
        item_code=code,
        item=names.item(code),
        unit=names.unit(code),
        quantity=names.quantity(code, line.quantity),
        priority=names.priority(line.priority),
        priority_value=line.priority.value,
        needed_by=line.needed_by,
        overdue=stored is not RequestState.DRAFT and overdue(line, progress, now=now),
        destination=line.destination.name,
        lon=line.destination.lon,
        lat=line.destination.lat,
        substitutes=tuple((s, names.item(s)) for s in line.substitutes),
        state=state,
        state_label=names.state(state),
        committed=names.quantity(code, progress.committed if progress else 0.0),
        shipped=names.quantity(code, progress.shipped if progress else 0.0),
        received=names.quantity(code, progress.received if progress else 0.0),
        in_transit=names.quantity(code, progress.in_transit if progress else 0.0),
        still_needed=still_needed,
        still_needed_label=names.quantity(code, still_needed),
        may_offer=may_offer and still_needed > TOLERANCE,
        offers=offers,
    )
