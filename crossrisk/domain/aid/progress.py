"""How far a request has come: its lines' quantities committed, shipped and received.

Read from the commitments and their shipments every time, never stored, so a line's
state cannot drift from the quantities that make it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from crossrisk.domain.aid.commitment import Commitment, Outcome, outcome
from crossrisk.domain.aid.request import (
    AidRequest,
    RequestLine,
    RequestState,
    line_state,
    request_state,
)
from crossrisk.domain.aid.shipment import Shipment, ShipmentState


@dataclass(frozen=True, slots=True)
class LineProgress:
    """A line's quantities so far, in base units, and the state they make."""

    quantity: float
    committed: float  # by commitments not broken
    shipped: float
    received: float
    in_transit: float  # shipped and not yet received
    state: RequestState

    @property
    def still_needed(self) -> float:
        """What no live commitment covers yet: what offers may still fill."""
        return max(self.quantity - self.committed, 0.0)

    @property
    def outstanding(self) -> float:
        """What has not arrived yet."""
        return max(self.quantity - self.received, 0.0)


@dataclass(frozen=True, slots=True)
class RequestProgress:
    request: AidRequest
    state: RequestState
    lines: Mapping[int, LineProgress]


def live(commitment: Commitment, shipments: Iterable[Shipment], *, now: datetime) -> bool:
    """True unless the commitment is broken (withdrawn, or nothing shipped by its due time).

    A broken commitment no longer covers its line, so the line asks for offers again.
    """
    return (
        outcome(
            quantity=commitment.quantity,
            due=commitment.due,
            cancelled_at=commitment.cancelled_at,
            shipments=shipments,
            now=now,
        )
        is not Outcome.BROKEN
    )


def line_progress(
    line: RequestLine,
    commitments: Iterable[Commitment],
    shipments: Mapping[int, list[Shipment]],
    *,
    stored: RequestState,
    now: datetime,
) -> LineProgress:
    """One line's quantities and state (its request's stored state, unless approved)."""
    committed = shipped = received = in_transit = 0.0
    for commitment in commitments:
        if commitment.request_line_id != line.id:
            continue
        assert commitment.id is not None
        sent = shipments.get(commitment.id, [])
        if live(commitment, sent, now=now):
            committed += commitment.quantity
        for shipment in sent:
            shipped += shipment.quantity
            if shipment.state is ShipmentState.RECEIVED:
                received += shipment.received_quantity or 0.0
            else:
                in_transit += shipment.quantity
    state = (
        line_state(
            quantity=line.quantity,
            committed=committed,
            shipped=shipped,
            received=received,
            in_transit=in_transit,
        )
        if stored is RequestState.APPROVED
        else stored
    )
    return LineProgress(
        quantity=line.quantity,
        committed=committed,
        shipped=shipped,
        received=received,
        in_transit=in_transit,
        state=state,
    )


def request_progress(
    request: AidRequest,
    commitments: Iterable[Commitment],
    shipments: Mapping[int, list[Shipment]],
    *,
    now: datetime,
) -> RequestProgress:
    """Every line's progress and the request's state from them."""
    every = list(commitments)
    lines = {
        line.id: line_progress(line, every, shipments, stored=request.state, now=now)
        for line in request.lines
        if line.id is not None
    }
    state = request_state(request.state, (p.state for p in lines.values()))
    return RequestProgress(request=request, state=state, lines=lines)
