"""Emergency stocks: recorded, adjusted through the ledger, read as the sharing allows.

`add_stock` runs inside an open transaction so that a form, an API call and a whole
spreadsheet import (all or nothing) record a new stock the same way: checked, with its
opening line in the ledger and one journal entry.
"""

from __future__ import annotations

import math
from datetime import date, datetime

from crossrisk.domain import permissions
from crossrisk.domain.aid.stock import AdjustmentReason, Stock, StockDraft, Warehouse, adjust
from crossrisk.domain.errors import InvalidInput, NotPermitted
from crossrisk.domain.organisation import Actor
from crossrisk.domain.risk import check_text
from crossrisk.services.policy_tables import aid_catalogue
from crossrisk.store.uow import Transaction

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
