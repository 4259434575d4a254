"""Registering, listing, transitioning and reassessing risks through the page forms."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from crossrisk.domain.organisation import system_actor
from crossrisk.domain.risk import TITLE_MAX, RiskStatus
from crossrisk.services import risks
from crossrisk.store.uow import UnitOfWork
from tests.support import HANGZHOU, OUTSIDE
from tests.web.officers import EVALUATOR, HANGZHOU_OFFICER, HUANGSHAN_OFFICER
from tests.web.page_parts import refusal
from tests.web.risk_forms import register, risk_form

LogIn = Callable[[str], str]


def stored_status(app: FastAPI, risk_id: int) -> RiskStatus:
    return risks.get_risk(UnitOfWork(app.state.engine), system_actor(), risk_id).status


def test_registering_by_form_creates_the_risk_and_shows_its_page(
    client: TestClient, log_in: LogIn, risk_count: Callable[[], int]
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    response = client.post("/risks/new", data=risk_form(token))
    assert response.status_code == 303
    assert response.headers["location"].startswith("/risks/")
    assert risk_count() == 1
    page = client.get(response.headers["location"])
    assert page.status_code == 200
    assert "新安江苯乙烯泄漏" in page.text
    assert "事故灾难" in page.text and "已识别" in page.text and "II 重大" in page.text
    assert "黄山市" in page.text and "Huangshan" in page.text
    assert 'id="transition-form"' in page.text


def test_form_post_without_csrf_token_is_refused_and_writes_nothing(
    client: TestClient, log_in: LogIn, risk_count: Callable[[], int]
) -> None:
    log_in(HUANGSHAN_OFFICER)
    before = risk_count()
    for token in ("", "forged-token"):
        response = client.post("/risks/new", data=risk_form(token))
        assert response.status_code == 403
        assert "表单安全令牌缺失或已过期" in response.text
    assert risk_count() == before


def test_too_long_title_shows_the_form_again_and_writes_nothing(
    client: TestClient, log_in: LogIn, risk_count: Callable[[], int]
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    title = "长" * (TITLE_MAX + 1)
    response = client.post("/risks/new", data=risk_form(token, title=title))
    assert response.status_code == 422
    assert 'id="risk-form"' in response.text
    assert f"上限为 {TITLE_MAX} 个字" in response.text
    assert "槽罐车侧翻" in response.text  # what was typed is kept
    assert risk_count() == 0


def test_point_outside_the_region_is_refused_in_the_visitors_language(
    client: TestClient, log_in: LogIn, risk_count: Callable[[], int]
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    longitude, latitude = OUTSIDE
    response = client.post(
        "/risks/new", data=risk_form(token, longitude=str(longitude), latitude=str(latitude))
    )
    assert response.status_code == 422
    assert "致灾因子（部分）不在本区域成员城市范围内" in response.text
    assert risk_count() == 0


def test_city_cannot_register_a_risk_in_another_city(
    client: TestClient, log_in: LogIn, risk_count: Callable[[], int]
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    longitude, latitude = HANGZHOU
    response = client.post(
        "/risks/new", data=risk_form(token, longitude=str(longitude), latitude=str(latitude))
    )
    assert response.status_code == 403
    assert refusal(response.text).startswith("无权操作")
    assert risk_count() == 0


def test_pasted_geojson_line_registers_a_line_hazard(client: TestClient, log_in: LogIn) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    line = '{"type": "LineString", "coordinates": [[118.30, 29.70], [118.35, 29.72]]}'
    risk_id = register(client, token, geometry_kind="geojson", geojson=line, longitude="")
    assert "LineString" in client.get(f"/risks/{risk_id}").text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"geometry_kind": "geojson", "geojson": "{not json"}, "不是有效的 JSON"),
        (
            {"geometry_kind": "geojson", "geojson": "[" * 100_000 + "]" * 100_000},
            "括号嵌套过深",
        ),
        ({"longitude": ""}, "缺少经度"),
        ({"latitude": "north"}, "纬度须为以度为单位的数字"),
        ({"likelihood": "7"}, "请从 1 至 5 中选择可能性"),
        ({"category": "weather"}, "请选择类别"),
    ],
)
def test_bad_form_input_is_named_and_writes_nothing(
    client: TestClient,
    log_in: LogIn,
    risk_count: Callable[[], int],
    changes: dict[str, str],
    message: str,
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    response = client.post("/risks/new", data=risk_form(token, **changes))
    assert response.status_code == 422
    assert message in response.text
    assert risk_count() == 0


def test_a_version_no_row_can_have_is_not_a_server_error(client: TestClient, log_in: LogIn) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    risk_id = register(client, token)
    for version in ("9" * 5000, "9" * 20, "²"):
        response = client.post(
            f"/risks/{risk_id}/transition",
            data={"csrf_token": token, "to": "assessed", "reason": "会商", "version": version},
        )
        assert response.status_code < 500, response.text


def test_transition_by_form_is_recorded_in_the_history(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    risk_id = register(client, token)
    response = client.post(
        f"/risks/{risk_id}/transition",
        data={"csrf_token": token, "to": "assessed", "reason": "会商研判完成", "version": "1"},
    )
    assert response.status_code == 303
    assert stored_status(app, risk_id) is RiskStatus.ASSESSED
    page = client.get(f"/risks/{risk_id}").text
    history = page[page.index('id="history"') :]
    assert "已识别 → 已评估" in history
    assert "会商研判完成" in history
    assert HUANGSHAN_OFFICER in history and "黄山市应急管理局" in history


def test_transition_without_a_reason_is_refused(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    risk_id = register(client, token)
    response = client.post(
        f"/risks/{risk_id}/transition", data={"csrf_token": token, "to": "assessed", "reason": " "}
    )
    assert response.status_code == 422
    assert "理由不能为空" in response.text
    assert stored_status(app, risk_id) is RiskStatus.IDENTIFIED


def test_illegal_transition_is_refused_and_changes_nothing(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    risk_id = register(client, token)
    response = client.post(
        f"/risks/{risk_id}/transition",
        data={"csrf_token": token, "to": "closed", "reason": "直接关闭"},
    )
    assert response.status_code == 409
    assert "不允许此状态变更" in response.text
    assert stored_status(app, risk_id) is RiskStatus.IDENTIFIED


def test_stale_form_does_not_overwrite_a_newer_change(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    risk_id = register(client, token)
    form = {"csrf_token": token, "to": "assessed", "reason": "研判", "version": "1"}
    assert client.post(f"/risks/{risk_id}/transition", data=form).status_code == 303
    stale = {**form, "to": "treating"}
    response = client.post(f"/risks/{risk_id}/transition", data=stale)
    assert response.status_code == 409
    assert "该记录已被他人修改" in response.text
    assert stored_status(app, risk_id) is RiskStatus.ASSESSED


def test_another_city_sees_no_forms_and_cannot_transition(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    risk_id = register(client, log_in(HUANGSHAN_OFFICER))
    token = log_in(HANGZHOU_OFFICER)
    page = client.get(f"/risks/{risk_id}")
    assert page.status_code == 200
    assert 'id="transition-form"' not in page.text
    assert 'id="reassess-form"' not in page.text
    assert 'id="read-only-note"' in page.text
    response = client.post(
        f"/risks/{risk_id}/transition",
        data={"csrf_token": token, "to": "assessed", "reason": "越权尝试"},
    )
    assert response.status_code == 403
    assert refusal(response.text).startswith("无权操作")
    assert stored_status(app, risk_id) is RiskStatus.IDENTIFIED


def test_reassessment_changes_the_event_level(
    client: TestClient, log_in: LogIn, app: FastAPI
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    risk_id = register(client, token)
    response = client.post(
        f"/risks/{risk_id}/reassess",
        data={
            "csrf_token": token,
            "likelihood": "1",
            "consequence": "1",
            "reason": "泄漏已控制",
            "version": "1",
        },
    )
    assert response.status_code == 303
    risk = risks.get_risk(UnitOfWork(app.state.engine), system_actor(), risk_id)
    assert (risk.likelihood, risk.consequence) == (1, 1)
    page = client.get(f"/risks/{risk_id}").text
    assert "泄漏已控制" in page and "可能性" in page


def test_evaluator_is_not_offered_the_registration_form(client: TestClient, log_in: LogIn) -> None:
    log_in(EVALUATOR)
    page = client.get("/risks/new")
    assert 'id="risk-form"' not in page.text
    assert "不能登记风险" in page.text


def test_register_filters_by_status_and_category(client: TestClient, log_in: LogIn) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    first = register(client, token, title="苯乙烯泄漏")
    register(client, token, title="山洪隐患", category="natural_disaster")
    client.post(
        f"/risks/{first}/transition",
        data={"csrf_token": token, "to": "assessed", "reason": "研判"},
    )
    everything = client.get("/risks").text
    assert "苯乙烯泄漏" in everything and "山洪隐患" in everything
    assessed = client.get("/risks", params={"status": "assessed"}).text
    assert "苯乙烯泄漏" in assessed and "山洪隐患" not in assessed
    natural = client.get("/risks", params={"category": "natural_disaster"}).text
    assert "山洪隐患" in natural and "苯乙烯泄漏" not in natural
    assert client.get("/risks", params={"status": "nonsense"}).status_code == 400


def test_times_are_shown_in_shanghai_time(app: FastAPI, client: TestClient, log_in: LogIn) -> None:
    risk_id = register(client, log_in(HUANGSHAN_OFFICER))
    risk = risks.get_risk(UnitOfWork(app.state.engine), system_actor(), risk_id)
    shanghai = (risk.created_at + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")
    assert shanghai in client.get(f"/risks/{risk_id}").text


def test_unknown_risk_gets_an_html_404(client: TestClient, log_in: LogIn) -> None:
    log_in(HUANGSHAN_OFFICER)
    for path in ("/risks/999", "/risks/abc"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")
        assert "未找到" in response.text


def test_english_pages_translate_the_domain_names(client: TestClient, log_in: LogIn) -> None:
    risk_id = register(client, log_in(HUANGSHAN_OFFICER))
    client.get("/language/en")
    page = client.get(f"/risks/{risk_id}").text
    assert "Accident disaster" in page and "Identified" in page and "II Serious" in page
    assert "事故灾难" not in page


@pytest.mark.parametrize("number", [str(2**31), str(2**64), "9" * 5000])
def test_a_risk_page_for_an_id_no_row_can_have_is_not_found(
    client: TestClient, log_in: LogIn, number: str
) -> None:
    log_in(HUANGSHAN_OFFICER)
    response = client.get(f"/risks/{number}")
    assert response.status_code == 404
