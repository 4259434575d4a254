"""A risk's reach, situation and responsibility list on its page, and the forms on them."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from crossrisk.domain.analysis import Analysis
from crossrisk.domain.organisation import system_actor
from crossrisk.services import analysis, journal
from crossrisk.store.uow import UnitOfWork
from tests.web.officers import COMMITTEE_OFFICER, HANGZHOU_OFFICER, HUANGSHAN_OFFICER
from tests.web.page_parts import page_data, refusal, section
from tests.web.risk_forms import GAS_RELEASE, register, risk_form

LogIn = Callable[[str], str]
# A line crossing the border of Huangshan and Hangzhou (Chun'an): a spanning source.
ACROSS_THE_BORDER = '{"type": "LineString", "coordinates": [[118.5, 29.8], [119.2, 29.8]]}'


def journal_length(app: FastAPI) -> int:
    return journal.verify_journal(UnitOfWork(app.state.engine), system_actor()).entries


def newest(app: FastAPI, risk_id: int) -> Analysis:
    return analysis.current_analysis(UnitOfWork(app.state.engine), system_actor(), risk_id)


def test_risk_page_shows_situation_reach_and_responsibility_list(
    client: TestClient, log_in: LogIn
) -> None:
    risk_id = register(client, log_in(HUANGSHAN_OFFICER), **GAS_RELEASE)
    page = client.get(f"/risks/{risk_id}").text

    situation = section(page, "situation")
    assert "溢出" in situation
    assert "致灾因子位于黄山市，影响由此外溢至杭州市" in situation
    assert "黄山市" in section(page, "lead-jurisdiction")
    assert "有毒有害气体泄漏" in situation and "风速：3 米/秒" in situation

    reach = section(page, "reach-table")
    assert reach.index("黄山市") < reach.index("杭州市")  # by arrival
    assert "发生地" in reach and "小时" in reach and "地面最高浓度" in page
    hangzhou = reach[reach.index('data-jurisdiction="330100"') :]
    assert re.search(r"\d+\.\d 小时", hangzhou)
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d<", hangzhou)  # Beijing time to the minute

    duties = section(page, "responsibility")
    assert "分析版本 1" in duties and "综合性协调机构尚未确认" in duties
    for text in (
        "黄山市应急管理局",
        "牵头",
        "先期处置并报告",
        "杭州市应急管理局",
        "做好防范并确认",
    ):
        assert text in duties
    assert "召集会商协调" in duties and "专项跟进" in duties
    assert 'id="escalation"' not in page  # level II stays in the region

    data = page_data(page)["reach"]
    assert data["pathway"] == "plume" and data["footprint"]["type"] in ("Polygon", "MultiPolygon")
    assert data["origins"] == ["341000"] and "330100" in data["reached"]
    labels = {label["code"]: label for label in data["labels"]}
    assert labels["341000"]["text"] == "黄山市 · 发生地" and labels["341000"]["dark"]
    assert labels["330100"]["text"].startswith("杭州市 ")
    assert 'id="arrival-legend"' in page


def test_history_records_the_analysis(client: TestClient, log_in: LogIn) -> None:
    risk_id = register(client, log_in(HUANGSHAN_OFFICER))
    history = section(client.get(f"/risks/{risk_id}").text, "history")
    assert "完成影响分析" in history and "分析版本 1" in history


def test_level_one_risk_is_shown_escalated_to_the_central_office(
    client: TestClient, log_in: LogIn
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    risk_id = register(client, token, likelihood="5", consequence="5")
    page = client.get(f"/risks/{risk_id}").text
    banner = section(page, "escalation")
    assert "已上报中央跨域风险协调办公室" in banner and "I 级" in banner
    assert "接管指挥" in section(page, "responsibility")


def test_english_page_explains_the_situation_in_english(client: TestClient, log_in: LogIn) -> None:
    risk_id = register(client, log_in(HUANGSHAN_OFFICER), **GAS_RELEASE)
    client.get("/language/en")
    page = client.get(f"/risks/{risk_id}").text
    assert "Spillover" in page
    assert "spills over into Hangzhou" in page
    assert "Handle first and report" in page and "Prepare and acknowledge" in page
    assert "致灾因子位于黄山市" not in page


def test_registration_form_offers_hazard_types_and_their_parameters(
    client: TestClient, log_in: LogIn
) -> None:
    log_in(HUANGSHAN_OFFICER)
    page = client.get("/risks/new").text
    assert 'id="hazard-type"' in page and 'value="river_spill"' in page
    assert "selected>区域性致灾" in page  # the area type is the default
    for name in ("radius_km", "wind_speed_m_s", "snap_tolerance_km", "r0"):
        assert f'name="param-{name}"' in page
    assert "风速" in page and "米/秒" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"param-wind_speed_m_s": "-3"}, "风速不得小于 0.1 米/秒，填写的是 -3 米/秒"),
        ({"param-wind_speed_m_s": "fast"}, "风速须为数字"),
        ({"param-stability": "Z"}, "请从列表中选择大气稳定度等级"),
        ({"hazard_type": "infectious_disease"}, "不适用于“事故灾难”类别"),
        ({"hazard_type": "volcano"}, "请选择致灾类型"),
    ],
)
def test_bad_parameter_is_named_and_writes_nothing(
    app: FastAPI,
    client: TestClient,
    log_in: LogIn,
    risk_count: Callable[[], int],
    changes: dict[str, str],
    message: str,
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    before = journal_length(app)
    response = client.post("/risks/new", data=risk_form(token, **{**GAS_RELEASE, **changes}))
    assert response.status_code == 422
    assert message in response.text
    assert 'id="risk-form"' in response.text
    assert risk_count() == 0
    assert journal_length(app) == before


def test_parameters_of_other_models_are_ignored(client: TestClient, log_in: LogIn) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    # A form without scripts sends every model's fields; only the chosen type's count.
    risk_id = register(client, token, **{"param-r0": "-1", "param-radius_km": "12"})
    assert "影响半径：12 公里" in client.get(f"/risks/{risk_id}").text


def test_city_is_refused_confirmation_and_nothing_is_written(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    risk_id = register(client, token, **GAS_RELEASE)
    assert 'id="confirm-form"' not in client.get(f"/risks/{risk_id}").text
    before = journal_length(app)
    response = client.post(
        f"/risks/{risk_id}/confirmation", data={"csrf_token": token, "version": "1"}
    )
    assert response.status_code == 403
    assert "只有本区域综合性协调机构或中央跨域风险协调办公室可执行此操作" in response.text
    assert not newest(app, risk_id).confirmed
    assert journal_length(app) == before


def test_committee_confirms_the_newest_responsibility_list(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    risk_id = register(client, log_in(HUANGSHAN_OFFICER), **GAS_RELEASE)
    token = log_in(COMMITTEE_OFFICER)
    page = client.get(f"/risks/{risk_id}").text
    assert "确认责任清单（版本 1）" in section(page, "confirm-form")
    response = client.post(
        f"/risks/{risk_id}/confirmation", data={"csrf_token": token, "version": "1"}
    )
    assert response.status_code == 303
    confirmed = newest(app, risk_id)
    assert confirmed.confirmed and confirmed.confirmed_by == COMMITTEE_OFFICER
    page = client.get(f"/risks/{risk_id}").text
    assert f"已由 {COMMITTEE_OFFICER} 于" in section(page, "analysis-version")
    assert 'id="confirm-form"' not in page
    assert "确认责任清单" in section(page, "history")


def test_confirming_an_outdated_version_is_refused(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    risk_id = register(client, log_in(HUANGSHAN_OFFICER))
    token = log_in(COMMITTEE_OFFICER)
    response = client.post(
        f"/risks/{risk_id}/confirmation", data={"csrf_token": token, "version": "7"}
    )
    assert response.status_code == 409
    assert not newest(app, risk_id).confirmed


def test_origin_city_changes_parameters_and_the_reach_is_recomputed(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    risk_id = register(client, token, **GAS_RELEASE)
    assert 'id="parameters-form"' in client.get(f"/risks/{risk_id}").text
    form = {
        "csrf_token": token,
        "hazard_type": "gas_release",
        "param-emission_g_s": "100000",
        "param-wind_speed_m_s": "6",
        "param-wind_from_deg": "270",
        "reason": "现场实测风速 6 米/秒",
        "version": "1",
    }
    response = client.post(f"/risks/{risk_id}/parameters", data=form)
    assert response.status_code == 303, response.text
    current = newest(app, risk_id)
    assert current.version == 2 and current.reach.parameters["wind_speed_m_s"] == 6
    page = client.get(f"/risks/{risk_id}").text
    assert "分析版本 2" in page and "风速：6 米/秒" in page
    assert "现场实测风速 6 米/秒" in section(page, "history")


def test_bad_parameter_change_is_named_and_changes_nothing(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    risk_id = register(client, token, **GAS_RELEASE)
    before = journal_length(app)
    form = {
        "csrf_token": token,
        "hazard_type": "gas_release",
        "param-wind_speed_m_s": "-2",
        "reason": "风速有误",
    }
    response = client.post(f"/risks/{risk_id}/parameters", data=form)
    assert response.status_code == 422
    assert "风速不得小于" in response.text
    assert 'value="-2"' in section(response.text, "parameters-form")  # kept as typed
    assert newest(app, risk_id).version == 1
    assert journal_length(app) == before


def test_unchanged_parameters_are_refused(client: TestClient, log_in: LogIn) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    risk_id = register(client, token)
    form = {"csrf_token": token, "hazard_type": "area", "reason": "复核"}
    response = client.post(f"/risks/{risk_id}/parameters", data=form)
    assert response.status_code == 422
    assert "致灾类型和模型参数均未改变" in response.text


def test_affected_city_cannot_change_parameters(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    risk_id = register(client, log_in(HUANGSHAN_OFFICER), **GAS_RELEASE)
    token = log_in(HANGZHOU_OFFICER)
    assert 'id="parameters-form"' not in client.get(f"/risks/{risk_id}").text
    form = {"csrf_token": token, "hazard_type": "gas_release", "param-wind_speed_m_s": "-2"}
    response = client.post(f"/risks/{risk_id}/parameters", data={**form, "reason": "越权"})
    assert response.status_code == 403
    assert refusal(response.text).startswith("无权操作")
    assert "-2" not in refusal(response.text)  # who may not change it hears only that
    assert newest(app, risk_id).version == 1


def test_committee_names_another_origin_as_lead_of_a_spanning_source(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    risk_id = register(
        client,
        log_in(HUANGSHAN_OFFICER),
        category="natural_disaster",
        geometry_kind="geojson",
        geojson=ACROSS_THE_BORDER,
    )
    assert 'id="lead-form"' not in client.get(f"/risks/{risk_id}").text
    token = log_in(COMMITTEE_OFFICER)
    page = client.get(f"/risks/{risk_id}").text
    assert "跨域致灾" in section(page, "situation")
    assert "杭州市" in section(page, "lead-jurisdiction")  # the larger share leads
    form = {"csrf_token": token, "lead": "341000", "reason": "黄山市具备处置力量"}
    response = client.post(f"/risks/{risk_id}/lead", data=form)
    assert response.status_code == 303
    assert newest(app, risk_id).responsibility.lead_code == "341000"
    page = client.get(f"/risks/{risk_id}").text
    lead = section(page, "lead-jurisdiction")
    assert "黄山市" in lead and "由综合性协调机构指定" in lead
    assert "牵头方：黄山市" in section(page, "history")


def test_city_cannot_change_the_lead(app: FastAPI, client: TestClient, log_in: LogIn) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    risk_id = register(
        client,
        token,
        category="natural_disaster",
        geometry_kind="geojson",
        geojson=ACROSS_THE_BORDER,
    )
    form = {"csrf_token": token, "lead": "341000", "reason": "我方牵头"}
    response = client.post(f"/risks/{risk_id}/lead", data=form)
    assert response.status_code == 403
    assert "只有本区域综合性协调机构或中央跨域风险协调办公室可执行此操作" in refusal(response.text)
    assert newest(app, risk_id).responsibility.lead_code == "330100"


def test_reach_table_says_what_is_known_of_the_people_exposed(
    client: TestClient, log_in: LogIn
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    spill_id = register(client, token, hazard_type="river_spill")
    spill = section(client.get(f"/risks/{spill_id}").text, "reach-table")
    # A river: no estimate, the whole city's 2020 census population as the upper bound.
    assert "上限：全市常住人口（2020年人口普查）；沿河居住或从该河取水的人口未知" in spill
    hangzhou = spill[spill.index('data-jurisdiction="330100"') :]
    assert re.search(r'data-basis="whole_city">\s*至多 11,936,010\s*<', hangzhou)

    gas = section(
        client.get(f"/risks/{register(client, token, **GAS_RELEASE)}").text, "reach-table"
    )
    assert "按城市面积覆盖比例估算（2020年人口普查）" in gas
    huangshan = gas[gas.index('data-jurisdiction="341000"') :]
    assert re.search(r'data-basis="area_share">\s*[\d,]+\s*<', huangshan)
