"""Teams, equipment and shelters sheets over HTTP: imports all rows or none, exports, and
the fixed paths that come before a record's /{id}."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from crossrisk.aid.sheet_files import XLSX_MEDIA_TYPE
from crossrisk.store.models import JournalEntryRow
from tests.support import assert_problem, auth

HEADER = "Jurisdiction,Kind,Site,Units,Capability of one unit,Longitude,Latitude,Contact,Sharing\n"
GOOD = (
    HEADER
    + "341000,pump,屯溪仓,4,300,118.3,29.7,,\n"
    + "341000,generator,屯溪仓,2,200,118.3,29.7,,committee\n"
)
CSV = {"Content-Type": "text/csv"}


def journal_rows(client: TestClient) -> int:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(JournalEntryRow)) or 0


def test_a_raw_csv_imports_and_exports(client: TestClient, tokens: dict[str, str]) -> None:
    response = client.post(
        "/api/aid/equipment/import",
        content=GOOD.encode(),
        headers={**auth(tokens, "huangshan"), **CSV},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["rows"], body["created"], body["changed"], body["confirmed"]) == (2, 2, 0, 0)

    exported = client.get(
        "/api/aid/equipment/export?format=xlsx&lang=en", headers=auth(tokens, "hangzhou")
    )
    assert exported.status_code == 200
    assert exported.headers["content-type"] == XLSX_MEDIA_TYPE
    sheet = load_workbook(io.BytesIO(exported.content)).worksheets[0]
    # Hangzhou does not read Huangshan's committee-only generators.
    assert [r[:4] for r in sheet.iter_rows(min_row=2, values_only=True)] == [
        ("341000", "pump", "屯溪仓", 4)
    ]
    csv = client.get("/api/aid/equipment/export?format=csv", headers=auth(tokens, "committee"))
    assert csv.text.startswith("\ufeff辖区") and csv.text.count("\r\n") == 3
    listed = client.get("/api/aid/equipment?region=yrd", headers=auth(tokens, "huangshan"))
    assert listed.status_code == 200 and len(listed.json()) == 2


def test_bad_rows_are_a_422_with_every_error(client: TestClient, tokens: dict[str, str]) -> None:
    before = journal_rows(client)
    bad = (
        "辖区,队伍名称,队伍类别,分级,人数,集结时间（小时）,经度,纬度,舟艇（艘）\n"
        "341000,黄山山地队,flood_rescue,4,6,1,118.3,29.7,1\n"
        "330100,西湖队,flood_rescue,4,6,1,120,30,1\n"
        "341000,新安江队,flood_rescue,9,6,1,118.3,29.7,1\n"
        "341000,太平湖队,flood_rescue,4,6,1,118.3,29.7,\n"
    )
    response = client.post(
        "/api/aid/teams/import",
        files={"file": ("teams.csv", bad.encode(), "text/csv")},
        headers=auth(tokens, "huangshan"),
    )
    body = assert_problem(response, 422, key="sheet-refused")
    assert [(e["row"], e["column"], e["key"]) for e in body["errors"]] == [
        (3, "辖区", "base-information-not-yours"),
        (4, "分级", "cell-out-of-range"),
        (5, "舟艇（艘）", "team-type-not-met"),  # no boats: no flood team of any type
    ]
    assert all(e["message"] for e in body["errors"])
    assert journal_rows(client) == before


def test_limits_media_types_and_paths(client: TestClient, tokens: dict[str, str]) -> None:
    before = journal_rows(client)
    wrong = client.post(
        "/api/aid/shelters/import",
        content=b"{}",
        headers={**auth(tokens, "huangshan"), "Content-Type": "application/json"},
    )
    assert_problem(wrong, 415, key="sheet-media-type")
    nul = client.post(
        "/api/aid/shelters/import", content=b"a\x00b", headers={**auth(tokens, "huangshan"), **CSV}
    )
    assert_problem(nul, 422, key="sheet-not-text")
    elsewhere = client.post(
        "/api/aid/shelters/import?region=pearl",
        content=GOOD.encode(),
        headers={**auth(tokens, "huangshan"), **CSV},
    )
    assert_problem(elsewhere, 403, key="region-not-readable")
    anonymous = client.post("/api/aid/shelters/import", content=GOOD.encode(), headers=CSV)
    assert anonymous.status_code == 401
    assert journal_rows(client) == before
    assert client.get("/api/aid/teams/export?format=pdf", headers=auth(tokens)).status_code == 422
    template = client.get("/api/aid/shelters/export", headers=auth(tokens, "hangzhou"))
    assert template.status_code == 200 and template.text.startswith("\ufeff辖区,场所名称")
