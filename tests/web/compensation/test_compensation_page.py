"""A risk's compensation page: members record costs through the form, two statements are
drawn up side by side with their transfers, the committee approves one; refusals are
said in the page's language and write nothing."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient

from crossrisk.domain.organisation import system_actor
from crossrisk.domain.risk import RiskStatus
from crossrisk.http.deps import utc_now
from crossrisk.services import costs, risks
from crossrisk.store.uow import UnitOfWork
from tests.web.officers import COMMITTEE_OFFICER, HANGZHOU_OFFICER, HUANGSHAN_OFFICER
from tests.web.page_parts import refusal
from tests.web.risk_forms import register

LogIn = Callable[[str], str]
HS, HZ = "341000", "330100"


def add_cost(
    client: TestClient, token: str, risk_id: int, party: str, yuan: str, *protects: str
) -> int:
    response = client.post(
        f"/risks/{risk_id}/compensation/costs",
        data={
            "csrf_token": token,
            "party": party,
            "amount_yuan": yuan,
            "category": "personnel",
            "spent_on": "2026-03-02",
            "kind": "own_response",
            "protects": list(protects),
            "evidence": "加班记录表",
        },
    )
    return response.status_code


def close(app: FastAPI, risk_id: int) -> None:
    uow = UnitOfWork(app.state.engine)
    for status in (
        RiskStatus.ASSESSED,
        RiskStatus.TREATING,
        RiskStatus.MONITORING,
        RiskStatus.CLOSED,
    ):
        risks.transition_risk(
            uow, system_actor(), risk_id, to=status, reason="处置完毕", now=utc_now()
        )


def test_costs_two_statements_side_by_side_and_the_committee_approves_one(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    risk_id = register(client, token)
    assert f'href="/risks/{risk_id}/compensation"' in client.get(f"/risks/{risk_id}").text
    assert add_cost(client, token, risk_id, HS, "300000", HS, HZ) == 303
    assert add_cost(client, token, risk_id, HS, "100000") == 303
    token = log_in(HANGZHOU_OFFICER)
    assert add_cost(client, token, risk_id, HZ, "200000") == 303
    page = client.get(f"/risks/{risk_id}/compensation")
    assert page.status_code == 200
    assert "300,000.00" in page.text and "费用台账" in page.text
    close(app, risk_id)

    token = log_in(COMMITTEE_OFFICER)
    for rule in ("shapley", "proportional_to_cost"):
        made = client.post(
            f"/risks/{risk_id}/compensation/settlements", data={"csrf_token": token, "rule": rule}
        )
        assert made.status_code == 303, refusal(made.text)
    page = client.get(f"/risks/{risk_id}/compensation").text
    statements = re.findall(r'<article class="statement[^"]*" id="statement-(\d+)"', page)
    assert len(statements) == 2
    assert "150,000.00" in page and "133,333.33" in page  # Hangzhou pays Huangshan
    assert "Shapley 值" in page and "按单独应对成本比例分担" in page
    assert 'id="settlement-chart"' in page and "/static/vendor/echarts/echarts.min.js" in page

    approved = client.post(
        f"/risks/{risk_id}/compensation/settlements/{statements[0]}/approve",
        data={"csrf_token": token},
    )
    assert approved.status_code == 303
    page = client.get(f"/risks/{risk_id}/compensation").text
    assert f'class="statement approved" id="statement-{statements[0]}"' in page
    assert "批准此结算方案" not in page  # one statement per risk

    client.get("/language/en")
    english = client.get(f"/risks/{risk_id}/compensation").text
    assert "Cost ledger" in english and "Who pays whom" in english


def test_a_negative_cost_is_refused_in_chinese_and_nothing_is_written(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    risk_id = register(client, token)

    status = add_cost(client, token, risk_id, HS, "-5")

    assert status == 422
    page = client.post(
        f"/risks/{risk_id}/compensation/costs",
        data={
            "csrf_token": token,
            "party": HS,
            "amount_yuan": "-5",
            "category": "travel",
            "spent_on": "2026-03-02",
            "evidence": "票据",
        },
    )
    assert "金额 -5 不被接受" in refusal(page.text)
    ledger = costs.ledger(UnitOfWork(app.state.engine), system_actor(), risk_id)
    assert ledger.lines == []


def test_an_open_risk_is_not_settled_from_the_page(client: TestClient, log_in: LogIn) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    risk_id = register(client, token)
    assert add_cost(client, token, risk_id, HS, "1000") == 303
    token = log_in(COMMITTEE_OFFICER)

    refused = client.post(
        f"/risks/{risk_id}/compensation/settlements", data={"csrf_token": token, "rule": "shapley"}
    )

    assert refused.status_code == 409
    assert f"风险 {risk_id} 尚未关闭" in refusal(refused.text)


def test_estimates_entered_on_the_page_settle_by_beneficiary_pays_and_a_line_is_withdrawn(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    risk_id = register(client, token)
    assert add_cost(client, token, risk_id, HS, "400000") == 303
    assert add_cost(client, token, risk_id, HS, "999") == 303
    lines = costs.ledger(UnitOfWork(app.state.engine), system_actor(), risk_id).lines
    withdrawn = client.post(
        f"/risks/{risk_id}/compensation/costs/{lines[1].id}/withdraw",
        data={"csrf_token": token, "reason": "重复登记"},
    )
    assert withdrawn.status_code == 303
    token = log_in(HANGZHOU_OFFICER)
    assert add_cost(client, token, risk_id, HZ, "200000") == 303
    token = log_in(COMMITTEE_OFFICER)
    for party, yuan in ((HS, "8000000"), (HZ, "2000000")):
        entered = client.post(
            f"/risks/{risk_id}/compensation/loss-avoided",
            data={"csrf_token": token, "party": party, "amount_yuan": yuan, "basis": "评估报告"},
        )
        assert entered.status_code == 303, refusal(entered.text)
    close(app, risk_id)

    made = client.post(
        f"/risks/{risk_id}/compensation/settlements",
        data={"csrf_token": token, "rule": "beneficiary_pays"},
    )

    assert made.status_code == 303, refusal(made.text)
    page = client.get(f"/risks/{risk_id}/compensation").text
    # 600,000 split 8:2: Huangshan is due 480,000, bore 400,000: it pays Hangzhou 80,000.
    assert "80,000.00" in page and "8,000,000.00" in page
    assert 'class="withdrawn"' in page


def test_the_committee_records_a_provinces_contribution_and_the_fund_shows_it(
    client: TestClient, log_in: LogIn
) -> None:
    risk_id = register(client, log_in(HUANGSHAN_OFFICER))
    token = log_in(COMMITTEE_OFFICER)
    assert "安徽省应急管理厅" in client.get(f"/risks/{risk_id}/compensation").text

    made = client.post(
        f"/risks/{risk_id}/compensation/fund/contributions",
        data={
            "csrf_token": token,
            "contributor": "ema-340000",
            "amount_yuan": "100000000",
            "conditions": "仅用于新安江流域\n2026 年底前使用",
        },
    )

    assert made.status_code == 303, refusal(made.text)
    page = client.get(f"/risks/{risk_id}/compensation").text
    assert "已收 100,000,000.00 元，已支出 0.00 元，余额 100,000,000.00 元。" in page
    token = log_in(HANGZHOU_OFFICER)
    assert 'id="contribution-form"' not in client.get(f"/risks/{risk_id}/compensation").text
