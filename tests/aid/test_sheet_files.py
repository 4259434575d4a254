"""Sheet files: CSV (UTF-8 with or without BOM, GB18030) and .xlsx read into cells, bounded."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from crossrisk.aid import sheet_files
from crossrisk.domain.aid.sheet import MAX_FILE_BYTES
from crossrisk.domain.aid.stock_sheet import STOCKS, read_stocks
from crossrisk.domain.errors import InvalidInput, TooLarge
from crossrisk.domain.region import Jurisdiction, JurisdictionLevel
from crossrisk.services.policy_tables import aid_catalogue

HANGZHOU = Jurisdiction(
    "330100", "杭州市", "Hangzhou", JurisdictionLevel.PREFECTURE, None, None, {}, True
)


def workbook(*rows: list[object]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_csv_in_utf8_and_gb18030_reads_the_same() -> None:
    text = "辖区,物资\r\n杭州市,帐篷\r\n"
    for data in (text.encode("utf-8-sig"), text.encode("utf-8"), text.encode("gb18030")):
        assert sheet_files.read_sheet(data) == [["辖区", "物资"], ["杭州市", "帐篷"]]


def test_an_xlsx_keeps_numbers_and_dates_and_an_uncomputed_formula_is_empty() -> None:
    data = workbook(
        STOCKS.headers("en"),
        ["330100", "tent", "=1+1", None, "A", 120.5, 30, datetime(2027, 6, 30), None],
    )
    table = sheet_files.read_sheet(data)
    assert table[1][5:8] == [120.5, 30, datetime(2027, 6, 30)]
    _, errors = read_stocks(table, catalogue=aid_catalogue(), jurisdictions=[HANGZHOU])
    # A formula no spreadsheet has computed has no value to import (openpyxl data_only).
    assert [(e.row, e.column, e.key) for e in errors] == [(2, "Quantity", "cell-empty")]


def test_what_is_written_reads_back() -> None:
    rows = [["330100", "tent", 5.0, None, "=cmd", 120.0, 30.0, date(2027, 1, 2), "region"]]
    for data in (
        sheet_files.to_csv(STOCKS, rows, language="zh"),
        sheet_files.to_xlsx(STOCKS, rows, language="en", choices={}, instructions=[["x"]]),
    ):
        table = sheet_files.read_sheet(data)
        assert table[1][4] == "'=cmd"  # made inert for Excel, kept as text
        lines, errors = read_stocks(table, catalogue=aid_catalogue(), jurisdictions=[HANGZHOU])
        assert errors == [] and lines[0].draft.expires_on == date(2027, 1, 2)


def test_bad_files_are_refused_before_reading() -> None:
    with pytest.raises(TooLarge):
        sheet_files.read_sheet(b"x" * (MAX_FILE_BYTES + 1))
    with pytest.raises(InvalidInput) as nul:
        sheet_files.read_sheet("辖区\x00".encode())
    assert nul.value.key == "sheet-not-text"
    with pytest.raises(InvalidInput) as broken:
        sheet_files.read_sheet(b"PK\x03\x04garbage")
    assert broken.value.key == "sheet-not-xlsx"
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/big.xml", b"0" * (20 * MAX_FILE_BYTES + 1))
    with pytest.raises(TooLarge):
        sheet_files.read_sheet(bomb.getvalue())
