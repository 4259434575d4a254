"""Emergency stocks over HTTP: the catalogue, stocks, their ledger, adjustments, confirmation."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from crossrisk.domain.aid.catalogue import MAX_QUANTITY, Item
from crossrisk.domain.aid.sharing import Sharing, is_stale
from crossrisk.domain.aid.stock import Adjustment, Stock, StockDraft, Warehouse
from crossrisk.domain.errors import InvalidInput
from crossrisk.domain.organisation import Actor
from crossrisk.http.deps import ActorDep, RowId, UowDep, utc_now
from crossrisk.services import stock_maps, stocks
from crossrisk.services.policy_tables import aid_catalogue
from crossrisk.services.stock_maps import StockMap
from crossrisk.services.stocks import ListedStock

router = APIRouter(prefix="/api/aid", tags=["aid"])

CODE_MAX = 64
Quantity = Annotated[float, Field(ge=0, le=MAX_QUANTITY, allow_inf_nan=False)]


class PackOut(BaseModel):
    code: str
    name_zh: str
    name_en: str
    content: float = Field(description="base units in one pack")
    weight_kg: float
    volume_m3: float


class ItemOut(BaseModel):
    code: str
    name_zh: str
    name_en: str
    unit: str = Field(description="the base unit every quantity is kept in")
    unit_zh: str
    unit_en: str
    packs: list[PackOut]


class CatalogueOut(BaseModel):
    source: str
    edition: str
    items: list[ItemOut]


def item_out(item: Item) -> ItemOut:
    return ItemOut(
        code=item.code,
        name_zh=item.name_zh,
        name_en=item.name_en,
        unit=item.unit,
        unit_zh=item.unit_zh,
        unit_en=item.unit_en,
        packs=[
            PackOut(
                code=p.code,
                name_zh=p.name_zh,
                name_en=p.name_en,
                content=p.content,
                weight_kg=p.weight_kg,
                volume_m3=p.volume_m3,
            )
            for p in item.packs
        ],
    )


class WarehouseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=stocks.WAREHOUSE_NAME_MAX)
    lon: float = Field(ge=-180, le=180, allow_inf_nan=False)
    lat: float = Field(ge=-90, le=90, allow_inf_nan=False)

    def value(self) -> Warehouse:
        return Warehouse(name=self.name, lon=self.lon, lat=self.lat)


class WarehouseOut(BaseModel):
    name: str
    lon: float
    lat: float


class StockOut(BaseModel):
    id: int
    region: str
    jurisdiction: str
    item: str
    quantity: float = Field(description="in the item's base unit")
    unit: str
    warehouse: WarehouseOut
    expires_on: date | None
    owner: str = Field(description="the organisation that keeps the record")
    sharing: str = Field(description="region (every member) or committee (committee only)")
    updated_at: datetime
    confirmed_at: datetime = Field(description="last time the keeper said the figure is true")
    stale: bool = Field(description="not confirmed within the configured period")


class StockIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    region: str | None = Field(default=None, max_length=CODE_MAX)
    jurisdiction: str = Field(max_length=CODE_MAX)
    item: str = Field(max_length=CODE_MAX)
    quantity: Quantity
    unit: str | None = Field(
        default=None, max_length=CODE_MAX, description="a pack's code; the base unit if absent"
    )
    warehouse: WarehouseIn
    expires_on: date | None = None
    sharing: Literal["region", "committee"] = "region"


class StockChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    warehouse: WarehouseIn | None = None
    sharing: Literal["region", "committee"] | None = None
    expires_on: date | None = Field(default=None, description="null: the stock does not expire")


class AdjustmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Literal["issued", "received", "expired", "damaged", "found", "counted"]
    quantity: Quantity = Field(description="the change; for counted, the total counted")
    unit: str | None = Field(default=None, max_length=CODE_MAX, description="a pack's code")
    note: str = Field(default="", max_length=stocks.NOTE_MAX)


class AdjustmentOut(BaseModel):
    delta: float
    quantity_after: float
    reason: str
    note: str
    actor: str
    at: datetime


class StockMapCityOut(BaseModel):
    jurisdiction: str
    name_zh: str
    name_en: str
    lon: float = Field(description="the city's label point, inside its largest part")
    lat: float
    quantity: float = Field(description="usable quantity in the item's base unit")
    records: int = Field(description="usable stock records of the item counted")
    stale_records: int = Field(description="of them, not confirmed within the period")


class StockMapWarehouseOut(BaseModel):
    jurisdiction: str
    name: str
    lon: float
    lat: float
    quantity: float
    records: int
    stale_records: int
    stale: bool = Field(description="some of its figure rests on a stale record")


class StockMapOut(BaseModel):
    region: str
    item: str | None = Field(description="the item shown: the one asked for, or the first in stock")
    unit: str | None
    items_in_stock: list[str] = Field(description="items with usable stock, catalogue order")
    cities: list[StockMapCityOut] = Field(description="every member city, zero where none")
    warehouses: list[StockMapWarehouseOut]


def stock_map_out(found: StockMap) -> StockMapOut:
    return StockMapOut(
        region=found.region_code,
        item=found.item_code,
        unit=aid_catalogue().item(found.item_code).unit if found.item_code else None,
        items_in_stock=list(found.items_in_stock),
        cities=[
            StockMapCityOut(
                jurisdiction=c.jurisdiction_code,
                name_zh=c.name_zh,
                name_en=c.name_en,
                lon=c.lon,
                lat=c.lat,
                quantity=c.quantity,
                records=c.records,
                stale_records=c.stale_records,
            )
            for c in found.cities
        ],
        warehouses=[
            StockMapWarehouseOut(
                jurisdiction=w.jurisdiction_code,
                name=w.name,
                lon=w.lon,
                lat=w.lat,
                quantity=w.quantity,
                records=w.records,
                stale_records=w.stale_records,
                stale=w.stale_records > 0,
            )
            for w in found.warehouses
        ],
    )


def stock_out(listed: ListedStock) -> StockOut:
    stock = listed.stock
    return StockOut(
        id=stock.id or 0,
        region=stock.region_code,
        jurisdiction=stock.jurisdiction_code,
        item=stock.item_code,
        quantity=stock.quantity,
        unit=aid_catalogue().item(stock.item_code).unit,
        warehouse=WarehouseOut(
            name=stock.warehouse.name, lon=stock.warehouse.lon, lat=stock.warehouse.lat
        ),
        expires_on=stock.expires_on,
        owner=stock.owner_code,
        sharing=stock.sharing.value,
        updated_at=stock.updated_at,
        confirmed_at=stock.confirmed_at,
        stale=listed.stale,
    )


def adjustment_out(line: Adjustment) -> AdjustmentOut:
    return AdjustmentOut(
        delta=line.delta,
        quantity_after=line.quantity_after,
        reason=line.reason.value,
        note=line.note,
        actor=line.actor,
        at=line.at,
    )


def stale_after(request: Request) -> timedelta:
    """The configured period after which an unconfirmed figure is flagged stale."""
    period: timedelta = request.app.state.settings.base_information_stale_after
    return period


def region_of(actor: Actor, region: str | None) -> str:
    """The region asked for, or the caller's only region."""
    if region:
        return region
    if len(actor.region_codes) == 1:
        (only,) = actor.region_codes
        return only
    raise InvalidInput("name the region: ?region=…", key="region-required")


@router.get("/catalogue", response_model=CatalogueOut)
def catalogue(actor: ActorDep) -> CatalogueOut:
    """The relief items, their base units and their packs (weight and volume)."""
    table = aid_catalogue()
    return CatalogueOut(
        source=table.source, edition=table.edition, items=[item_out(i) for i in table]
    )


@router.get("/stocks", response_model=list[StockOut])
def list_stocks(
    request: Request,
    actor: ActorDep,
    uow: UowDep,
    region: Annotated[str | None, Query(max_length=CODE_MAX)] = None,
    jurisdiction: Annotated[str | None, Query(max_length=CODE_MAX)] = None,
    item: Annotated[str | None, Query(max_length=CODE_MAX)] = None,
) -> list[StockOut]:
    """The region's stocks the caller may read; committee-only records only for the committee."""
    listed = stocks.list_stocks(
        uow,
        actor,
        region_of(actor, region),
        jurisdiction_code=jurisdiction or None,
        item=item or None,
        now=utc_now(),
        stale_after=stale_after(request),
    )
    return [stock_out(s) for s in listed]


@router.get("/stock-map", response_model=StockMapOut)
def stock_map(
    request: Request,
    actor: ActorDep,
    uow: UowDep,
    region: Annotated[str | None, Query(max_length=CODE_MAX)] = None,
    item: Annotated[str | None, Query(max_length=CODE_MAX)] = None,
) -> StockMapOut:
    """One item's usable stock per member city and per warehouse, stale records counted.

    Without `item`, the first item of the catalogue the caller sees in stock. Only records
    the caller may read count: committee-only stock is in the totals of its own city and
    the committee, never of another city.
    """
    found = stock_maps.stock_map(
        uow,
        actor,
        region_of(actor, region),
        item=item or None,
        now=utc_now(),
        stale_after=stale_after(request),
    )
    return stock_map_out(found)


@router.post("/stocks", response_model=StockOut, status_code=201)
def record(
    request: Request,
    body: StockIn,
    actor: ActorDep,
    uow: UowDep,
    region: Annotated[str | None, Query(max_length=CODE_MAX)] = None,
) -> StockOut:
    """Record a stock; a quantity in packs (`unit`) is kept in base units."""
    # Converted here, at the edge: every service and table counts in base units.
    quantity = aid_catalogue().item(body.item).to_base(body.quantity, body.unit)
    draft = StockDraft(
        jurisdiction_code=body.jurisdiction,
        item_code=body.item,
        quantity=quantity,
        warehouse=body.warehouse.value(),
        sharing=Sharing(body.sharing),
        expires_on=body.expires_on,
    )
    now = utc_now()
    stock = stocks.record_stock(
        uow, actor, draft, region_code=region_of(actor, body.region or region), now=now
    )
    return _written(request, stock)


@router.get("/stocks/{stock_id}", response_model=StockOut)
def one(request: Request, stock_id: RowId, actor: ActorDep, uow: UowDep) -> StockOut:
    """One stock, if the caller may read it."""
    return stock_out(
        stocks.get_stock(uow, actor, stock_id, now=utc_now(), stale_after=stale_after(request))
    )


@router.patch("/stocks/{stock_id}", response_model=StockOut)
def change(
    request: Request, stock_id: RowId, body: StockChangeIn, actor: ActorDep, uow: UowDep
) -> StockOut:
    """Change the warehouse, the sharing or the expiry (send `expires_on: null` to clear)."""
    stock = stocks.change_stock(
        uow,
        actor,
        stock_id,
        warehouse=body.warehouse.value() if body.warehouse else None,
        sharing=body.sharing,
        expires_on=body.expires_on if "expires_on" in body.model_fields_set else stocks.KEEP,
        now=utc_now(),
    )
    return _written(request, stock)


@router.post("/stocks/{stock_id}/adjustments", response_model=StockOut, status_code=201)
def adjust(
    request: Request, stock_id: RowId, body: AdjustmentIn, actor: ActorDep, uow: UowDep
) -> StockOut:
    """Change the quantity with a reason: a line of the stock ledger."""
    stock = stocks.adjust_stock(
        uow,
        actor,
        stock_id,
        reason=body.reason,
        quantity=body.quantity,
        unit=body.unit,
        note=body.note,
        now=utc_now(),
    )
    return _written(request, stock)


@router.get("/stocks/{stock_id}/ledger", response_model=list[AdjustmentOut])
def ledger(stock_id: RowId, actor: ActorDep, uow: UowDep) -> list[AdjustmentOut]:
    """The stock's adjustments, oldest first."""
    return [adjustment_out(line) for line in stocks.stock_ledger(uow, actor, stock_id)]


@router.post("/stocks/{stock_id}/confirmation", response_model=StockOut)
def confirm(request: Request, stock_id: RowId, actor: ActorDep, uow: UowDep) -> StockOut:
    """The keeper says the figure is still true; the stock is no longer stale."""
    stock = stocks.confirm_stock(uow, actor, stock_id, now=utc_now())
    return _written(request, stock)


def _written(request: Request, stock: Stock) -> StockOut:
    """A stock just written, flagged as a reader would see it now."""
    stale = is_stale(stock.confirmed_at, now=utc_now(), period=stale_after(request))
    return stock_out(ListedStock(stock, stale=stale))
