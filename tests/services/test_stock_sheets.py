"""Stocks imported from sheets: all rows or none, stock-takes of known stocks, exports
that read back; on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest

from crossrisk.domain.aid.sheet import SheetRefused
from crossrisk.domain.aid.stock import AdjustmentReason
from crossrisk.domain.aid.stock_sheet import STOCKS
from crossrisk.domain.events import Event
from crossrisk.domain.organisation import Role
from crossrisk.services import stock_sheets
from crossrisk.store.uow import UnitOfWork
from tests.support import T0, actor

HANGZHOU = "ema-330100"
HUANGSHAN = "ema-341000"
COMMITTEE = "yrd-committee"


def sheet(rows: list[list[object]], header: list[str] | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header or STOCKS.headers("zh"))
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def row(
    jurisdiction: str, item: str, quantity: object, warehouse: str, **more: str
) -> list[object]:
    return [
        jurisdiction,
        item,
        quantity,
        more.get("unit", ""),
        warehouse,
        more.get("lon", "120.1"),
        more.get("lat", "30.2"),
        more.get("expiry", ""),
        more.get("sharing", ""),
    ]


def counts(uow: UnitOfWork) -> tuple[int, int, int]:
    with uow.read_only() as tx:
        found = tx.stocks.of_region("yrd")
        ledger = sum(len(tx.stocks.ledger(s.id or 0)) for s in found)
        return len(found), ledger, len(list(tx.journal.entries()))


def journal(uow: UnitOfWork, action: str) -> list[dict[str, Any]]:
    with uow.read_only() as tx:
        return [dict(e.payload) for e in tx.journal.entries() if e.action == action]


def test_a_good_file_creates_stocks_then_counts_them(uow: UnitOfWork) -> None:
    seen: list[Event] = []
    uow.bus.subscribe(seen.append)
    first = sheet(
        [
            row("杭州市", "medical_mask", "2", "萧山仓", unit="pallet", expiry="2028-01-31"),
            row("330100", "drinking_water", "500", "萧山仓"),
        ]
    )
    result = stock_sheets.import_stocks(uow, actor(uow, HANGZHOU), "yrd", first, now=T0)

    assert (result.rows, result.created, result.counted) == (2, 2, 0)
    assert counts(uow)[:2] == (2, 2)
    (imported,) = journal(uow, "stocks.imported")
    assert imported == {"rows": 2, "created": 2, "counted": 0, "sha256": result.sha256}
    assert len(result.sha256) == 64
    assert sorted(p["quantity"] for p in journal(uow, "stock.added")) == [500, 2000]
    assert [e.name for e in seen] == ["stock.added", "stock.added", "stocks.imported"]

    later = T0 + timedelta(days=3)
    second = sheet([row("330100", "medical_mask", "1500", " 萧山仓 ", expiry="2028/1/31")])
    again = stock_sheets.import_stocks(uow, actor(uow, HANGZHOU), "yrd", second, now=later)

    assert (again.created, again.counted) == (0, 1)
    with uow.read_only() as tx:
        (masks,) = tx.stocks.of_region("yrd", item_codes=["medical_mask"])
        ledger = tx.stocks.ledger(masks.id or 0)
    assert masks.quantity == 1500 and masks.confirmed_at == later
    assert [(line.reason, line.delta) for line in ledger] == [
        (AdjustmentReason.OPENING, 2000),
        (AdjustmentReason.COUNTED, -500),
    ]
    (adjusted,) = journal(uow, "stock.adjusted")
    assert adjusted["reason"] == "counted" and adjusted["quantity"] == 1500


def test_one_bad_row_of_fifty_writes_nothing(uow: UnitOfWork) -> None:
    rows = [row("330100", "blanket", str(n), f"仓库 {n}") for n in range(1, 51)]
    rows[36][2] = "many"
    before = counts(uow)

    with pytest.raises(SheetRefused) as refused:
        stock_sheets.import_stocks(uow, actor(uow, HANGZHOU), "yrd", sheet(rows), now=T0)

    assert [(e.row, e.column, e.key) for e in refused.value.errors] == [
        (38, "数量", "cell-not-number")
    ]
    assert counts(uow) == before


def test_a_city_imports_only_its_own_rows_the_committee_any(uow: UnitOfWork) -> None:
    data = sheet(
        [
            row("330100", "tent", "10", "A"),
            row("341000", "tent", "10", "B"),
            row("341000", "boat", "1", "C"),
        ],
        STOCKS.headers("en"),
    )
    before = counts(uow)
    with pytest.raises(SheetRefused) as refused:
        stock_sheets.import_stocks(uow, actor(uow, HANGZHOU), "yrd", data, now=T0)
    assert [(e.row, e.column, e.key) for e in refused.value.errors] == [
        (3, "Jurisdiction", "base-information-not-yours"),
        (4, "Jurisdiction", "base-information-not-yours"),
    ]
    with pytest.raises(SheetRefused):
        stock_sheets.import_stocks(uow, actor(uow, HANGZHOU, Role.VIEWER), "yrd", data, now=T0)
    assert counts(uow) == before

    result = stock_sheets.import_stocks(uow, actor(uow, COMMITTEE), "yrd", data, now=T0)
    assert result.created == 3


def test_an_export_reads_back_as_a_stock_take_and_hides_what_one_may_not_read(
    uow: UnitOfWork,
) -> None:
    data = sheet(
        [
            row("330100", "tent", "10", "A", expiry="2030-05-01"),
            row("341000", "generator", "4", "B", sharing="committee"),
            row("341000", "sandbag", "3", "B", unit="bundle"),
        ]
    )
    stock_sheets.import_stocks(uow, actor(uow, COMMITTEE), "yrd", data, now=T0)

    hangzhou = stock_sheets.export_rows(uow, actor(uow, HANGZHOU), "yrd")
    assert [(r[0], r[1], r[2]) for r in hangzhou] == [
        ("330100", "tent", 10),
        ("341000", "sandbag", 300),
    ]
    for file_format in ("xlsx", "csv"):
        exported = stock_sheets.export_stocks(
            uow, actor(uow, COMMITTEE), "yrd", file_format=file_format, language="en"
        )
        result = stock_sheets.import_stocks(uow, actor(uow, COMMITTEE), "yrd", exported, now=T0)
        assert (result.rows, result.created, result.counted) == (3, 0, 3)
    with uow.read_only() as tx:
        assert sorted(s.quantity for s in tx.stocks.of_region("yrd")) == [4, 10, 300]
