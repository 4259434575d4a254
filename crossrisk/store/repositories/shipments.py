"""Shipments, as rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from crossrisk.domain.aid.shipment import Shipment, ShipmentState, TransportMode
from crossrisk.domain.errors import NotFound
from crossrisk.store.models import ShipmentRow


class ShipmentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, shipment: Shipment) -> Shipment:
        row = ShipmentRow(commitment_id=shipment.commitment_id)
        _write(row, shipment)
        self.session.add(row)
        self.session.flush()
        return _shipment(row)

    def save(self, shipment: Shipment) -> Shipment:
        assert shipment.id is not None
        row = self._row(shipment.id)
        _write(row, shipment)
        self.session.flush()
        return _shipment(row)

    def get(self, shipment_id: int, *, for_update: bool = False) -> Shipment:
        return _shipment(self._row(shipment_id, for_update=for_update))

    def of_commitments(self, commitment_ids: Collection[int]) -> dict[int, list[Shipment]]:
        """Each commitment's shipments, oldest first (an empty list for none)."""
        found: dict[int, list[Shipment]] = defaultdict(list)
        ids = list(commitment_ids)
        for start in range(0, len(ids), 500):
            for row in self.session.scalars(
                select(ShipmentRow)
                .where(ShipmentRow.commitment_id.in_(ids[start : start + 500]))
                .order_by(ShipmentRow.id)
            ):
                found[row.commitment_id].append(_shipment(row))
        return {commitment_id: found.get(commitment_id, []) for commitment_id in ids}

    def _row(self, shipment_id: int, *, for_update: bool = False) -> ShipmentRow:
        query = select(ShipmentRow).where(ShipmentRow.id == shipment_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.scalar(query)
        if row is None:
            raise NotFound(
                f"no shipment {shipment_id}", key="shipment-not-found", params={"id": shipment_id}
            )
        return row


def _write(row: ShipmentRow, shipment: Shipment) -> None:
    row.quantity = shipment.quantity
    row.mode = shipment.mode.value
    row.reference = shipment.reference
    row.dispatched_at = shipment.dispatched_at
    row.dispatched_by = shipment.dispatched_by
    row.expected_arrival = shipment.expected_arrival
    row.state = shipment.state.value
    row.in_transit_at = shipment.in_transit_at
    row.received_quantity = shipment.received_quantity
    row.received_at = shipment.received_at
    row.received_by = shipment.received_by
    row.note = shipment.note


def _shipment(row: ShipmentRow) -> Shipment:
    return Shipment(
        id=row.id,
        commitment_id=row.commitment_id,
        quantity=row.quantity,
        mode=TransportMode(row.mode),
        reference=row.reference,
        dispatched_at=row.dispatched_at,
        dispatched_by=row.dispatched_by,
        expected_arrival=row.expected_arrival,
        state=ShipmentState(row.state),
        in_transit_at=row.in_transit_at,
        received_quantity=row.received_quantity,
        received_at=row.received_at,
        received_by=row.received_by,
        note=row.note,
    )
