"""Reading a stocks sheet: every bad row reported together, either header language."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import pytest

from crossrisk.domain.aid import sheet
from crossrisk.domain.aid.sharing import Sharing
from crossrisk.domain.aid.stock_sheet import STOCKS, StockLine, read_stocks
from crossrisk.domain.region import Jurisdiction, JurisdictionLevel
from crossrisk.services.policy_tables import aid_catalogue

HANGZHOU = Jurisdiction(
    "330100", "杭州市", "Hangzhou", JurisdictionLevel.PREFECTURE, None, None, {}, True
)
HUANGSHAN = Jurisdiction(
    "341000", "黄山市", "Huangshan", JurisdictionLevel.PREFECTURE, None, None, {}, True
)
ZH = STOCKS.headers("zh")
EN = STOCKS.headers("en")
CODES = [c.code for c in STOCKS.columns]


def read(
    rows: Sequence[Sequence[sheet.Cell]], header: Sequence[sheet.Cell] = ZH
) -> tuple[list[StockLine], list[sheet.RowError]]:
    return read_stocks(
        [header, *rows], catalogue=aid_catalogue(), jurisdictions=[HANGZHOU, HUANGSHAN]
    )


def where(errors: list[sheet.RowError]) -> set[tuple[int, str, str]]:
    return {(e.row, e.column, e.key) for e in errors}


def test_a_good_chinese_sheet_reads_names_packs_and_dates() -> None:
    lines, errors = read(
        [
            [
                "杭州市",
                "医用口罩",
                "3",
                "pallet",
                "萧山仓",
                "120.26",
                "30.18",
                "2027-06-30",
                "全区共享",
            ],
            ["341000", "drinking_water", 1200.5, None, "屯溪库", 118.3, 29.7, None, None],
            [],
            [
                "Huangshan",
                "Blanket",
                "2",
                "包（10 床）",
                "屯溪库",
                118.3,
                29.7,
                datetime(2030, 1, 2),
                "committee",
            ],
        ]
    )
    assert errors == []
    masks, water, blankets = (line.draft for line in lines)
    assert [line.row for line in lines] == [2, 3, 5]  # the empty row 4 is skipped
    assert (masks.jurisdiction_code, masks.item_code, masks.quantity) == (
        "330100",
        "medical_mask",
        3000,
    )
    assert masks.expires_on == date(2027, 6, 30) and masks.sharing is Sharing.REGION
    assert (water.jurisdiction_code, water.quantity, water.expires_on) == ("341000", 1200.5, None)
    assert blankets.quantity == 20 and blankets.sharing is Sharing.COMMITTEE
    assert blankets.expires_on == date(2030, 1, 2)


def test_english_and_code_headers_are_read_alike() -> None:
    row = ["330100", "tent", "5", "", "Depot 1", "120", "30", "", ""]
    for header in (EN, CODES, [h.upper() + " *" for h in EN]):
        lines, errors = read([row], header)
        assert errors == [] and lines[0].draft.quantity == 5


def test_every_bad_row_and_cell_is_reported_at_once() -> None:
    lines, errors = read(
        [
            ["广州市", "tent", "-1", "", "A", "200", "30", "", ""],
            ["330100", "unicorn", "nan", "", "", "120", "95", "9999-01-01", "everyone"],
            ["330100", "tent", "1e300", "", "A\x00", "inf", "30", "0001-01-01", ""],
            ["330100", "tent", "2", "crate", "B", "120", "30", "June", ""],
            ["330100", "tent", "2", "", "B", "120", "30", "", ""],
            ["330100", "Relief tent (12 m²)", "3", "", " b ", "120", "30", "", ""],
        ],
        EN,
    )
    assert lines[0].row == 6
    found = where(errors)
    assert {
        (2, "Jurisdiction", "unknown-jurisdiction"),
        (2, "Quantity", "cell-out-of-range"),
        (2, "Longitude", "cell-out-of-range"),
        (3, "Item", "unknown-item"),
        (3, "Quantity", "cell-not-finite"),
        (3, "Warehouse", "cell-empty"),
        (3, "Latitude", "cell-out-of-range"),
        (3, "Expiry", "cell-date-out-of-range"),
        (3, "Sharing", "unknown-sharing"),
        (4, "Quantity", "cell-out-of-range"),
        (4, "Warehouse", "cell-control-characters"),
        (4, "Longitude", "cell-not-finite"),
        (4, "Expiry", "cell-date-out-of-range"),
        (5, "Expiry", "cell-not-date"),
        (7, "", "sheet-duplicate-row"),
    } == found
    assert [e.params for e in errors if e.key == "sheet-duplicate-row"] == [{"first_row": 6}]


def test_an_unknown_pack_is_the_unit_column_error() -> None:
    _, errors = read([["330100", "tent", "2", "crate", "B", "120", "30", "", ""]])
    assert where(errors) == {(2, "单位", "unknown-unit")}
    assert errors[0].params["item"] == "tent"


def test_header_errors_are_row_one() -> None:
    header = ["辖区", "物资", "数量", "仓库", "仓库", "经度", "Colour"]
    lines, errors = read([["330100", "tent", "1", "A", "A", "120"]], header)
    assert lines == []
    assert where(errors) == {
        (1, "仓库", "sheet-duplicate-column"),
        (1, "Colour", "sheet-unknown-column"),
        (1, "纬度 / Latitude", "sheet-missing-column"),
    }


def test_excel_serial_dates_and_numeric_codes_are_read() -> None:
    lines, errors = read([[330100.0, "tent", 2, None, "A", 120, 30, 46568, None]])
    assert errors == []
    assert lines[0].draft.jurisdiction_code == "330100"
    assert lines[0].draft.expires_on == date(2027, 6, 30)


def test_too_many_rows_is_one_error_and_nothing_read() -> None:
    row = ["330100", "tent", "1", "", "A", "120", "30", "", ""]
    lines, errors = read([row] * (sheet.MAX_ROWS + 1))
    assert lines == []
    assert [(e.row, e.key) for e in errors] == [(sheet.MAX_ROWS + 2, "sheet-too-many-rows")]


def test_an_empty_table_says_so() -> None:
    _, errors = read_stocks([], catalogue=aid_catalogue(), jurisdictions=[HANGZHOU])
    assert [e.key for e in errors] == ["sheet-empty"]


@pytest.mark.parametrize("value", ["1,200", "１２００", 1200, 1200.0, " 1200 "])
def test_numbers_as_officers_type_them(value: sheet.Cell) -> None:
    assert sheet.number(value if value != "１２００" else "1200", low=0, high=1e12) == 1200
