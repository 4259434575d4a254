"""Emergency stocks: recorded, adjusted through the ledger, read as the sharing allows.

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

from crossrisk.domain import permissions
from crossrisk.domain.aid.request import TOLERANCE
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
from crossrisk.domain.moments import local_day
from crossrisk.domain.organisation import Actor
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
    if not permissions.can_keep_base_information(
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
ROW_ID_MAX = 2**31 - 1  # the rows' integer key


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
        before = _writable(tx, actor, stock_id, for_update=True)
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
            target = _writable(tx, actor, _id(there[0]), for_update=True)
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
    stock = _visible(tx, actor, stock_id, for_update=True)
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
    return _writable(tx, actor, stock_id, for_update=True)


def _item_names(item_code: str) -> dict[str, str]:
    """An item named in both languages, as a refusal's params offer it to the pages."""
    item = aid_catalogue().item(item_code)
    return {"item_zh": item.name("zh_CN"), "item_en": item.name("en")}


def _id(stock: Stock) -> int:
    return stock.id or 0


def confirm_stock(uow: UnitOfWork, actor: Actor, stock_id: int, *, now: datetime) -> Stock:
    """The keeper says the figure is still true: the stock is no longer stale."""
    with uow as tx:
        stock = _writable(tx, actor, stock_id, for_update=True)
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
        before = _writable(tx, actor, stock_id, for_update=True)
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
    permissions.require_read_region(actor, region_code)
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
    return [_listed(s, now=now, stale_after=stale_after) for s in stocks if _readable(actor, s)]


# Whether a stock has expired is a matter of the Beijing calendar, as in the shortfall.


@dataclass(frozen=True, slots=True)
class CityStock:
    """One member city's usable quantity of an item on the stock map."""

    jurisdiction_code: str
    name_zh: str
    name_en: str
    lon: float  # the city's label point, inside its largest part
    lat: float
    quantity: float
    records: int
    stale_records: int


@dataclass(frozen=True, slots=True)
class WarehouseStock:
    """One warehouse's usable quantity of an item: its records summed."""

    jurisdiction_code: str
    name: str
    lon: float
    lat: float
    quantity: float
    records: int
    stale_records: int


@dataclass(frozen=True, slots=True)
class StockMap:
    """An item's usable stock per member city and per warehouse, as the reader may see it."""

    region_code: str
    item_code: str | None  # None only when the reader sees no stock and asked for no item
    items_in_stock: tuple[str, ...]  # items with a usable quantity, in the catalogue's order
    cities: tuple[CityStock, ...]  # every member, by code; zero where it holds none
    warehouses: tuple[WarehouseStock, ...]


def stock_map(
    uow: UnitOfWork,
    actor: Actor,
    region_code: str,
    *,
    item: str | None = None,
    now: datetime,
    stale_after: timedelta,
) -> StockMap:
    """One item's usable stock per city and warehouse (the first item in stock by default).

    Only records the actor may read count, so a city never learns another's committee-only
    stock from a total; expired stock is left out, and stale records are counted apart.
    """
    permissions.require_read_region(actor, region_code)
    catalogue = aid_catalogue()
    if item is not None:
        catalogue.item(item)
    day = local_day(now)
    with uow.read_only() as tx:
        tx.regions.get(region_code)
        members = tx.regions.summaries(region_code)
        readable = [
            s for s in tx.stocks.of_region(region_code) if _readable(actor, s) and s.usable_on(day)
        ]
    in_stock = {s.item_code for s in readable if s.quantity > 0}
    items_in_stock = tuple(code for code in catalogue.codes if code in in_stock)
    chosen = item or (items_in_stock[0] if items_in_stock else None)
    shown = [s for s in readable if s.item_code == chosen]
    stale = {s.id for s in shown if is_stale(s.confirmed_at, now=now, period=stale_after)}
    cities = []
    for member in members:
        own = [s for s in shown if s.jurisdiction_code == member.code]
        cities.append(
            CityStock(
                jurisdiction_code=member.code,
                name_zh=member.name_zh,
                name_en=member.name_en,
                lon=member.label_lon,
                lat=member.label_lat,
                quantity=sum(s.quantity for s in own),
                records=len(own),
                stale_records=sum(1 for s in own if s.id in stale),
            )
        )
    # Records of one warehouse (same city, name and place) are one marker, not a pile.
    places: dict[tuple[str, str, float, float], list[Stock]] = {}
    for s in shown:
        key = (s.jurisdiction_code, s.warehouse.name, s.warehouse.lon, s.warehouse.lat)
        places.setdefault(key, []).append(s)
    warehouses = tuple(
        WarehouseStock(
            jurisdiction_code=code,
            name=name,
            lon=lon,
            lat=lat,
            quantity=sum(s.quantity for s in group),
            records=len(group),
            stale_records=sum(1 for s in group if s.id in stale),
        )
        for (code, name, lon, lat), group in places.items()
    )
    return StockMap(
        region_code=region_code,
        item_code=chosen,
        items_in_stock=items_in_stock,
        cities=tuple(cities),
        warehouses=warehouses,
    )


def get_stock(
    uow: UnitOfWork, actor: Actor, stock_id: int, *, now: datetime, stale_after: timedelta
) -> ListedStock:
    """One stock the actor may read, flagged stale or not."""
    with uow.read_only() as tx:
        stock = _visible(tx, actor, stock_id)
    return _listed(stock, now=now, stale_after=stale_after)


def stock_ledger(uow: UnitOfWork, actor: Actor, stock_id: int) -> list[Adjustment]:
    """A stock's ledger, oldest line first: it sums to the quantity."""
    with uow.read_only() as tx:
        _visible(tx, actor, stock_id)
        return tx.stocks.ledger(stock_id)


def may_keep(actor: Actor, stock: Stock) -> bool:
    """True when the actor may adjust, confirm and change the stock."""
    return permissions.can_keep_base_information(
        actor, region_code=stock.region_code, jurisdiction_code=stock.jurisdiction_code
    )


def _listed(stock: Stock, *, now: datetime, stale_after: timedelta) -> ListedStock:
    return ListedStock(stock, is_stale(stock.confirmed_at, now=now, period=stale_after))


def _readable(actor: Actor, stock: Stock) -> bool:
    return permissions.can_read_base_record(
        actor,
        region_code=stock.region_code,
        jurisdiction_code=stock.jurisdiction_code,
        shared_region_wide=stock.sharing is Sharing.REGION,
    )


def _visible(tx: Transaction, actor: Actor, stock_id: int, *, for_update: bool = False) -> Stock:
    stock = tx.stocks.get(stock_id, for_update=for_update)
    if not _readable(actor, stock):
        # A record kept for the committee is not there for other cities, not even by id.
        raise NotFound(f"no stock {stock_id}", key="stock-not-found", params={"id": stock_id})
    return stock


def _writable(tx: Transaction, actor: Actor, stock_id: int, *, for_update: bool) -> Stock:
    stock = _visible(tx, actor, stock_id, for_update=for_update)
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
