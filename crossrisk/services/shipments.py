"""Shipments: dispatched by the donor, marked in transit, received by the requester.

Each step is journaled with the quantities and times a later issue needs to recompute a
commitment's outcome and a line's state without these tables.

Stocks follow shipments in the same transaction: a dispatch issues the donor's stock (the
stock named, else first-expiring-first-out), a receipt adds what arrived to the
requester's stock at the line's destination; each through the stock ledger and its
"stock.adjusted" entry (services.stocks.apply_adjustment).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from crossrisk.domain.aid.request import AidRequest, RequestState
from crossrisk.domain.aid.shipment import (
    NOTE_MAX,
    REFERENCE_MAX,
    Shipment,
    TransportMode,
    check_dispatch,
    mark_in_transit,
    receive,
)
from crossrisk.domain.aid.stock import Warehouse
from crossrisk.domain.errors import InvalidInput, NotPermitted
from crossrisk.domain.moments import in_utc
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.aid import can_dispatch, can_receive
from crossrisk.domain.permissions.regions import require_read_region
from crossrisk.domain.risk import check_text
from crossrisk.services import aid_requests, stock_movements
from crossrisk.services.commitments import check_due
from crossrisk.store.uow import Transaction, UnitOfWork


def dispatch(
    uow: UnitOfWork,
    actor: Actor,
    commitment_id: int,
    *,
    quantity: float,
    mode: TransportMode | str,
    reference: str,
    expected_arrival: datetime,
    stock_id: int | None = None,
    now: datetime,
) -> Shipment:
    """The donor sends (part of) what it committed, issued from its stock.

    From the stock `stock_id` names (the donor's, of the commitment's item), else
    first-expiring-first-out across the donor's usable stocks of the item; more than they
    hold is refused ("dispatch-exceeds-stock") and nothing is written.
    """
    reference = check_text("reference", reference, limit=REFERENCE_MAX)
    mode = _mode(mode)
    with uow as tx:
        commitment = tx.commitments.get(commitment_id, for_update=True)
        require_read_region(actor, commitment.region_code)
        if not can_dispatch(
            actor,
            region_code=commitment.region_code,
            donor_code=commitment.donor_jurisdiction_code,
        ):
            raise NotPermitted(
                f"only {commitment.donor_jurisdiction_code} dispatches its commitment",
                key="not-the-donor",
                params={"donor": commitment.donor_jurisdiction_code},
            )
        if commitment.cancelled_at is not None:
            raise InvalidInput(
                f"commitment {commitment_id} was withdrawn",
                key="commitment-withdrawn",
                params={"commitment": commitment_id},
            )
        request = tx.aid_requests.get(commitment.request_id)
        if request.state is not RequestState.APPROVED:
            raise InvalidInput(
                f"request {request.id} is {request.state.value}",
                key="request-not-open",
                params={"request": request.id, "state": request.state.value},
            )
        before = tx.shipments.of_commitments([commitment_id])[commitment_id]
        quantity = check_dispatch(
            quantity, committed=commitment.quantity, shipped_before=sum(s.quantity for s in before)
        )
        expected_arrival = check_due(expected_arrival, now=now, field="expected_arrival")
        if expected_arrival < now:
            raise InvalidInput(
                "the expected arrival comes before the dispatch", key="arrival-before-dispatch"
            )
        drill_id = _drill_of(tx, request)
        # A drill's goods are imagined: its shipments move no stock, real or its own.
        draws = (
            []
            if drill_id is not None
            else stock_movements.plan_issue(
                tx,
                actor,
                region_code=commitment.region_code,
                jurisdiction_code=commitment.donor_jurisdiction_code,
                item_code=commitment.item_code,
                quantity=quantity,
                stock_id=stock_id,
                now=now,
            )
        )
        shipment = tx.shipments.add(
            Shipment(
                id=None,
                commitment_id=commitment_id,
                quantity=quantity,
                mode=mode,
                reference=reference,
                dispatched_at=now,
                dispatched_by=actor.username,
                expected_arrival=expected_arrival,
            )
        )
        to = tx.regions.jurisdiction(request.jurisdiction_code)
        if draws:
            stock_movements.issue(
                tx,
                actor,
                draws,
                note=f"调运 {shipment.id} 发往{to.name_zh} / "
                f"shipment {shipment.id} to {to.name_en}",
                now=now,
                extra={"shipment_id": shipment.id},
            )
        _record(
            tx,
            actor,
            "shipment.dispatched",
            shipment,
            region_code=commitment.region_code,
            request_id=commitment.request_id,
            now=now,
            extra={
                "issued": [{"stock_id": d.stock.id, "quantity": d.quantity} for d in draws],
                **({} if drill_id is None else {"drill": drill_id}),
            },
        )
        tx.commit()
    return shipment


def set_in_transit(uow: UnitOfWork, actor: Actor, shipment_id: int, *, now: datetime) -> Shipment:
    """The donor reports the goods on the road (handed to the carrier, past the gate)."""
    with uow as tx:
        shipment = tx.shipments.get(shipment_id, for_update=True)
        commitment = tx.commitments.get(shipment.commitment_id)
        require_read_region(actor, commitment.region_code)
        if not can_dispatch(
            actor,
            region_code=commitment.region_code,
            donor_code=commitment.donor_jurisdiction_code,
        ):
            raise NotPermitted(
                f"only {commitment.donor_jurisdiction_code} reports its shipment",
                key="not-the-donor",
                params={"donor": commitment.donor_jurisdiction_code},
            )
        shipment = tx.shipments.save(mark_in_transit(shipment, at=now))
        _record(
            tx,
            actor,
            "shipment.in_transit",
            shipment,
            region_code=commitment.region_code,
            request_id=commitment.request_id,
            now=now,
        )
        tx.commit()
    return shipment


def record_receipt(
    uow: UnitOfWork,
    actor: Actor,
    shipment_id: int,
    *,
    quantity: float,
    note: str = "",
    received_at: datetime | None = None,
    stock_id: int | None = None,
    now: datetime,
) -> Shipment:
    """The requesting city (or the committee) records what actually arrived, added to its
    stock: the stock `stock_id` names (the requester's, of the commitment's item), else its
    stock of the item at the warehouse named as the line's destination, recorded at the
    destination's place when there is none."""
    note = check_text("note", note, limit=NOTE_MAX, required=False)
    at = in_utc(received_at or now, field="received_at")
    if at > now:
        raise InvalidInput("a receipt cannot lie in the future", key="receipt-in-future")
    with uow as tx:
        shipment = tx.shipments.get(shipment_id, for_update=True)
        commitment = tx.commitments.get(shipment.commitment_id)
        request = aid_requests.load_request(tx, actor, commitment.request_id)
        if not can_receive(
            actor, region_code=request.region_code, requester_code=request.jurisdiction_code
        ):
            raise NotPermitted(
                f"only {request.jurisdiction_code} or the coordination body records receipt",
                key="not-the-requester",
                params={"jurisdiction": request.jurisdiction_code},
            )
        shipment = tx.shipments.save(
            receive(shipment, quantity=quantity, at=at, by=actor.username, note=note)
        )
        into: int | None = None
        drill_id = _drill_of(tx, request)
        if shipment.received_quantity and drill_id is None:
            destination = request.line(commitment.request_line_id).destination
            donor = tx.regions.jurisdiction(commitment.donor_jurisdiction_code)
            into = stock_movements.receive_into(
                tx,
                actor,
                region_code=commitment.region_code,
                jurisdiction_code=request.jurisdiction_code,
                item_code=commitment.item_code,
                quantity=shipment.received_quantity,
                warehouse=Warehouse(destination.name, destination.lon, destination.lat),
                stock_id=stock_id,
                note=f"调运 {shipment.id} 来自{donor.name_zh} / shipment {shipment.id} from "
                f"{donor.name_en}",
                now=now,
                extra={"shipment_id": shipment.id},
            ).id
        _record(
            tx,
            actor,
            "shipment.received",
            shipment,
            region_code=commitment.region_code,
            request_id=commitment.request_id,
            now=now,
            extra={"received_into": into, **({} if drill_id is None else {"drill": drill_id})},
        )
        tx.commit()
    return shipment


def _drill_of(tx: Transaction, request: AidRequest) -> int | None:
    return None if request.risk_id is None else tx.risks.get(request.risk_id).drill_id


def _mode(mode: str) -> TransportMode:
    try:
        return TransportMode(mode)
    except ValueError:
        raise InvalidInput(
            f"unknown transport mode {mode!r}", key="unknown-transport-mode"
        ) from None


def _record(
    tx: Transaction,
    actor: Actor,
    action: str,
    shipment: Shipment,
    *,
    region_code: str,
    request_id: int,
    now: datetime,
    extra: dict[str, Any] | None = None,
) -> None:
    payload: dict[str, Any] = {
        "shipment_id": shipment.id,
        "commitment_id": shipment.commitment_id,
        "request_id": request_id,
        "state": shipment.state.value,
        "quantity": shipment.quantity,
        "mode": shipment.mode.value,
        "reference": shipment.reference,
        "dispatched_at": shipment.dispatched_at.isoformat(),
        "expected_arrival": shipment.expected_arrival.isoformat(),
        "received_quantity": shipment.received_quantity,
        "received_at": shipment.received_at.isoformat() if shipment.received_at else None,
        "discrepancy": shipment.discrepancy,
        **(extra or {}),
    }
    tx.record(
        actor,
        action,
        subject=f"shipment:{shipment.id}",
        payload=payload,
        region_code=region_code,
        now=now,
    )
