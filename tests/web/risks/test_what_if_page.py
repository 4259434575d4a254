"""The what-if page: a hazard's reach, situation and draft list, with nothing stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from crossrisk.domain.organisation import system_actor
from crossrisk.services import journal
from crossrisk.store.uow import UnitOfWork
from tests.web.officers import EVALUATOR, HUANGSHAN_OFFICER
from tests.web.page_parts import page_data, refusal, section
from tests.web.risk_forms import GAS_RELEASE, risk_form

LogIn = Callable[[str], str]


def what_if_form(token: str, **changes: Any) -> dict[str, Any]:
    """A what-if of the chlorine release at Tunxi: the registration form without a title."""
    fields = risk_form(token, **{**GAS_RELEASE, **changes})
    del fields["title"], fields["description"]
    return fields


def stored(app: FastAPI) -> tuple[int, int, int]:
    """Risks, analyses and journal entries in the database."""
    with app.state.engine.connect() as connection:
        risks = connection.execute(text("select count(*) from risks")).scalar_one()
        analyses = connection.execute(text("select count(*) from risk_analyses")).scalar_one()
    entries = journal.verify_journal(UnitOfWork(app.state.engine), system_actor()).entries
    return int(risks), int(analyses), entries


def test_what_if_page_is_in_the_header_and_says_it_stores_nothing(
    client: TestClient, log_in: LogIn
) -> None:
    log_in(HUANGSHAN_OFFICER)
    page = client.get("/what-if")
    assert page.status_code == 200
    assert 'href="/what-if" aria-current="page">情景推演' in page.text
    assert "本页不保存任何内容" in section(page.text, "stores-nothing")
    assert 'id="what-if-form"' in page.text and 'id="what-if-result"' not in page.text
    assert 'name="param-wind_speed_m_s"' in page.text


def test_what_if_shows_reach_situation_and_draft_list_and_writes_nothing(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    before = stored(app)
    response = client.post("/what-if", data=what_if_form(token))
    assert response.status_code == 200, response.text
    page = response.text
    assert "溢出" in section(page, "situation")
    assert "杭州市" in section(page, "reach-table")
    draft = section(page, "responsibility")
    assert "责任清单草案" in draft and "先期处置并报告" in draft and "做好防范并确认" in draft
    reach = page_data(page)["reach"]
    assert reach["pathway"] == "plume" and "330100" in reach["reached"]
    assert 'value="270"' in page  # the form keeps what was typed, to compute again
    assert stored(app) == before


def test_what_if_of_another_citys_hazard_is_allowed_and_writes_nothing(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    # Registering a hazard in Hangzhou is Hangzhou's; asking "what if" is anyone's.
    token = log_in(EVALUATOR)
    before = stored(app)
    response = client.post(
        "/what-if", data=what_if_form(token, longitude="120.16", latitude="30.27")
    )
    assert response.status_code == 200
    assert "杭州市" in section(response.text, "lead-jurisdiction")
    assert stored(app) == before


def test_what_if_with_a_bad_parameter_names_it_and_writes_nothing(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    before = stored(app)
    response = client.post("/what-if", data=what_if_form(token, **{"param-wind_speed_m_s": "-1"}))
    assert response.status_code == 422
    assert "风速不得小于 0.1 米/秒" in response.text
    assert 'id="what-if-result"' not in response.text
    assert stored(app) == before


def test_what_if_without_csrf_token_is_refused(client: TestClient, log_in: LogIn) -> None:
    log_in(HUANGSHAN_OFFICER)
    response = client.post("/what-if", data=what_if_form(""))
    assert response.status_code == 403
    assert "表单安全令牌缺失或已过期" in refusal(response.text)
    assert 'id="what-if-result"' not in response.text
