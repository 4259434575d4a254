"""Stocks sheets over HTTP: raw or multipart imports, all rows or none; exports."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from crossrisk.aid.sheet_files import XLSX_MEDIA_TYPE
from crossrisk.domain.aid.sheet import MAX_FILE_BYTES
from crossrisk.store.models import JournalEntryRow, StockRow
from tests.support import assert_problem, auth

HEADER = "Jurisdiction,Item,Quantity,Unit,Warehouse,Longitude,Latitude,Expiry,Sharing\n"
GOOD = (
    HEADER
    + "341000,tent,10,,屯溪库,118.3,29.7,2031-01-01,\n341000,boat,1,,屯溪库,118.3,29.7,,committee\n"
)
CSV = {"Content-Type": "text/csv"}


def rows(client: TestClient) -> tuple[int, int]:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with engine.connect() as connection:
        return (
            connection.scalar(select(func.count()).select_from(StockRow)) or 0,
            connection.scalar(select(func.count()).select_from(JournalEntryRow)) or 0,
        )


def test_a_raw_csv_imports_and_exports(client: TestClient, tokens: dict[str, str]) -> None:
    response = client.post(
        "/api/aid/stocks/import",
        content=GOOD.encode(),
        headers={**auth(tokens, "huangshan"), **CSV},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["rows"], body["created"], body["counted"]) == (2, 2, 0)

    exported = client.get(
        "/api/aid/stocks/export?format=xlsx&lang=en", headers=auth(tokens, "hangzhou")
    )
    assert exported.status_code == 200
    assert exported.headers["content-type"] == XLSX_MEDIA_TYPE
    sheet = load_workbook(io.BytesIO(exported.content)).worksheets[0]
    # Hangzhou does not read Huangshan's committee-only boat.
    assert [r[:3] for r in sheet.iter_rows(min_row=2, values_only=True)] == [("341000", "tent", 10)]

    csv = client.get("/api/aid/stocks/export?format=csv", headers=auth(tokens, "committee"))
    assert csv.text.startswith("\ufeff辖区") and csv.text.count("\r\n") == 3


def test_bad_rows_are_a_422_with_every_error(client: TestClient, tokens: dict[str, str]) -> None:
    before = rows(client)
    bad = GOOD + "330100,tent,1,,A,120,30,,\n341000,tent,1e999,,B,118,29,,\n"
    response = client.post(
        "/api/aid/stocks/import",
        files={"file": ("stocks.csv", bad.encode(), "text/csv")},
        headers=auth(tokens, "huangshan"),
    )
    body = assert_problem(response, 422, key="sheet-refused")
    assert [(e["row"], e["column"], e["key"]) for e in body["errors"]] == [
        (4, "Jurisdiction", "base-information-not-yours"),
        (5, "Quantity", "cell-not-finite"),
    ]
    assert all(e["message"] for e in body["errors"])
    assert rows(client) == before


def test_limits_and_media_types(client: TestClient, tokens: dict[str, str]) -> None:
    before = rows(client)
    huge = client.post(
        "/api/aid/stocks/import",
        content=b"a" * (MAX_FILE_BYTES + 1),
        headers={**auth(tokens, "huangshan"), **CSV},
    )
    assert_problem(huge, 413, key="sheet-too-large")
    wrong = client.post(
        "/api/aid/stocks/import",
        content=b"{}",
        headers={**auth(tokens, "huangshan"), "Content-Type": "application/json"},
    )
    assert_problem(wrong, 415, key="sheet-media-type")
    nul = client.post(
        "/api/aid/stocks/import", content=b"a\x00b", headers={**auth(tokens, "huangshan"), **CSV}
    )
    assert_problem(nul, 422, key="sheet-not-text")
    broken = client.post(
        "/api/aid/stocks/import",
        content=b"PK\x03\x04 not a zip",
        headers={**auth(tokens, "huangshan"), "Content-Type": XLSX_MEDIA_TYPE},
    )
    assert_problem(broken, 422, key="sheet-not-xlsx")
    elsewhere = client.post(
        "/api/aid/stocks/import?region=pearl",
        content=GOOD.encode(),
        headers={**auth(tokens, "huangshan"), **CSV},
    )
    assert_problem(elsewhere, 403, key="region-not-readable")
    anonymous = client.post("/api/aid/stocks/import", content=GOOD.encode(), headers=CSV)
    assert anonymous.status_code == 401
    assert rows(client) == before
    assert client.get("/api/aid/stocks/export?format=pdf", headers=auth(tokens)).status_code == 422
