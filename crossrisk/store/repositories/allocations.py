"""Allocations and their lines, as rows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crossrisk.domain.aid.allocation import (
    Allocation,
    AllocationLine,
    AllocationState,
    DonorFigures,
    UnmetQuantity,
)
from crossrisk.domain.errors import NotFound
from crossrisk.store.models import AllocationLineRow, AllocationRow

LIST_MAX = 200


class AllocationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, allocation: Allocation) -> Allocation:
        row = AllocationRow(
            region_code=allocation.region_code,
            fair=allocation.fair,
            request_ids=list(allocation.request_ids),
            risk_ids=list(allocation.risk_ids),
            digest=allocation.digest,
            total_hours=allocation.total_hours,
            lowest_fill_rate=allocation.lowest_fill_rate,
            price_hours=allocation.price_hours,
            unmet=[
                {"request_line_id": u.request_line_id, "item": u.item_code, "quantity": u.quantity}
                for u in allocation.unmet
            ],
            donors=[_donor_json(d) for d in allocation.donors],
            reserve_rules={k: list(v) for k, v in allocation.reserve_rules.items()},
            proposed_at=allocation.proposed_at,
            proposed_by=allocation.proposed_by,
        )
        _write(row, allocation)
        self.session.add(row)
        self.session.flush()
        self._write_lines(row.id, allocation.lines)
        return self.get(row.id)

    def save(self, allocation: Allocation) -> Allocation:
        """Write a decision: the state, who decided when, and the lines as approved."""
        assert allocation.id is not None
        row = self._row(allocation.id)
        _write(row, allocation)
        for line in self._line_rows(allocation.id):
            self.session.delete(line)
        self.session.flush()
        self._write_lines(allocation.id, allocation.lines)
        return self.get(allocation.id)

    def get(self, allocation_id: int, *, for_update: bool = False) -> Allocation:
        row = self._row(allocation_id, for_update=for_update)
        return _allocation(row, self._line_rows(allocation_id))

    def find(
        self,
        *,
        region_codes: list[str] | None = None,
        states: list[AllocationState] | None = None,
        limit: int = LIST_MAX,
    ) -> list[Allocation]:
        """Allocations, newest first (without their lines: a listing's summary)."""
        query = select(AllocationRow)
        if region_codes is not None:
            query = query.where(AllocationRow.region_code.in_(region_codes))
        if states is not None:
            query = query.where(AllocationRow.state.in_([s.value for s in states]))
        rows = self.session.scalars(query.order_by(AllocationRow.id.desc()).limit(limit))
        return [_allocation(row, []) for row in rows]

    def _row(self, allocation_id: int, *, for_update: bool = False) -> AllocationRow:
        query = select(AllocationRow).where(AllocationRow.id == allocation_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.scalar(query)
        if row is None:
            raise NotFound(
                f"no allocation {allocation_id}",
                key="allocation-not-found",
                params={"id": allocation_id},
            )
        return row

    def _line_rows(self, allocation_id: int) -> list[AllocationLineRow]:
        return list(
            self.session.scalars(
                select(AllocationLineRow)
                .where(AllocationLineRow.allocation_id == allocation_id)
                .order_by(AllocationLineRow.position)
            )
        )

    def _write_lines(self, allocation_id: int, lines: tuple[AllocationLine, ...]) -> None:
        for position, line in enumerate(lines, start=1):
            self.session.add(
                AllocationLineRow(
                    allocation_id=allocation_id,
                    position=position,
                    donor_jurisdiction_code=line.donor_jurisdiction_code,
                    request_line_id=line.request_line_id,
                    item_code=line.item_code,
                    quantity=line.quantity,
                    hours=line.hours,
                    donor_lon=line.donor_point[0],
                    donor_lat=line.donor_point[1],
                    destination_lon=line.destination_point[0],
                    destination_lat=line.destination_point[1],
                    stale=line.stale,
                    approved_quantity=line.approved_quantity,
                    commitment_id=line.commitment_id,
                )
            )
        self.session.flush()


def _write(row: AllocationRow, allocation: Allocation) -> None:
    row.state = allocation.state.value
    row.decided_at = allocation.decided_at
    row.decided_by = allocation.decided_by


def _donor_json(donor: DonorFigures) -> dict[str, Any]:
    return {
        "jurisdiction": donor.jurisdiction_code,
        "lon": donor.point[0],
        "lat": donor.point[1],
        "stock": dict(donor.stock),
        "reserve": dict(donor.reserve),
        "stale_items": list(donor.stale_items),
    }


def _allocation(row: AllocationRow, lines: list[AllocationLineRow]) -> Allocation:
    return Allocation(
        id=row.id,
        region_code=row.region_code,
        state=AllocationState(row.state),
        fair=row.fair,
        request_ids=tuple(row.request_ids),
        risk_ids=tuple(row.risk_ids),
        digest=row.digest,
        total_hours=row.total_hours,
        lines=tuple(
            AllocationLine(
                donor_jurisdiction_code=line.donor_jurisdiction_code,
                request_line_id=line.request_line_id,
                item_code=line.item_code,
                quantity=line.quantity,
                hours=line.hours,
                donor_point=(line.donor_lon, line.donor_lat),
                destination_point=(line.destination_lon, line.destination_lat),
                stale=line.stale,
                approved_quantity=line.approved_quantity,
                commitment_id=line.commitment_id,
            )
            for line in lines
        ),
        unmet=tuple(
            UnmetQuantity(
                request_line_id=int(u["request_line_id"]),
                item_code=str(u["item"]),
                quantity=float(u["quantity"]),
            )
            for u in row.unmet
        ),
        donors=tuple(
            DonorFigures(
                jurisdiction_code=str(d["jurisdiction"]),
                point=(float(d["lon"]), float(d["lat"])),
                stock={str(k): float(v) for k, v in d["stock"].items()},
                reserve={str(k): float(v) for k, v in d["reserve"].items()},
                stale_items=tuple(d.get("stale_items", ())),
            )
            for d in row.donors
        ),
        proposed_at=row.proposed_at,
        proposed_by=row.proposed_by,
        reserve_rules={str(k): (str(v[0]), float(v[1])) for k, v in row.reserve_rules.items()},
        lowest_fill_rate=row.lowest_fill_rate,
        price_hours=row.price_hours,
        decided_at=row.decided_at,
        decided_by=row.decided_by,
    )
