"""A spill's and a flood wave's reach on the risk page: the river columns and the curves."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html import unescape

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from crossrisk.domain.organisation import system_actor
from crossrisk.services import analysis, journal
from crossrisk.store.uow import UnitOfWork
from tests.web.officers import HUANGSHAN_OFFICER
from tests.web.page_parts import refusal, section
from tests.web.risk_forms import register, risk_form
from tests.web.risks.river_reaches import (
    HANGZHOU,
    STYRENE_LIMIT_MG_L,
    fake_compute_reach,
)

LogIn = Callable[[str], str]

STYRENE_SPILL = {
    "hazard_type": "river_spill",
    "param-substance": "styrene",
    "param-mass_kg": "20000",
    "param-release_hours": "2",
}
FLOOD = {
    "category": "natural_disaster",
    "hazard_type": "flood_wave",
    "param-peak_discharge_m3_s": "2000",
}


@pytest.fixture(autouse=True)
def river_models(monkeypatch: pytest.MonkeyPatch) -> None:
    """The river models replaced by reaches of known figures (see river_reaches)."""
    monkeypatch.setattr(analysis, "compute_reach", fake_compute_reach)


def journal_length(app: FastAPI) -> int:
    return journal.verify_journal(UnitOfWork(app.state.engine), system_actor()).entries


def curves(page: str) -> dict[str, object]:
    found = re.search(
        r'<script type="application/json" id="river-curves-data">(.*?)</script>', page, re.S
    )
    assert found, "the page carries no curve data"
    return dict(json.loads(found.group(1)))


def row(table: str, code: str) -> str:
    start = table.index(f'data-jurisdiction="{code}"')
    return unescape(table[start : table.index("</tr>", start)])


def test_spill_page_shows_limit_peak_and_hours_over_the_limit(
    client: TestClient, log_in: LogIn
) -> None:
    risk_id = register(client, log_in(HUANGSHAN_OFFICER), **STYRENE_SPILL)
    page = client.get(f"/risks/{risk_id}").text

    situation = section(page, "situation")
    assert "污染物随水流向下游输移" in situation
    assert "泄漏量：20000 千克" in situation and "泄漏持续时间：2 小时" in situation
    assert "地表水 III 类（GB 3838-2002）" in situation

    table = section(page, "reach-table")
    assert (
        "首次超标用时" in table
        and "超标持续时间" in table
        and "峰值浓度为该物质限值的倍数" in table
    )
    hangzhou = row(table, HANGZHOU)
    assert "30.4 小时" in hangzhou  # the limit is first exceeded
    assert "12 ×" in hangzhou
    assert "182 公里" in hangzhou
    assert "0.24 毫克/升" in hangzhou and "41.5 小时" in hangzhou  # the peak and when
    assert "66.0 小时" in hangzhou  # above the limit
    assert "千岛湖入湖处" in hangzhou
    assert "千岛湖" not in row(table, "341000")

    data = curves(page)
    assert data["kind"] == "spill" and data["log"] is True
    assert data["limit"] == STYRENE_LIMIT_MG_L and data["unit"] == "毫克/升"
    series = data["series"]
    assert isinstance(series, list)
    assert [line["name"] for line in series] == ["黄山市", "杭州市"]
    assert [41.5, 0.24] in series[1]["points"]
    assert "/static/vendor/echarts/echarts.min.js" in page
    assert "/static/js/river-curves.js" in page
    assert "对数坐标" in section(page, "reach-curves")


def test_spill_page_reads_in_english(client: TestClient, log_in: LogIn) -> None:
    risk_id = register(client, log_in(HUANGSHAN_OFFICER), **STYRENE_SPILL)
    client.get("/language/en")
    page = client.get(f"/risks/{risk_id}").text
    hangzhou = row(section(page, "reach-table"), HANGZHOU)
    assert "12 ×" in hangzhou and "0.24 mg/L" in hangzhou and "66.0 h" in hangzhou
    assert "where the river enters Qiandao Lake" in hangzhou
    assert curves(page)["texts"] == {
        "title": "Concentration at each reached city",
        "axisX": "Hours from the release",
        "axisY": "Concentration (mg/L)",
        "limit": "Limit",
    }


def test_spill_of_unknown_mass_reads_as_shares_of_the_source(
    client: TestClient, log_in: LogIn
) -> None:
    unknown_mass = {**STYRENE_SPILL, "param-mass_kg": ""}
    risk_id = register(client, log_in(HUANGSHAN_OFFICER), **unknown_mass)
    page = client.get(f"/risks/{risk_id}").text
    table = section(page, "reach-table")
    assert "占源头浓度的比例" in table
    assert "源头浓度的 0.24 %" in row(table, HANGZHOU)
    data = curves(page)
    assert data["relative"] is True and data["limit"] == 0.01
    series = data["series"]
    assert isinstance(series, list) and [41.5, 0.0024] in series[1]["points"]
    assert "视为受影响的比例（1 %）" in section(page, "reach-curves")


def test_flood_page_shows_the_routed_hydrograph_with_base_flow(
    client: TestClient, log_in: LogIn
) -> None:
    risk_id = register(client, log_in(HUANGSHAN_OFFICER), **FLOOD)
    page = client.get(f"/risks/{risk_id}").text

    table = section(page, "reach-table")
    assert "基流" in table and "首次超标用时" not in table
    hangzhou = row(table, HANGZHOU)
    assert "35 %" in hangzhou and "1,700 立方米/秒" in hangzhou and "1,000 立方米/秒" in hangzhou
    assert "260 公里" in hangzhou and "30.0 小时" in hangzhou

    data = curves(page)
    assert data["kind"] == "flood" and data["log"] is False and data["limit"] is None
    series = data["series"]
    assert isinstance(series, list)
    assert series[1]["base"] == 1000.0 and [30.0, 1700.0] in series[1]["points"]
    assert "洪水过程" in section(page, "reach-curves")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"param-mass_kg": "20000", "param-rate_kg_s": "2"},
            "param-spill-rate_kg_s",
            "请给出泄漏量，或给出泄漏速率及持续时间，二者不可同时给出。",
        ),
        (
            {"param-mass_kg": "", "param-rate_kg_s": "2", "param-release_hours": "0"},
            "param-spill-release_hours",
            "给出泄漏速率时须同时给出泄漏持续时间",
        ),
        (
            {"param-release_hours": "300", "param-horizon_hours": "240"},
            "param-spill-release_hours",
            "泄漏持续 300 小时，超过向下游跟踪的 240 小时",
        ),
        (
            {"param-mass_kg": "0"},
            "param-spill-mass_kg",
            "泄漏量不得小于 0.001 千克",
        ),
        (
            {"param-substance": "kryptonite"},
            "param-spill-substance",
            "没有物质“kryptonite”",
        ),
        (
            {"param-limit_basis": "class_v"},
            "param-spill-limit_basis",
            "判定城市是否受影响的限值",
        ),
    ],
)
def test_refused_spill_shows_at_its_field_and_registers_nothing(
    app: FastAPI,
    client: TestClient,
    log_in: LogIn,
    risk_count: Callable[[], int],
    changes: dict[str, str],
    field: str,
    message: str,
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    before, entries = risk_count(), journal_length(app)
    response = client.post("/risks/new", data=risk_form(token, **{**STYRENE_SPILL, **changes}))
    assert response.status_code == 422
    error = re.search(
        rf'<p class="field-error" id="{field}-error" role="alert">(.*?)</p>', response.text
    )
    assert error and message in unescape(error.group(1))
    assert message in refusal(response.text)
    assert f'id="{field}"' in response.text and 'aria-invalid="true"' in response.text
    assert risk_count() == before and journal_length(app) == entries


def test_refused_parameter_change_keeps_the_risk_as_it_was(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    risk_id = register(client, token, **STYRENE_SPILL)
    before = client.get(f"/risks/{risk_id}").text
    entries = journal_length(app)
    response = client.post(
        f"/risks/{risk_id}/parameters",
        data={
            "csrf_token": token,
            "version": "1",
            "hazard_type": "river_spill",
            "param-substance": "styrene",
            "param-release_hours": "300",
            "param-horizon_hours": "240",
            "reason": "泄漏时间更长",
        },
    )
    assert response.status_code == 422
    error = section(response.text, "param-spill-release_hours-error")
    assert "超过向下游跟踪的 240 小时" in unescape(error)
    assert journal_length(app) == entries
    after = client.get(f"/risks/{risk_id}").text
    assert section(after, "situation") == section(before, "situation")


def test_what_if_of_a_spill_draws_its_curves_and_stores_nothing(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    entries = journal_length(app)
    fields = risk_form(token, **STYRENE_SPILL)
    del fields["title"], fields["description"]
    response = client.post("/what-if", data=fields)
    assert response.status_code == 200, refusal(response.text)
    assert "12 ×" in row(section(response.text, "reach-table"), HANGZHOU)
    assert curves(response.text)["limit"] == STYRENE_LIMIT_MG_L
    assert "/static/js/river-curves.js" in response.text
    assert journal_length(app) == entries


def test_the_spill_form_offers_the_substance_table(client: TestClient, log_in: LogIn) -> None:
    log_in(HUANGSHAN_OFFICER)
    page = client.get("/risks/new").text
    start = page.index('<select id="param-spill-substance"')
    choices = page[start : page.index("</select>", start)]

    assert '<option value="" selected>未知</option>' in choices
    assert '<option value="styrene">苯乙烯</option>' in choices
    assert '<option value="ammonia_nitrogen">' in choices
