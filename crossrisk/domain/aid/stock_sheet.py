"""The stocks sheet: its columns, each row read into a StockDraft, and a stock as a row.

A row names a jurisdiction by code or name, an item by code or name, a quantity in the
item's base unit or in one of its packs (converted with the catalogue), a warehouse with
its longitude and latitude, an optional expiry date and the sharing (region-wide when left
empty). Another record kind (teams, shelters) is another SheetKind and its own row reader
of a few lines; the reading of the header, cells and errors is sheet.py's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from crossrisk.domain.aid import sheet
from crossrisk.domain.aid.catalogue import MAX_QUANTITY, Catalogue, Item
from crossrisk.domain.aid.sharing import Sharing
from crossrisk.domain.aid.sheet import Cell, CellError, Column, RowError, SheetKind
from crossrisk.domain.aid.stock import Stock, StockDraft, Warehouse
from crossrisk.domain.region import Jurisdiction

# As services.stocks bounds them: a relief item's expiry lies in these years.
EARLIEST_EXPIRY = date(2000, 1, 1)
LATEST_EXPIRY = date(2100, 12, 31)
WAREHOUSE_MAX = 200

STOCKS = SheetKind(
    code="stocks",
    title_zh="应急物资储备",
    title_en="Emergency stocks",
    columns=(
        Column(
            "jurisdiction",
            "辖区",
            "Jurisdiction",
            note_zh="行政区划代码（如 330100）或城市中文名（如 杭州市）",
            note_en="GB/T 2260 code (e.g. 330100) or the city's name (e.g. 杭州市 or Hangzhou)",
        ),
        Column(
            "item",
            "物资",
            "Item",
            note_zh="物资代码（见“物资”表）或物资名称",
            note_en="Item code (see the Items sheet) or its Chinese or English name",
        ),
        Column(
            "quantity",
            "数量",
            "Quantity",
            note_zh="不小于 0 的数字，单位见下一列",
            note_en="A number, at least 0, in the unit of the next column",
        ),
        Column(
            "unit",
            "单位",
            "Unit",
            required=False,
            note_zh="空＝基本单位；也可填包装代码或名称（如 pallet），按目录换算",
            note_en="Empty = the base unit; or a pack's code or name (e.g. pallet), converted",
        ),
        Column(
            "warehouse",
            "仓库",
            "Warehouse",
            note_zh="仓库名称，200 字以内",
            note_en="The warehouse's name, up to 200 characters",
        ),
        Column("lon", "经度", "Longitude", note_zh="WGS84 经度", note_en="WGS84 longitude"),
        Column("lat", "纬度", "Latitude", note_zh="WGS84 纬度", note_en="WGS84 latitude"),
        Column(
            "expiry",
            "有效期至",
            "Expiry",
            required=False,
            note_zh="YYYY-MM-DD 或 Excel 日期；无有效期留空",
            note_en="YYYY-MM-DD or an Excel date; empty when the item does not expire",
        ),
        Column(
            "sharing",
            "共享范围",
            "Sharing",
            required=False,
            note_zh="region（全区共享，空白时）或 committee（仅协调机构）",
            note_en="region (region-wide, when empty) or committee (committee only)",
        ),
    ),
)

SHARING_NAMES: dict[Sharing, tuple[str, str]] = {
    Sharing.REGION: ("全区共享", "Region-wide"),
    Sharing.COMMITTEE: ("仅协调机构", "Committee only"),
}


@dataclass(frozen=True, slots=True)
class StockLine:
    """A good row: its number in the file and the stock it describes, in base units."""

    row: int
    draft: StockDraft
    headers: Mapping[str, str]  # column code → the header the file used, for later errors


def read_stocks(
    table: Sequence[Sequence[Cell]],
    *,
    catalogue: Catalogue,
    jurisdictions: Sequence[Jurisdiction],
) -> tuple[list[StockLine], list[RowError]]:
    """Every good row as a StockLine and every error of every bad row, header included.

    A second row with the same jurisdiction, item, warehouse and expiry as an earlier one
    is an error: the file would set one stock twice.
    """
    rows, errors = sheet.read_table(STOCKS, table)
    by_name = sheet.names_of(((j.code, j.name_zh, j.name_en), j.code) for j in jurisdictions)
    items = sheet.names_of(((i.code, i.name_zh, i.name_en), i) for i in catalogue)
    sharing = sheet.names_of(
        ((s.value, *SHARING_NAMES[s]), s) for s in (Sharing.REGION, Sharing.COMMITTEE)
    )
    parsers = {
        "jurisdiction": lambda v: sheet.choice(sheet.required(v), by_name, what="jurisdiction"),
        "item": lambda v: sheet.choice(sheet.required(v), items, what="item"),
        "quantity": lambda v: sheet.number(sheet.required(v), low=0, high=MAX_QUANTITY),
        "unit": lambda v: None if v is None else sheet.text(v, limit=100),
        "warehouse": lambda v: sheet.text(sheet.required(v), limit=WAREHOUSE_MAX),
        "lon": lambda v: sheet.number(sheet.required(v), low=-180, high=180),
        "lat": lambda v: sheet.number(sheet.required(v), low=-90, high=90),
        "expiry": lambda v: (
            None if v is None else sheet.day(v, earliest=EARLIEST_EXPIRY, latest=LATEST_EXPIRY)
        ),
        "sharing": lambda v: (
            Sharing.REGION if v is None else sheet.choice(v, sharing, what="sharing")
        ),
    }
    lines: list[StockLine] = []
    seen: dict[tuple[str, str, str, date | None], int] = {}
    for row in rows:
        values = sheet.read_cells(row, parsers, errors)
        if values is None:
            continue
        item: Item = values["item"]
        quantity = _in_base_unit(row, item, values, errors)
        if quantity is None:
            continue
        draft = StockDraft(
            jurisdiction_code=values["jurisdiction"],
            item_code=item.code,
            quantity=quantity,
            warehouse=Warehouse(name=values["warehouse"], lon=values["lon"], lat=values["lat"]),
            sharing=values["sharing"],
            expires_on=values["expiry"],
        )
        key = identity(draft)
        if key in seen:
            errors.append(
                RowError(
                    row.number,
                    "",
                    "sheet-duplicate-row",
                    {"first_row": seen[key]},
                    f"the same stock as row {seen[key]}",
                )
            )
            continue
        seen[key] = row.number
        lines.append(StockLine(row=row.number, draft=draft, headers=row.headers))
    return lines, errors


def identity(draft: StockDraft | Stock) -> tuple[str, str, str, date | None]:
    """What makes a row the same stock as another: jurisdiction, item, warehouse, expiry."""
    name = draft.warehouse.name.strip().casefold()
    return (draft.jurisdiction_code, draft.item_code, name, draft.expires_on)


def _in_base_unit(
    row: sheet.DataRow, item: Item, values: dict[str, Any], errors: list[RowError]
) -> float | None:
    unit = values["unit"]
    if unit is None:
        return float(values["quantity"])
    units = sheet.names_of(
        [((item.unit, item.unit_zh, item.unit_en), None)]
        + [((p.code, p.name_zh, p.name_en), p.code) for p in item.packs]
    )
    try:
        pack = sheet.choice(unit, units, what="unit")
        if pack is None:
            return float(values["quantity"])
        return sheet.number(values["quantity"] * item.pack(pack).content, low=0, high=MAX_QUANTITY)
    except CellError as error:
        column = "unit" if error.key == "unknown-unit" else "quantity"
        params = (
            {**error.params, "item": item.code} if error.key == "unknown-unit" else error.params
        )
        errors.append(
            RowError(row.number, row.headers.get(column, column), error.key, params, error.message)
        )
        return None


def stock_row(stock: Stock) -> list[Cell]:
    """A stock as a row of the sheet (codes, base units): an export re-imports as it is."""
    return [
        stock.jurisdiction_code,
        stock.item_code,
        stock.quantity,
        None,
        stock.warehouse.name,
        stock.warehouse.lon,
        stock.warehouse.lat,
        stock.expires_on,
        stock.sharing.value,
    ]


def sharing_labels() -> list[tuple[str, str, str]]:
    """Each sharing's code with its Chinese and English name, for the instructions."""
    return [(s.value, *SHARING_NAMES[s]) for s in SHARING_NAMES]
