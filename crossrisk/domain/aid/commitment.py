"""Commitments: a donor's promise of an item, a quantity and a time, and what became of it.

Every accepted offer line (and every approved allocation line) is a commitment. Its
outcome is read, never stored: `outcome` computes it from the shipments and the clock, so
the evaluation, trust and compensation issues all read the same rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from crossrisk.domain.aid.request import TOLERANCE
from crossrisk.domain.aid.shipment import Shipment, ShipmentState


class Outcome(StrEnum):
    OPEN = "open"
    HONOURED = "honoured"  # received in full by the due time
    LATE = "late"  # received in full, after the due time
    PARTIAL = "partial"  # less than committed arrived, and nothing more is on the way
    BROKEN = "broken"  # nothing shipped by the due time, or withdrawn by the donor


@dataclass(frozen=True, slots=True)
class Commitment:
    id: int | None
    region_code: str
    request_id: int
    request_line_id: int
    donor_jurisdiction_code: str
    item_code: str
    quantity: float  # base units
    due: datetime
    made_at: datetime
    made_by: str  # username of whoever accepted or approved it
    offer_line_id: int | None = None  # None when an approved allocation made it
    cancelled_at: datetime | None = None
    cancel_reason: str = ""


def outcome(
    *,
    quantity: float,
    due: datetime,
    cancelled_at: datetime | None,
    shipments: Iterable[Shipment],
    now: datetime,
) -> Outcome:
    """What a commitment came to, by the rule (checked in this order):

    1. withdrawn by its donor → broken;
    2. received in full → honoured when the receipt that completed it came by the due
       time, else late;
    3. something arrived, nothing is on the road, and either all was shipped or the due
       time has passed → partial;
    4. the due time has passed and nothing was dispatched by it → broken;
    5. otherwise → open.
    """
    if cancelled_at is not None:
        return Outcome.BROKEN
    every = list(shipments)
    done = sorted(
        (s for s in every if s.state is ShipmentState.RECEIVED and s.received_at),
        key=lambda s: s.received_at or s.dispatched_at,
    )
    received = 0.0
    for shipment in done:
        received += shipment.received_quantity or 0.0
        if received >= quantity - TOLERANCE:
            assert shipment.received_at is not None
            return Outcome.HONOURED if shipment.received_at <= due else Outcome.LATE
    on_road = any(s.state is not ShipmentState.RECEIVED for s in every)
    shipped = sum(s.quantity for s in every)
    if done and not on_road and (shipped >= quantity - TOLERANCE or now > due):
        return Outcome.PARTIAL
    if now > due and not any(s.dispatched_at <= due for s in every):
        return Outcome.BROKEN
    return Outcome.OPEN
