"""Aid requests, offers and commitments as the pages show them: names in the page's
language, quantities in each item's base unit, times in Beijing time, and which forms the
visitor may use (by the same permission predicates the services check)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from crossrisk.domain import permissions
from crossrisk.domain.aid.catalogue import Catalogue, Item
from crossrisk.domain.aid.commitment import Outcome
from crossrisk.domain.aid.offer import Offer, OfferState
from crossrisk.domain.aid.progress import LineProgress, RequestProgress
from crossrisk.domain.aid.request import (
    TOLERANCE,
    AidRequest,
    Priority,
    RequestLine,
    RequestState,
)
from crossrisk.domain.aid.shipment import Shipment, ShipmentState
from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.organisation import Actor
from crossrisk.locale import DISPLAY_ZONE
from crossrisk.services.commitments import CommitmentView
from crossrisk.web.shared import labels
from crossrisk.web.shared.directory import Directory
from crossrisk.web.shared.i18n import PageLanguage

# A line still short of its goods after its "needed by" time is overdue; these are done.
DONE = frozenset({RequestState.RECEIVED, RequestState.CLOSED, RequestState.CANCELLED})
# The form's datetime-local value: Beijing time to the minute.
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def amount(quantity: float) -> str:
    """A quantity as officers read it: thousands grouped, no trailing zeros."""
    if float(quantity).is_integer():
        return f"{int(quantity):,}"
    return f"{quantity:,.3f}".rstrip("0").rstrip(".")


def local_value(moment: datetime) -> str:
    """A UTC time as a datetime-local form value in Beijing time."""
    return moment.astimezone(DISPLAY_ZONE).strftime(LOCAL_FORMAT)


def parse_local(text: str) -> datetime:
    """A datetime-local form value, read as Beijing time, or InvalidInput ("time-invalid")."""
    text = text.strip()
    try:
        if len(text) > 19 or "\x00" in text:
            raise ValueError(text)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{text[:20]!r} is not a time", key="time-invalid") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=DISPLAY_ZONE)
    return moment


def parse_quantity(text: str) -> float:
    """A number typed in a form (thousands separators allowed), or InvalidInput."""
    cleaned = text.strip().replace(",", "").replace("，", "")
    try:
        if not cleaned or len(cleaned) > 32:
            raise ValueError(cleaned)
        number = float(cleaned)
    except ValueError:
        raise InvalidInput("a quantity must be a number", key="quantity-not-number") from None
    if not math.isfinite(number):
        raise InvalidInput("a quantity must be finite", key="quantity-not-finite")
    return number


def unit_choices(item: Item, lang: PageLanguage) -> list[tuple[str, str]]:
    """(value, label) of the units a quantity of the item may be given in."""
    return [("", item.unit_name(lang.locale.code))] + [
        (pack.code, f"{pack.name_zh if lang.is_chinese else pack.name_en} ({amount(pack.content)})")
        for pack in item.packs
    ]


@dataclass(frozen=True, slots=True)
class Names:
    """What the request pages name: cities, organisations, people and items."""

    lang: PageLanguage
    directory: Directory
    catalogue: Catalogue

    def city(self, code: str) -> str:
        return self.directory.jurisdiction_name(code, chinese=self.lang.is_chinese)

    def organisation(self, code: str) -> str:
        return self.directory.organisation_name(code, chinese=self.lang.is_chinese)

    def person(self, username: str | None) -> str:
        return self.directory.person_name(username)

    def item(self, code: str) -> str:
        return (
            self.catalogue.item(code).name(self.lang.locale.code)
            if code in self.catalogue
            else code
        )

    def unit(self, code: str) -> str:
        return (
            self.catalogue.item(code).unit_name(self.lang.locale.code)
            if code in self.catalogue
            else ""
        )

    def quantity(self, code: str, quantity: float) -> str:
        return f"{amount(quantity)} {self.unit(code)}".strip()

    def state(self, state: RequestState) -> str:
        return self.lang.gettext(labels.REQUEST_STATE[state])

    def priority(self, priority: Priority) -> str:
        return self.lang.gettext(labels.PRIORITY[priority])

    def outcome(self, outcome: Outcome) -> str:
        return self.lang.gettext(labels.OUTCOME[outcome])


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
class OfferLineRow:
    id: int
    request_line_id: int
    item: str
    quantity: str
    accepted: str  # the quantity accepted, once accepted
    earliest_dispatch: datetime
    estimated_arrival: datetime
    cost_cny: str
    note: str
    may_accept: bool


@dataclass(frozen=True, slots=True)
class OfferRow:
    id: int
    donor: str
    made_at: datetime
    state: OfferState
    state_label: str
    note: str
    lines: tuple[OfferLineRow, ...]
    may_accept_all: bool
    may_withdraw: bool  # the donor, while some line is not accepted yet


@dataclass(frozen=True, slots=True)
class ShipmentRow:
    id: int
    quantity: str
    quantity_value: float
    mode: str
    reference: str
    dispatched_at: datetime
    expected_arrival: datetime
    state: ShipmentState
    state_label: str
    received: str
    received_at: datetime | None
    discrepancy: str  # shipped − received, when not nothing
    note: str
    may_receive: bool
    may_mark_in_transit: bool


@dataclass(frozen=True, slots=True)
class CommitmentRow:
    id: int
    request_id: int
    request_city: str
    line_id: int
    donor: str
    donor_code: str
    item: str
    item_code: str
    unit: str
    quantity: str
    due: datetime
    made_at: datetime
    outcome: Outcome
    outcome_label: str
    shipped: str
    received: str
    left: float  # still to ship
    left_label: str
    withdrawn: bool
    shipments: tuple[ShipmentRow, ...]
    may_dispatch: bool
    may_withdraw: bool  # the donor, with nothing on the road and the outcome still open


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
    own = permissions.can_request_aid(
        actor, region_code=region, jurisdiction_code=request.jurisdiction_code
    )
    open_for_aid = request.state is RequestState.APPROVED
    donor = actor.jurisdiction_code
    may_offer = (
        open_for_aid
        and donor is not None
        and donor != request.jurisdiction_code
        and permissions.can_offer_aid(actor, region_code=region, donor_code=donor)
    )
    may_accept = open_for_aid and permissions.can_accept_offer(
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
        and permissions.can_approve_aid_request(actor, region),
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


def offer_row(
    offer: Offer, *, names: Names, may_accept: bool, progress: RequestProgress, actor: Actor
) -> OfferRow:
    is_open = offer.state is OfferState.OPEN
    lines = tuple(
        OfferLineRow(
            id=line.id or 0,
            request_line_id=line.request_line_id,
            item=names.item(line.item_code),
            quantity=names.quantity(line.item_code, line.quantity),
            accepted=(
                names.quantity(line.item_code, line.accepted_quantity)
                if line.accepted_quantity is not None
                else ""
            ),
            earliest_dispatch=line.earliest_dispatch,
            estimated_arrival=line.estimated_arrival,
            cost_cny=amount(line.cost_cny),
            note=line.note,
            may_accept=may_accept
            and is_open
            and not line.accepted
            and _still_needed(progress, line.request_line_id) > TOLERANCE,
        )
        for line in offer.lines
    )
    return OfferRow(
        id=offer.id or 0,
        donor=names.city(offer.jurisdiction_code),
        made_at=offer.created_at,
        state=offer.state,
        state_label=names.lang.gettext(labels.OFFER_STATE[offer.state]),
        note=offer.note,
        lines=lines,
        may_accept_all=sum(1 for line in lines if line.may_accept) > 1,
        may_withdraw=is_open
        and any(not line.accepted for line in offer.lines)
        and permissions.can_offer_aid(
            actor, region_code=offer.region_code, donor_code=offer.jurisdiction_code
        ),
    )


def _still_needed(progress: RequestProgress, line_id: int) -> float:
    found = progress.lines.get(line_id)
    return found.still_needed if found else 0.0


def commitment_row(
    view: CommitmentView,
    *,
    request: AidRequest | None,
    actor: Actor,
    names: Names,
    requester: str | None = None,
) -> CommitmentRow:
    """A commitment with its shipments; `requester` names the asking city when `request`
    is not at hand (the commitments page)."""
    commitment = view.commitment
    code = commitment.item_code
    region = commitment.region_code
    requester_code = request.jurisdiction_code if request else requester
    open_request = request is None or request.state is RequestState.APPROVED
    withdrawn = commitment.cancelled_at is not None
    left = max(commitment.quantity - view.shipped, 0.0)
    may_receive = requester_code is not None and permissions.can_receive(
        actor, region_code=region, requester_code=requester_code
    )
    donor = permissions.can_dispatch(
        actor, region_code=region, donor_code=commitment.donor_jurisdiction_code
    )
    shipments = tuple(
        shipment_row(
            shipment,
            names=names,
            code=code,
            may_receive=may_receive,
            may_mark=donor,
        )
        for shipment in view.shipments
    )
    return CommitmentRow(
        id=commitment.id or 0,
        request_id=commitment.request_id,
        request_city=names.city(requester_code) if requester_code else "",
        line_id=commitment.request_line_id,
        donor=names.city(commitment.donor_jurisdiction_code),
        donor_code=commitment.donor_jurisdiction_code,
        item=names.item(code),
        item_code=code,
        unit=names.unit(code),
        quantity=names.quantity(code, commitment.quantity),
        due=commitment.due,
        made_at=commitment.made_at,
        outcome=view.outcome,
        outcome_label=names.outcome(view.outcome),
        shipped=names.quantity(code, view.shipped),
        received=names.quantity(code, view.received),
        left=left,
        left_label=names.quantity(code, left),
        withdrawn=withdrawn,
        shipments=shipments,
        may_dispatch=donor and open_request and not withdrawn and left > TOLERANCE,
        may_withdraw=donor
        and view.outcome is Outcome.OPEN
        and all(s.state is ShipmentState.RECEIVED for s in view.shipments),
    )


def shipment_row(
    shipment: Shipment, *, names: Names, code: str, may_receive: bool, may_mark: bool
) -> ShipmentRow:
    discrepancy = shipment.discrepancy
    received = shipment.state is ShipmentState.RECEIVED
    return ShipmentRow(
        id=shipment.id or 0,
        quantity=names.quantity(code, shipment.quantity),
        quantity_value=shipment.quantity,
        mode=names.lang.gettext(labels.TRANSPORT_MODE[shipment.mode]),
        reference=shipment.reference,
        dispatched_at=shipment.dispatched_at,
        expected_arrival=shipment.expected_arrival,
        state=shipment.state,
        state_label=names.lang.gettext(labels.SHIPMENT_STATE[shipment.state]),
        received=(
            names.quantity(code, shipment.received_quantity)
            if shipment.received_quantity is not None
            else ""
        ),
        received_at=shipment.received_at,
        discrepancy=(
            names.quantity(code, discrepancy)
            if discrepancy is not None and abs(discrepancy) > TOLERANCE
            else ""
        ),
        note=shipment.note,
        may_receive=may_receive and not received,
        may_mark_in_transit=may_mark and shipment.state is ShipmentState.DISPATCHED,
    )
