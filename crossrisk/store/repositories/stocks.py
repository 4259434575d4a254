"""Emergency stocks and their ledger, as rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from crossrisk.domain.aid.sharing import Sharing
from crossrisk.domain.aid.stock import Adjustment, AdjustmentReason, Stock, Warehouse
from crossrisk.domain.errors import NotFound
from crossrisk.store.models import StockAdjustmentRow, StockRow


class StockRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, stock: Stock) -> Stock:
        row = StockRow(region_code=stock.region_code, jurisdiction_code=stock.jurisdiction_code)
        _write(row, stock)
        self.session.add(row)
        self.session.flush()
        return _stock(row)

    def save(self, stock: Stock) -> Stock:
        """Write a stock's changed fields (its quantity only through an adjustment)."""
        assert stock.id is not None
        row = self.session.get(StockRow, stock.id)
        if row is None:
            raise NotFound(f"no stock {stock.id}")
        _write(row, stock)
        self.session.flush()
        return _stock(row)

    def get(self, stock_id: int, *, for_update: bool = False) -> Stock:
        query = select(StockRow).where(StockRow.id == stock_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.scalar(query)
        if row is None:
            raise NotFound(f"no stock {stock_id}", key="stock-not-found", params={"id": stock_id})
        return _stock(row)

    def of_region(
        self,
        region_code: str,
        *,
        jurisdiction_codes: Collection[str] | None = None,
        item_codes: Collection[str] | None = None,
    ) -> list[Stock]:
        """The region's stocks, by jurisdiction, item and warehouse."""
        query = select(StockRow).where(StockRow.region_code == region_code)
        if jurisdiction_codes is not None:
            query = query.where(StockRow.jurisdiction_code.in_(list(jurisdiction_codes)))
        if item_codes is not None:
            query = query.where(StockRow.item_code.in_(list(item_codes)))
        query = query.order_by(
            StockRow.jurisdiction_code, StockRow.item_code, StockRow.warehouse, StockRow.id
        )
        return [_stock(row) for row in self.session.scalars(query)]

    def levels(
        self, region_code: str, *, on: date, sharing: Collection[Sharing] | None = None
    ) -> dict[str, dict[str, float]]:
        """Usable quantity per jurisdiction and item on a day (expired stock left out)."""
        totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for stock in self.of_region(region_code):
            if not stock.usable_on(on) or (sharing is not None and stock.sharing not in sharing):
                continue
            totals[stock.jurisdiction_code][stock.item_code] += stock.quantity
        return {code: dict(items) for code, items in totals.items()}

    def record_adjustment(self, line: Adjustment) -> None:
        self.session.add(
            StockAdjustmentRow(
                stock_id=line.stock_id,
                delta=line.delta,
                quantity_after=line.quantity_after,
                reason=line.reason.value,
                note=line.note,
                actor=line.actor,
                at=line.at,
            )
        )
        self.session.flush()

    def ledger(self, stock_id: int) -> list[Adjustment]:
        """A stock's adjustments, oldest first."""
        rows = self.session.scalars(
            select(StockAdjustmentRow)
            .where(StockAdjustmentRow.stock_id == stock_id)
            .order_by(StockAdjustmentRow.id)
        )
        return [
            Adjustment(
                stock_id=row.stock_id,
                delta=row.delta,
                quantity_after=row.quantity_after,
                reason=AdjustmentReason(row.reason),
                note=row.note,
                actor=row.actor,
                at=row.at,
            )
            for row in rows
        ]


def _write(row: StockRow, stock: Stock) -> None:
    row.item_code = stock.item_code
    row.quantity = stock.quantity
    row.warehouse = stock.warehouse.name
    row.lon = stock.warehouse.lon
    row.lat = stock.warehouse.lat
    row.expires_on = stock.expires_on
    row.owner_code = stock.owner_code
    row.sharing = stock.sharing.value
    row.updated_at = stock.updated_at
    row.confirmed_at = stock.confirmed_at


def _stock(row: StockRow) -> Stock:
    return Stock(
        id=row.id,
        region_code=row.region_code,
        jurisdiction_code=row.jurisdiction_code,
        item_code=row.item_code,
        quantity=row.quantity,
        warehouse=Warehouse(name=row.warehouse, lon=row.lon, lat=row.lat),
        owner_code=row.owner_code,
        sharing=Sharing(row.sharing),
        updated_at=row.updated_at,
        confirmed_at=row.confirmed_at,
        expires_on=row.expires_on,
    )
