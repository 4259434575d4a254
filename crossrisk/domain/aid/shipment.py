"""Shipments: goods moving against a commitment, from dispatch to receipt.

dispatched → in_transit → received. The receipt records what actually arrived; the
discrepancy (shipped − received) is what was lost, damaged or never loaded, and receipt
of more than was shipped is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from crossrisk.domain.aid.catalogue import valid_quantity
from crossrisk.domain.aid.request import TOLERANCE
from crossrisk.domain.errors import InvalidInput, InvalidTransition

REFERENCE_MAX = 200
NOTE_MAX = 1000


class TransportMode(StrEnum):
    ROAD = "road"
    RAIL = "rail"
    WATER = "water"
    AIR = "air"


class ShipmentState(StrEnum):
    DISPATCHED = "dispatched"
    IN_TRANSIT = "in_transit"
    RECEIVED = "received"


@dataclass(frozen=True, slots=True)
class Shipment:
    id: int | None
    commitment_id: int
    quantity: float  # shipped, base units
    mode: TransportMode
    reference: str  # vehicle plate, waybill, flight…
    dispatched_at: datetime
    dispatched_by: str
    expected_arrival: datetime
    state: ShipmentState = ShipmentState.DISPATCHED
    in_transit_at: datetime | None = None
    received_quantity: float | None = None
    received_at: datetime | None = None
    received_by: str | None = None
    note: str = ""

    @property
    def discrepancy(self) -> float | None:
        """Shipped minus received, once received."""
        if self.received_quantity is None:
            return None
        return self.quantity - self.received_quantity


def check_dispatch(quantity: float, *, committed: float, shipped_before: float) -> float:
    """A dispatched quantity: positive and within what the commitment has left to ship."""
    quantity = valid_quantity(quantity, allow_zero=False)
    left = committed - shipped_before
    if quantity > left + TOLERANCE:
        raise InvalidInput(
            f"shipping {quantity:g} is more than the {max(left, 0):g} the commitment has left",
            key="shipment-exceeds-commitment",
            params={"quantity": quantity, "left": max(left, 0.0)},
        )
    return quantity


def receive(shipment: Shipment, *, quantity: float, at: datetime, by: str, note: str) -> Shipment:
    """The shipment as received, or InvalidInput/InvalidTransition."""
    if shipment.state is ShipmentState.RECEIVED:
        raise InvalidTransition(
            f"shipment {shipment.id} was received already",
            key="shipment-received-already",
            params={"shipment": shipment.id},
        )
    quantity = valid_quantity(quantity)
    if quantity > shipment.quantity + TOLERANCE:
        raise InvalidInput(
            f"receipt of {quantity:g} is more than the {shipment.quantity:g} shipped",
            key="receipt-exceeds-shipment",
            params={"received": quantity, "shipped": shipment.quantity},
        )
    if at < shipment.dispatched_at:
        raise InvalidInput(
            "a shipment cannot arrive before it was dispatched", key="receipt-before-dispatch"
        )
    return replace(
        shipment,
        state=ShipmentState.RECEIVED,
        received_quantity=quantity,
        received_at=at,
        received_by=by,
        note=note,
    )


def mark_in_transit(shipment: Shipment, *, at: datetime) -> Shipment:
    if shipment.state is not ShipmentState.DISPATCHED:
        raise InvalidTransition(
            f"shipment {shipment.id} is {shipment.state.value}",
            key="shipment-transition",
            params={"shipment": shipment.id, "state": shipment.state.value},
        )
    return replace(shipment, state=ShipmentState.IN_TRANSIT, in_transit_at=at)
