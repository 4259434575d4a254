"""What shipments do to stocks: a dispatch draws on the donor's stocks (first expiring
first out unless one is named), a receipt adds to the requester's.

Each movement is a ledger line and a "stock.adjusted" entry through
`stocks.apply_adjustment`, in the shipment's own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from crossrisk.domain.aid.request import TOLERANCE
from crossrisk.domain.aid.sharing import Sharing
from crossrisk.domain.aid.stock import AdjustmentReason, Stock, StockDraft, Warehouse
from crossrisk.domain.errors import InvalidInput, NotFound, NotPermitted
from crossrisk.domain.moments import local_day
from crossrisk.domain.organisation import Actor
from crossrisk.services.policy_tables import aid_catalogue
from crossrisk.services.stocks import (
    add_stock,
    apply_adjustment,
    check_warehouse,
    keepable_stock,
    may_keep,
    visible_stock,
)
from crossrisk.store.uow import Transaction

ROW_ID_MAX = 2**31 - 1  # the rows' integer key


@dataclass(frozen=True, slots=True)
class Draw:
    """What one stock gives to a dispatch."""

    stock: Stock
    quantity: float


def plan_issue(
    tx: Transaction,
    actor: Actor,
    *,
    region_code: str,
    jurisdiction_code: str,
    item_code: str,
    quantity: float,
    stock_id: int | None = None,
    now: datetime,
) -> list[Draw]:
    """Which stocks a dispatch of `quantity` draws on, read for update, writing nothing.

    From the stock named, else first-expiring-first-out across the jurisdiction's usable
    stocks of the item (those that do not expire last, then by id). InvalidInput
    "dispatch-exceeds-stock" when they hold less than the quantity.
    """
    day = local_day(now)
    if stock_id is not None:
        named = _named(
            tx,
            actor,
            stock_id,
            region_code=region_code,
            jurisdiction_code=jurisdiction_code,
            item_code=item_code,
            day=day,
        )
        candidates = [named]
    else:
        found = tx.stocks.of_region(
            region_code, jurisdiction_codes=[jurisdiction_code], item_codes=[item_code]
        )
        # Locked in id order, so that two dispatches at once wait rather than deadlock.
        locked = [tx.stocks.get(s.id or 0, for_update=True) for s in sorted(found, key=_id)]
        candidates = sorted(
            (s for s in locked if s.usable_on(day) and s.quantity > 0),
            key=lambda s: (s.expires_on is None, s.expires_on or day, _id(s)),
        )
        for stock in candidates:
            if not may_keep(actor, stock):
                raise NotPermitted(
                    f"{actor.organisation.code} may not keep the stocks of {jurisdiction_code}",
                    key="base-information-not-yours",
                    params={"jurisdiction": jurisdiction_code},
                )
    available = sum(s.quantity for s in candidates)
    if quantity > available + TOLERANCE:
        raise InvalidInput(
            f"{jurisdiction_code} holds {available:g} {item_code} to dispatch, less than "
            f"{quantity:g}",
            key="dispatch-exceeds-stock",
            params={
                "jurisdiction": jurisdiction_code,
                **_item_names(item_code),
                "quantity": quantity,
                "available": available,
            },
        )
    draws = []
    left = quantity
    for stock in candidates:
        if left <= TOLERANCE:
            break
        take = min(left, stock.quantity)
        draws.append(Draw(stock, take))
        left -= take
    return draws


def issue(
    tx: Transaction,
    actor: Actor,
    draws: list[Draw],
    *,
    note: str,
    now: datetime,
    extra: dict[str, Any] | None = None,
) -> list[Stock]:
    """Issue what `plan_issue` drew, a ledger line and a journal entry per stock."""
    return [
        apply_adjustment(
            tx,
            actor,
            draw.stock,
            reason=AdjustmentReason.ISSUED,
            quantity=draw.quantity,
            note=note,
            now=now,
            extra=extra,
        )
        for draw in draws
    ]


def receive_into(
    tx: Transaction,
    actor: Actor,
    *,
    region_code: str,
    jurisdiction_code: str,
    item_code: str,
    quantity: float,
    warehouse: Warehouse,
    stock_id: int | None = None,
    note: str,
    now: datetime,
    extra: dict[str, Any] | None = None,
) -> Stock:
    """Add what arrived to the stock named, else to the jurisdiction's usable stock of the
    item at the warehouse (the one that does not expire first, then by id), recorded
    through `add_stock` (shared region-wide) when there is none."""
    day = local_day(now)
    if stock_id is not None:
        target = _named(
            tx,
            actor,
            stock_id,
            region_code=region_code,
            jurisdiction_code=jurisdiction_code,
            item_code=item_code,
            day=day,
        )
    else:
        warehouse = check_warehouse(warehouse)
        there = sorted(
            (
                s
                for s in tx.stocks.of_region(
                    region_code, jurisdiction_codes=[jurisdiction_code], item_codes=[item_code]
                )
                if s.warehouse.name == warehouse.name and s.usable_on(day)
            ),
            key=lambda s: (s.expires_on is not None, _id(s)),
        )
        if there:
            target = keepable_stock(tx, actor, _id(there[0]), for_update=True)
        else:
            target = add_stock(
                tx,
                actor,
                StockDraft(
                    jurisdiction_code=jurisdiction_code,
                    item_code=item_code,
                    quantity=0.0,
                    warehouse=warehouse,
                    sharing=Sharing.REGION,
                ),
                region_code=region_code,
                now=now,
            )
    return apply_adjustment(
        tx,
        actor,
        target,
        reason=AdjustmentReason.RECEIVED,
        quantity=quantity,
        note=note,
        now=now,
        extra=extra,
    )


def _named(
    tx: Transaction,
    actor: Actor,
    stock_id: int,
    *,
    region_code: str,
    jurisdiction_code: str,
    item_code: str,
    day: date,
) -> Stock:
    """The stock a dispatch or a receipt names, read for update: the jurisdiction's own,
    of the shipment's item, usable on the day; else InvalidInput "stock-not-for-shipment"."""
    if isinstance(stock_id, bool) or not 0 < stock_id <= ROW_ID_MAX:
        # An id the integer key cannot hold names no stock (and must not reach the query).
        raise NotFound(f"no stock {stock_id}", key="stock-not-found", params={"id": stock_id})
    stock = visible_stock(tx, actor, stock_id, for_update=True)
    if (
        stock.region_code != region_code
        or stock.jurisdiction_code != jurisdiction_code
        or stock.item_code != item_code
        or not stock.usable_on(day)
    ):
        raise InvalidInput(
            f"stock {stock.id} is no usable stock of {item_code} kept by {jurisdiction_code}",
            key="stock-not-for-shipment",
            params={
                "stock": stock.id,
                **_item_names(item_code),
                "jurisdiction": jurisdiction_code,
            },
        )
    return keepable_stock(tx, actor, stock_id, for_update=True)


def _item_names(item_code: str) -> dict[str, str]:
    """An item named in both languages, as a refusal's params offer it to the pages."""
    item = aid_catalogue().item(item_code)
    return {"item_zh": item.name("zh_CN"), "item_en": item.name("en")}


def _id(stock: Stock) -> int:
    return stock.id or 0
