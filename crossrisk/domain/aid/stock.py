"""Emergency stocks and their ledger: every change of a quantity is an adjustment.

A stock is one item held by one jurisdiction in one warehouse (and, where it expires, of
one expiry date). Its quantity changes only through an adjustment that names its reason,
so the ledger sums to the quantity and an auditor can tell issued stock from lost stock.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from crossrisk.domain.aid.catalogue import valid_quantity
from crossrisk.domain.aid.sharing import Sharing
from crossrisk.domain.errors import InvalidInput


class AdjustmentReason(StrEnum):
    OPENING = "opening"  # the record's first quantity
    ISSUED = "issued"
    RECEIVED = "received"
    EXPIRED = "expired"
    DAMAGED = "damaged"
    FOUND = "found"
    COUNTED = "counted"  # a stock-take sets the quantity to what was counted


# Reasons that can only lower or only raise the quantity; a count may do either.
DECREASING = frozenset(
    {AdjustmentReason.ISSUED, AdjustmentReason.EXPIRED, AdjustmentReason.DAMAGED}
)
INCREASING = frozenset(
    {AdjustmentReason.RECEIVED, AdjustmentReason.FOUND, AdjustmentReason.OPENING}
)


@dataclass(frozen=True, slots=True)
class Warehouse:
    name: str
    lon: float
    lat: float


@dataclass(frozen=True, slots=True)
class Stock:
    id: int | None
    region_code: str
    jurisdiction_code: str
    item_code: str
    quantity: float
    warehouse: Warehouse
    owner_code: str  # the organisation that keeps the record
    sharing: Sharing
    updated_at: datetime
    confirmed_at: datetime  # last time the owner said the figure is true
    expires_on: date | None = None

    def usable_on(self, day: date) -> bool:
        """True when the stock has not expired by the day."""
        return self.expires_on is None or self.expires_on >= day


@dataclass(frozen=True, slots=True)
class StockDraft:
    """A new stock as an officer or a spreadsheet row gives it, in base units."""

    jurisdiction_code: str
    item_code: str
    quantity: float
    warehouse: Warehouse
    sharing: Sharing = Sharing.REGION
    expires_on: date | None = None


@dataclass(frozen=True, slots=True)
class Adjustment:
    stock_id: int
    delta: float
    quantity_after: float
    reason: AdjustmentReason
    note: str
    actor: str
    at: datetime


def adjust(
    stock: Stock, *, reason: AdjustmentReason, quantity: float, note: str, actor: str, now: datetime
) -> tuple[Stock, Adjustment]:
    """The stock after an adjustment and the ledger line that records it.

    `quantity` is the change (always positive) for issued, received, expired, damaged and
    found, and the counted total for a count.
    """
    assert stock.id is not None
    valid_quantity(quantity)
    if reason is AdjustmentReason.COUNTED:
        after = quantity
    elif reason in DECREASING:
        after = stock.quantity - quantity
    else:
        after = stock.quantity + quantity
    if after < 0:
        raise InvalidInput(
            f"{reason.value} {quantity:g} is more than the {stock.quantity:g} in stock",
            key="stock-below-zero",
            params={"quantity": quantity, "stock": stock.quantity},
        )
    after = valid_quantity(after)
    changed = replace(stock, quantity=after, updated_at=now, confirmed_at=now)
    line = Adjustment(
        stock_id=stock.id,
        delta=after - stock.quantity,
        quantity_after=after,
        reason=reason,
        note=note,
        actor=actor,
        at=now,
    )
    return changed, line
