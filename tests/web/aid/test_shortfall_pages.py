"""The shortfall page (a risk's and a what-if's), its chart data, and its Excel workbook."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime

from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from crossrisk.domain.risk import RiskCategory
from crossrisk.services import risks
from crossrisk.store.models import JournalEntryRow
from crossrisk.store.uow import UnitOfWork
from tests.support import actor, draft
from tests.web.officers import COMMITTEE_OFFICER, HANGZHOU_OFFICER
from tests.web.page_parts import page_data, refusal

LogIn = Callable[[str], str]


def register_flood(app: FastAPI) -> int:
    uow = UnitOfWork(app.state.engine)
    risk = risks.register_risk(
        uow,
        actor(uow, "ema-320500"),
        draft(
            where=(121.05, 31.3),
            category=RiskCategory.NATURAL_DISASTER,
            parameters={"radius_km": 20},
        ),
        region_code="yrd",
        now=datetime.now(UTC),
    )
    assert risk.id is not None
    return risk.id


def journal_size(app: FastAPI) -> int:
    with app.state.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(JournalEntryRow)))


def test_a_risks_shortfall_shows_table_chart_and_escalation_in_chinese(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    risk_id = register_flood(app)
    log_in(COMMITTEE_OFFICER)
    detail = client.get(f"/risks/{risk_id}")
    assert f'href="/aid/shortfall?risk={risk_id}"' in detail.text

    page = client.get(f"/aid/shortfall?risk={risk_id}")

    assert page.status_code == 200
    assert 'id="shortfall-chart"' in page.text
    assert "/static/vendor/echarts/echarts.min.js" in page.text
    assert "/static/js/shortfall-chart.js" in page.text
    assert "区域整体缺口" in page.text and "苏州市" in page.text
    data = page_data(page.text)
    assert "苏州市" in data["jurisdictions"]
    tents = next(s for s in data["series"] if s["item"] == "tent")
    assert tents["name"].startswith("救灾帐篷") and max(tents["shortfall"]) > 0
    assert "已上报中央层面" in page.text
    assert 'id="shortfall-xlsx"' in page.text


def test_the_page_speaks_english_when_asked(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    risk_id = register_flood(app)
    log_in(HANGZHOU_OFFICER)
    client.get("/language/en")

    page = client.get(f"/aid/shortfall?risk={risk_id}")

    assert page.status_code == 200
    assert "The region as a whole lacks" in page.text and "Suzhou" in page.text
    data = page_data(page.text)
    assert data["texts"]["shortfall"] == "Shortfall"
    assert any(s["name"].startswith("Relief tent") for s in data["series"])


def test_a_what_if_from_the_form_writes_nothing(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    csrf = log_in(HANGZHOU_OFFICER)
    form = client.get("/aid/shortfall")
    assert 'name="people_330100"' in form.text
    assert 'id="shortfall-chart"' not in form.text
    before = journal_size(app)

    result = client.post(
        "/aid/shortfall",
        data={
            "csrf_token": csrf,
            "region": "yrd",
            "displaced_share": "0.3",
            "days": "7",
            "people_330100": "10000",
        },
    )

    assert result.status_code == 200, refusal(result.text)
    assert journal_size(app) == before
    assert "1,050,000" in result.text and "875" in result.text
    assert 'id="shortfall-chart"' in result.text


def test_bad_what_ifs_are_refused_on_the_page(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    csrf = log_in(HANGZHOU_OFFICER)
    for fields in (
        {"people_330100": "-5"},
        {"people_330100": "nan"},
        {"people_330100": "10", "displaced_share": "1.5"},
        {"people_330100": "10", "days": "0"},
        {"people_330100": "10", "days": "10000"},
        {"people_440100": "10"},
    ):
        refused = client.post(
            "/aid/shortfall", data={"csrf_token": csrf, "region": "yrd", **fields}
        )
        assert refused.status_code in (400, 422), fields
        assert refusal(refused.text), fields


def test_the_workbook_reads_back_in_the_page_language(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    risk_id = register_flood(app)
    log_in(COMMITTEE_OFFICER)

    response = client.get(f"/aid/shortfall.xlsx?risk={risk_id}&lang=en")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Shortfall"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == f"Shortfall — Risk {risk_id}"
    assert "Sphere Handbook" in rows[2][0]
    assert list(rows[3][:6]) == ["Code", "Jurisdiction", "Item", "Unit", "Need", "Own stock"]
    suzhou_water = next(r for r in rows[4:] if r[0] == "320500" and r[2] == "Drinking water")
    assert suzhou_water[4] > 0 and suzhou_water[7] == suzhou_water[4]
    region_tents = next(r for r in rows[4:] if r[0] == "yrd" and r[2].startswith("Relief tent"))
    assert region_tents[11] > 0
    factors = list(book["Demand factors"].iter_rows(values_only=True))
    assert any(row[5] and "standard 2.1" in row[5] for row in factors[2:])

    chinese = load_workbook(io.BytesIO(client.get(f"/aid/shortfall.xlsx?risk={risk_id}").content))
    assert "缺口" in chinese.sheetnames
    assert list(chinese["缺口"].iter_rows(values_only=True))[3][4] == "需求"
