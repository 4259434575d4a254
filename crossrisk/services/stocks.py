"""Emergency stocks: recorded, adjusted through the ledger, read as the sharing allows.

What a shipment draws from and adds to stocks is in `stock_movements`; the stock map's
totals per city and warehouse in `stock_map`.

`add_stock` runs inside an open transaction so that a form, an API call and a whole
spreadsheet import (all or nothing) record a new stock the same way: checked, with its
opening line in the ledger and one journal entry.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

from crossrisk.domain.aid.sharing import Sharing, is_stale
from crossrisk.domain.aid.stock import (
    Adjustment,
    AdjustmentReason,
    Stock,
    StockDraft,
    Warehouse,
    adjust,
)
from crossrisk.domain.errors import InvalidInput, NotFound, NotPermitted
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.aid import can_keep_base_information, can_read_base_record
from crossrisk.domain.permissions.regions import require_read_region
from crossrisk.domain.risk import check_text
from crossrisk.services.policy_tables import aid_catalogue
from crossrisk.store.uow import Transaction, UnitOfWork

WAREHOUSE_NAME_MAX = 200
# Expiry dates are days a relief item can really carry; year 1 or 9999 is a typing error.
EARLIEST_EXPIRY = date(2000, 1, 1)
LATEST_EXPIRY = date(2100, 12, 31)


def add_stock(
    tx: Transaction, actor: Actor, draft: StockDraft, *, region_code: str, now: datetime
) -> Stock:
    """Record a new stock in the open transaction, with its opening ledger line."""
    if not can_keep_base_information(
        actor, region_code=region_code, jurisdiction_code=draft.jurisdiction_code
    ):
        raise NotPermitted(
            f"{actor.organisation.code} may not keep the stocks of {draft.jurisdiction_code}",
            key="base-information-not-yours",
            params={"jurisdiction": draft.jurisdiction_code},
        )
    if draft.jurisdiction_code not in {j.code for j in tx.regions.members(region_code)}:
        raise InvalidInput(
            f"{draft.jurisdiction_code} is not a member of region {region_code}",
            key="not-a-member",
            params={"jurisdiction": draft.jurisdiction_code, "region": region_code},
        )
    aid_catalogue().item(draft.item_code)
    warehouse = check_warehouse(draft.warehouse)
    check_expiry(draft.expires_on)
    opening = Stock(
        id=None,
        region_code=region_code,
        jurisdiction_code=draft.jurisdiction_code,
        item_code=draft.item_code,
        quantity=0.0,
        warehouse=warehouse,
        owner_code=actor.organisation.code,
        sharing=draft.sharing,
        updated_at=now,
        confirmed_at=now,
        expires_on=draft.expires_on,
    )
    stored = tx.stocks.add(opening)
    stock, line = adjust(
        stored,
        reason=AdjustmentReason.OPENING,
        quantity=draft.quantity,
        note="",
        actor=actor.username,
        now=now,
    )
    stock = tx.stocks.save(stock)
    tx.stocks.record_adjustment(line)
    tx.record(
        actor,
        "stock.added",
        subject=f"stock:{stock.id}",
        payload={
            "stock_id": stock.id,
            "jurisdiction_code": stock.jurisdiction_code,
            "item_code": stock.item_code,
            "quantity": stock.quantity,
            "warehouse": stock.warehouse.name,
            "sharing": stock.sharing.value,
            "expires_on": stock.expires_on.isoformat() if stock.expires_on else None,
        },
        region_code=region_code,
        now=now,
    )
    return stock


def check_warehouse(warehouse: Warehouse) -> Warehouse:
    """A warehouse with a name and a location on Earth, or InvalidInput."""
    name = check_text("warehouse", warehouse.name, limit=WAREHOUSE_NAME_MAX)
    lon, lat = warehouse.lon, warehouse.lat
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise InvalidInput(
            f"the warehouse's location ({lon}, {lat}) is not a longitude and latitude",
            key="location-invalid",
        )
    return Warehouse(name=name, lon=lon, lat=lat)


def check_expiry(expires_on: date | None) -> None:
    if expires_on is not None and not EARLIEST_EXPIRY <= expires_on <= LATEST_EXPIRY:
        raise InvalidInput(
            f"expiry {expires_on.isoformat()} lies outside {EARLIEST_EXPIRY.year}–"
            f"{LATEST_EXPIRY.year}",
            key="expiry-out-of-range",
            params={"expires_on": expires_on.isoformat()},
        )


NOTE_MAX = 500


class _Keep(Enum):
    """Leave a field as it is (an expiry of None means "does not expire")."""

    KEEP = "keep"


KEEP = _Keep.KEEP


@dataclass(frozen=True, slots=True)
class ListedStock:
    """A stock as a reader sees it, with whether its figure has gone stale."""

    stock: Stock
    stale: bool


def record_stock(
    uow: UnitOfWork, actor: Actor, draft: StockDraft, *, region_code: str, now: datetime
) -> Stock:
    """Record a new stock of a jurisdiction, with its opening ledger line."""
    with uow as tx:
        stock = add_stock(tx, actor, draft, region_code=region_code, now=now)
        tx.commit()
    return stock


def adjust_stock(
    uow: UnitOfWork,
    actor: Actor,
    stock_id: int,
    *,
    reason: AdjustmentReason | str,
    quantity: float,
    unit: str | None = None,
    note: str = "",
    now: datetime,
) -> Stock:
    """Change a stock's quantity through a ledger line that names the reason.

    `quantity` is in the item's base unit, or in packs when `unit` names one of its packs.
    """
    why = _reason(reason)
    note = check_text("note", note, limit=NOTE_MAX, required=False)
    with uow as tx:
        # The row stays locked to the commit: two adjustments at once apply one after the
        # other, each to the quantity the other left, so neither is lost.
        before = keepable_stock(tx, actor, stock_id, for_update=True)
        base = aid_catalogue().item(before.item_code).to_base(quantity, unit)
        stock = apply_adjustment(tx, actor, before, reason=why, quantity=base, note=note, now=now)
        tx.commit()
    return stock


def apply_adjustment(
    tx: Transaction,
    actor: Actor,
    before: Stock,
    *,
    reason: AdjustmentReason,
    quantity: float,
    note: str,
    now: datetime,
    extra: dict[str, Any] | None = None,
) -> Stock:
    """Adjust a stock (read for update) in the open transaction: its ledger line and its
    "stock.adjusted" entry, the same for an officer's adjustment and a shipment's."""
    stock, line = adjust(
        before, reason=reason, quantity=quantity, note=note, actor=actor.username, now=now
    )
    stock = tx.stocks.save(stock)
    tx.stocks.record_adjustment(line)
    _journal(
        tx,
        actor,
        "stock.adjusted",
        stock,
        now=now,
        extra={
            "reason": reason.value,
            "delta": line.delta,
            "quantity_before": before.quantity,
            "note": note,
            **(extra or {}),
        },
    )
    return stock


def confirm_stock(uow: UnitOfWork, actor: Actor, stock_id: int, *, now: datetime) -> Stock:
    """The keeper says the figure is still true: the stock is no longer stale."""
    with uow as tx:
        stock = keepable_stock(tx, actor, stock_id, for_update=True)
        stock = tx.stocks.save(replace(stock, confirmed_at=now))
        _journal(tx, actor, "stock.confirmed", stock, now=now)
        tx.commit()
    return stock


def change_stock(
    uow: UnitOfWork,
    actor: Actor,
    stock_id: int,
    *,
    warehouse: Warehouse | None = None,
    sharing: Sharing | str | None = None,
    expires_on: date | _Keep | None = KEEP,
    now: datetime,
) -> Stock:
    """Change a stock's warehouse, sharing or expiry (its quantity only by adjustment)."""
    new_sharing = None if sharing is None else parse_sharing(sharing)
    new_warehouse = None if warehouse is None else check_warehouse(warehouse)
    if not isinstance(expires_on, _Keep):
        check_expiry(expires_on)
    with uow as tx:
        before = keepable_stock(tx, actor, stock_id, for_update=True)
        after = replace(
            before,
            warehouse=new_warehouse or before.warehouse,
            sharing=new_sharing or before.sharing,
            expires_on=before.expires_on if isinstance(expires_on, _Keep) else expires_on,
        )
        if after == before:
            return before  # nothing changed, nothing to journal
        changed = [
            name
            for name, old, new in (
                ("warehouse", before.warehouse, after.warehouse),
                ("sharing", before.sharing, after.sharing),
                ("expires_on", before.expires_on, after.expires_on),
            )
            if old != new
        ]
        # Saving a record is saying it is true, as the officer looked at it to change it.
        stock = tx.stocks.save(replace(after, updated_at=now, confirmed_at=now))
        _journal(tx, actor, "stock.changed", stock, now=now, extra={"changed": changed})
        tx.commit()
    return stock


def list_stocks(
    uow: UnitOfWork,
    actor: Actor,
    region_code: str,
    *,
    jurisdiction_code: str | None = None,
    item: str | None = None,
    now: datetime,
    stale_after: timedelta,
) -> list[ListedStock]:
    """The region's stocks the actor may read, by jurisdiction and item, each flagged stale."""
    require_read_region(actor, region_code)
    if item is not None:
        aid_catalogue().item(item)
    with uow.read_only() as tx:
        if jurisdiction_code is not None and jurisdiction_code not in {
            j.code for j in tx.regions.members(region_code)
        }:
            raise InvalidInput(
                f"{jurisdiction_code[:64]} is not a member of region {region_code}",
                key="not-a-member",
                params={"jurisdiction": jurisdiction_code[:64], "region": region_code},
            )
        stocks = tx.stocks.of_region(
            region_code,
            jurisdiction_codes=None if jurisdiction_code is None else [jurisdiction_code],
            item_codes=None if item is None else [item],
        )
    return [_listed(s, now=now, stale_after=stale_after) for s in stocks if readable_by(actor, s)]


def get_stock(
    uow: UnitOfWork, actor: Actor, stock_id: int, *, now: datetime, stale_after: timedelta
) -> ListedStock:
    """One stock the actor may read, flagged stale or not."""
    with uow.read_only() as tx:
        stock = visible_stock(tx, actor, stock_id)
    return _listed(stock, now=now, stale_after=stale_after)


def stock_ledger(uow: UnitOfWork, actor: Actor, stock_id: int) -> list[Adjustment]:
    """A stock's ledger, oldest line first: it sums to the quantity."""
    with uow.read_only() as tx:
        visible_stock(tx, actor, stock_id)
        return tx.stocks.ledger(stock_id)


def may_keep(actor: Actor, stock: Stock) -> bool:
    """True when the actor may adjust, confirm and change the stock."""
    return can_keep_base_information(
        actor, region_code=stock.region_code, jurisdiction_code=stock.jurisdiction_code
    )


def _listed(stock: Stock, *, now: datetime, stale_after: timedelta) -> ListedStock:
    return ListedStock(stock, is_stale(stock.confirmed_at, now=now, period=stale_after))


def readable_by(actor: Actor, stock: Stock) -> bool:
    """True when the stock's sharing lets the actor read it."""
    return can_read_base_record(
        actor,
        region_code=stock.region_code,
        jurisdiction_code=stock.jurisdiction_code,
        shared_region_wide=stock.sharing is Sharing.REGION,
    )


def visible_stock(
    tx: Transaction, actor: Actor, stock_id: int, *, for_update: bool = False
) -> Stock:
    """The stock if the actor may read it; otherwise NotFound, as if it were not there."""
    stock = tx.stocks.get(stock_id, for_update=for_update)
    if not readable_by(actor, stock):
        # A record kept for the committee is not there for other cities, not even by id.
        raise NotFound(f"no stock {stock_id}", key="stock-not-found", params={"id": stock_id})
    return stock


def keepable_stock(tx: Transaction, actor: Actor, stock_id: int, *, for_update: bool) -> Stock:
    """The stock if the actor may also keep it; a reader learns why not."""
    stock = visible_stock(tx, actor, stock_id, for_update=for_update)
    if not may_keep(actor, stock):
        raise NotPermitted(
            f"{actor.organisation.code} may not keep the stocks of {stock.jurisdiction_code}",
            key="base-information-not-yours",
            params={"jurisdiction": stock.jurisdiction_code},
        )
    return stock


def _reason(reason: AdjustmentReason | str) -> AdjustmentReason:
    try:
        why = AdjustmentReason(reason)
    except ValueError:
        raise InvalidInput(
            f"unknown adjustment reason {str(reason)[:32]!r}",
            key="adjustment-reason-unknown",
            params={"reason": str(reason)[:32]},
        ) from None
    if why is AdjustmentReason.OPENING:
        # The opening line is written once, when the stock is recorded.
        raise InvalidInput(
            "a stock is opened once, when it is recorded",
            key="adjustment-reason-unknown",
            params={"reason": why.value},
        )
    return why


def parse_sharing(sharing: Sharing | str) -> Sharing:
    """A sharing setting from its value, or InvalidInput."""
    try:
        return Sharing(sharing)
    except ValueError:
        raise InvalidInput(
            f"unknown sharing {str(sharing)[:32]!r}; region or committee",
            key="sharing-unknown",
            params={"sharing": str(sharing)[:32]},
        ) from None


def _journal(
    tx: Transaction,
    actor: Actor,
    action: str,
    stock: Stock,
    *,
    now: datetime,
    extra: dict[str, Any] | None = None,
) -> None:
    tx.record(
        actor,
        action,
        subject=f"stock:{stock.id}",
        payload={
            "stock_id": stock.id,
            "jurisdiction_code": stock.jurisdiction_code,
            "item_code": stock.item_code,
            "quantity": stock.quantity,
            "warehouse": stock.warehouse.name,
            "sharing": stock.sharing.value,
            "expires_on": stock.expires_on.isoformat() if stock.expires_on else None,
            **(extra or {}),
        },
        region_code=stock.region_code,
        now=now,
    )
