"""Offers, commitments and shipments as the request pages show them, with the forms the
visitor may use on each (by the same permission predicates the services check)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crossrisk.domain.aid.commitment import Outcome
from crossrisk.domain.aid.offer import Offer, OfferState
from crossrisk.domain.aid.progress import RequestProgress
from crossrisk.domain.aid.request import TOLERANCE, AidRequest, RequestState
from crossrisk.domain.aid.shipment import Shipment, ShipmentState
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.aid import can_dispatch, can_offer_aid, can_receive
from crossrisk.services.commitments import CommitmentView
from crossrisk.web.aid.request_values import Names, amount
from crossrisk.web.shared import aid_labels


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
        state_label=names.lang.gettext(aid_labels.OFFER_STATE[offer.state]),
        note=offer.note,
        lines=lines,
        may_accept_all=sum(1 for line in lines if line.may_accept) > 1,
        may_withdraw=is_open
        and any(not line.accepted for line in offer.lines)
        and can_offer_aid(actor, region_code=offer.region_code, donor_code=offer.jurisdiction_code),
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
    may_receive = requester_code is not None and can_receive(
        actor, region_code=region, requester_code=requester_code
    )
    donor = can_dispatch(actor, region_code=region, donor_code=commitment.donor_jurisdiction_code)
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
        mode=names.lang.gettext(aid_labels.TRANSPORT_MODE[shipment.mode]),
        reference=shipment.reference,
        dispatched_at=shipment.dispatched_at,
        expected_arrival=shipment.expected_arrival,
        state=shipment.state,
        state_label=names.lang.gettext(aid_labels.SHIPMENT_STATE[shipment.state]),
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
