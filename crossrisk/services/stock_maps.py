"""The stock map: an item's usable stock per member city and per warehouse, counting
only the records the reader may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from crossrisk.domain.aid.sharing import is_stale
from crossrisk.domain.aid.stock import Stock
from crossrisk.domain.moments import local_day
from crossrisk.domain.organisation import Actor
from crossrisk.domain.permissions.regions import require_read_region
from crossrisk.services.policy_tables import aid_catalogue
from crossrisk.services.stocks import readable_by
from crossrisk.store.uow import UnitOfWork


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
    require_read_region(actor, region_code)
    catalogue = aid_catalogue()
    if item is not None:
        catalogue.item(item)
    day = local_day(now)
    with uow.read_only() as tx:
        tx.regions.get(region_code)
        members = tx.regions.summaries(region_code)
        readable = [
            s
            for s in tx.stocks.of_region(region_code)
            if readable_by(actor, s) and s.usable_on(day)
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
