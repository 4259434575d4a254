"""Stocks as the pages show them: names in the page's language, grouped by jurisdiction."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from crossrisk.domain.aid.catalogue import Catalogue, Item
from crossrisk.domain.aid.sharing import Sharing
from crossrisk.domain.aid.stock import Adjustment, AdjustmentReason
from crossrisk.domain.organisation import Actor
from crossrisk.locale import N_
from crossrisk.services.stocks import ListedStock, may_keep
from crossrisk.web.shared.directory import Directory
from crossrisk.web.shared.i18n import PageLanguage

SHARING = {
    Sharing.REGION: N_("Region-wide"),
    Sharing.COMMITTEE: N_("Committee only"),
}

REASON = {
    AdjustmentReason.OPENING: N_("Opening quantity"),
    AdjustmentReason.ISSUED: N_("Issued from stock"),
    AdjustmentReason.RECEIVED: N_("Received"),
    AdjustmentReason.EXPIRED: N_("Expired"),
    AdjustmentReason.DAMAGED: N_("Damaged"),
    AdjustmentReason.FOUND: N_("Found"),
    AdjustmentReason.COUNTED: N_("Counted (new total)"),
}

# What an officer may choose when adjusting: the opening line is written once, by recording.
ADJUSTING = tuple(r for r in AdjustmentReason if r is not AdjustmentReason.OPENING)


@dataclass(frozen=True, slots=True)
class StockLine:
    """One stock on the stocks page or its own page."""

    id: int
    item_code: str
    item: str
    quantity: float
    unit: str
    warehouse: str
    lon: float
    lat: float
    expires_on: date | None
    expired: bool
    jurisdiction_code: str
    jurisdiction: str
    owner: str
    sharing: Sharing
    sharing_label: str
    confirmed_at: datetime
    updated_at: datetime
    stale: bool
    may_keep: bool


@dataclass(frozen=True, slots=True)
class JurisdictionStocks:
    code: str
    name: str
    lines: list[StockLine]


@dataclass(frozen=True, slots=True)
class ItemTotal:
    code: str
    item: str
    quantity: float
    unit: str
    stale: bool  # some of the total rests on a stale figure


@dataclass(frozen=True, slots=True)
class LedgerLine:
    at: datetime
    reason: str
    delta: float
    quantity_after: float
    note: str
    actor: str


def stock_line(
    listed: ListedStock,
    *,
    actor: Actor,
    catalogue: Catalogue,
    directory: Directory,
    lang: PageLanguage,
    today: date,
) -> StockLine:
    """A stock as a page line."""
    stock = listed.stock
    item = catalogue.item(stock.item_code)
    chinese = lang.is_chinese
    return StockLine(
        id=stock.id or 0,
        item_code=stock.item_code,
        item=item.name(lang.locale.code),
        quantity=stock.quantity,
        unit=item.unit_name(lang.locale.code),
        warehouse=stock.warehouse.name,
        lon=stock.warehouse.lon,
        lat=stock.warehouse.lat,
        expires_on=stock.expires_on,
        expired=not stock.usable_on(today),
        jurisdiction_code=stock.jurisdiction_code,
        jurisdiction=directory.jurisdiction_name(stock.jurisdiction_code, chinese=chinese),
        owner=directory.organisation_name(stock.owner_code, chinese=chinese),
        sharing=stock.sharing,
        sharing_label=lang.gettext(SHARING[stock.sharing]),
        confirmed_at=stock.confirmed_at,
        updated_at=stock.updated_at,
        stale=listed.stale,
        may_keep=may_keep(actor, stock),
    )


def by_jurisdiction(lines: list[StockLine]) -> list[JurisdictionStocks]:
    """The lines grouped by jurisdiction, in the order they came (by code)."""
    groups: dict[str, list[StockLine]] = {}
    for line in lines:
        groups.setdefault(line.jurisdiction_code, []).append(line)
    return [
        JurisdictionStocks(code, group[0].jurisdiction, group) for code, group in groups.items()
    ]


def totals(lines: list[StockLine]) -> list[ItemTotal]:
    """Usable quantity per item over the lines shown (expired stock left out)."""
    quantity: dict[str, float] = defaultdict(float)
    stale: dict[str, bool] = defaultdict(bool)
    first: dict[str, StockLine] = {}
    for line in lines:
        first.setdefault(line.item_code, line)
        if not line.expired:
            quantity[line.item_code] += line.quantity
            stale[line.item_code] |= line.stale
    return [
        ItemTotal(code, line.item, quantity[code], line.unit, stale[code])
        for code, line in sorted(first.items(), key=lambda pair: pair[1].item)
    ]


def ledger_lines(
    lines: list[Adjustment], *, directory: Directory, lang: PageLanguage
) -> list[LedgerLine]:
    """The ledger, newest line first, as the page shows it."""
    return [
        LedgerLine(
            at=line.at,
            reason=lang.gettext(REASON[line.reason]),
            delta=line.delta,
            quantity_after=line.quantity_after,
            note=line.note,
            actor=directory.person_name(line.actor),
        )
        for line in reversed(lines)
    ]


def unit_choices(item: Item, lang: PageLanguage) -> list[tuple[str, str]]:
    """(value, label) of the units a quantity of the item may be given in."""
    code = lang.locale.code
    return [("", item.unit_name(code))] + [
        (pack.code, pack.name_zh if lang.is_chinese else pack.name_en) for pack in item.packs
    ]


def amount(quantity: float) -> str:
    """A quantity as officers read it: thousands grouped, no trailing zeros."""
    if float(quantity).is_integer():
        return f"{int(quantity):,}"
    return f"{quantity:,.3f}".rstrip("0").rstrip(".")
