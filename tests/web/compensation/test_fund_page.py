"""The regional fund's page: the committee records a contribution with its conditions and
pays out what an approved statement leaves due; a delivery in kind recorded on the risk's
page lowers it; refusals are said in the page's language and write nothing."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient

from crossrisk.domain.organisation import system_actor
from crossrisk.services import fund
from crossrisk.store.uow import UnitOfWork
from tests.web.compensation.test_compensation_page import HS, HZ, add_cost, close
from tests.web.officers import COMMITTEE_OFFICER, HANGZHOU_OFFICER, HUANGSHAN_OFFICER
from tests.web.page_parts import refusal
from tests.web.risk_forms import register

LogIn = Callable[[str], str]


def approved_statement(app: FastAPI, client: TestClient, log_in: LogIn) -> tuple[int, int]:
    """Hangzhou owes Huangshan 150,000 yuan under the approved Shapley statement."""
    token = log_in(HUANGSHAN_OFFICER)
    risk_id = register(client, token)
    assert add_cost(client, token, risk_id, HS, "300000", HS, HZ) == 303
    assert add_cost(client, token, risk_id, HS, "100000") == 303
    token = log_in(HANGZHOU_OFFICER)
    assert add_cost(client, token, risk_id, HZ, "200000") == 303
    close(app, risk_id)
    token = log_in(COMMITTEE_OFFICER)
    made = client.post(
        f"/risks/{risk_id}/compensation/settlements", data={"csrf_token": token, "rule": "shapley"}
    )
    assert made.status_code == 303, refusal(made.text)
    page = client.get(f"/risks/{risk_id}/compensation").text
    (settlement_id,) = re.findall(r'id="statement-(\d+)"', page)
    approved = client.post(
        f"/risks/{risk_id}/compensation/settlements/{settlement_id}/approve",
        data={"csrf_token": token},
    )
    assert approved.status_code == 303, refusal(approved.text)
    return risk_id, int(settlement_id)


def movements(app: FastAPI) -> tuple[int, int]:
    book = fund.book(UnitOfWork(app.state.engine), system_actor(), "yrd")
    return len(book.movements), len(book.deliveries)


def test_the_committee_keeps_the_fund_on_its_page(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    risk_id, settlement_id = approved_statement(app, client, log_in)
    token = log_in(COMMITTEE_OFFICER)
    assert 'href="/committee/fund"' in client.get("/committee").text

    contributed = client.post(
        "/committee/fund/contributions",
        data={
            "csrf_token": token,
            "region": "yrd",
            "contributor": "ema-340000",
            "amount_yuan": "1000000",
            "conditions": "仅用于新安江流域\n2026 年底前使用",
        },
    )
    assert contributed.status_code == 303, refusal(contributed.text)
    delivered = client.post(
        f"/risks/{risk_id}/compensation/settlements/{settlement_id}/in-kind",
        data={
            "csrf_token": token,
            "pair": f"{HZ}:{HS}",
            "description": "应急培训名额",
            "quantity": "10",
            "unit_value_yuan": "2000",
            "delivered_on": "2026-04-01",
            "evidence": "培训签到表",
        },
    )
    assert delivered.status_code == 303, refusal(delivered.text)
    risk_page = client.get(f"/risks/{risk_id}/compensation").text
    assert "应急培训名额" in risk_page and "130,000.00" in risk_page
    assert f'<option value="{HZ}:{HS}">杭州市 → 黄山市</option>' in risk_page

    page = client.get("/committee/fund?region=yrd").text
    # 150,000 due, 20,000 of it delivered in kind: the fund may pay Huangshan 130,000.
    assert f'<option value="{settlement_id}:{HS}">' in page and "130,000.00" in page
    paid = client.post(
        "/committee/fund/payouts",
        data={
            "csrf_token": token,
            "region": "yrd",
            "due": f"{settlement_id}:{HS}",
            "amount_yuan": "100000",
            "note": "代杭州市先行支付",
        },
    )
    assert paid.status_code == 303, refusal(paid.text)

    page = client.get("/committee/fund?region=yrd").text
    assert "已收 1,000,000.00 元，已支出 100,000.00 元，余额 900,000.00 元。" in page
    assert "<li>仅用于新安江流域</li><li>2026 年底前使用</li>" in page
    assert f'href="/risks/{risk_id}/compensation#statement-{settlement_id}"' in page
    assert "代杭州市先行支付" in page and "30,000.00" in page  # still due
    assert "培训签到表" in page
    data = json.loads(re.search(r'id="page-data">(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    assert data["balances"] == [1_000_000.0, 900_000.0]
    client.get("/language/en")
    english = client.get("/committee/fund?region=yrd").text
    assert "Received 1,000,000.00 yuan, paid out 100,000.00 yuan" in english
    assert "Deliveries in kind" in english and "Due on approved statements" in english


def test_a_payout_beyond_the_statement_is_refused_in_the_pages_language(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    _, settlement_id = approved_statement(app, client, log_in)
    token = log_in(COMMITTEE_OFFICER)
    before = movements(app)

    refused = client.post(
        "/committee/fund/payouts",
        data={
            "csrf_token": token,
            "region": "yrd",
            "due": f"{settlement_id}:{HS}",
            "amount_yuan": "150000.01",
            "note": "超额",
        },
    )

    assert refused.status_code == 422
    assert f"结算单 {settlement_id}" in refusal(refused.text)
    assert "150,000.00" in refusal(refused.text)
    assert movements(app) == before
    token = log_in(HANGZHOU_OFFICER)
    page = client.get("/committee/fund?region=yrd").text
    assert 'id="payout-form"' not in page and 'id="contribution-form"' not in page


def test_a_delivery_beyond_what_is_owed_is_refused_in_the_pages_language(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    risk_id, settlement_id = approved_statement(app, client, log_in)
    token = log_in(COMMITTEE_OFFICER)
    before = movements(app)

    refused = client.post(
        f"/risks/{risk_id}/compensation/settlements/{settlement_id}/in-kind",
        data={
            "csrf_token": token,
            "pair": f"{HZ}:{HS}",
            "description": "应急监测设备",
            "quantity": "4",
            "unit_value_yuan": "40000",
            "delivered_on": "2026-04-01",
            "evidence": "交接单",
        },
    )

    assert refused.status_code == 422
    assert f"实物交付将超过结算单 {settlement_id} 所欠的 150,000.00 元" in refusal(refused.text)
    assert movements(app) == before


def test_the_committee_pays_an_upheld_cases_penalty_from_the_fund_page(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    from crossrisk.domain.agreements.agreement import Obligation, ObligationKind
    from tests.agreements_support import HUANGSHAN
    from tests.services.test_fund import upheld_case

    report = Obligation(HUANGSHAN, ObligationKind.REPORT_WITHIN, minutes=30)
    case_id = upheld_case(
        UnitOfWork(app.state.engine), penalty_yuan=50_000.0, obligations=(report,)
    )
    token = log_in(COMMITTEE_OFFICER)
    page = client.get("/committee/fund?region=yrd").text
    assert f'<a href="/committee/cases/{case_id}">案件 {case_id}</a>' in page
    assert "按协议缴纳违约金" in page and "50,000.00" in page
    before = movements(app)

    refused = client.post(
        "/committee/fund/penalties",
        data={"csrf_token": token, "region": "yrd", "case": str(case_id), "amount_yuan": "1"},
    )
    assert refused.status_code == 422
    assert "协议约定的违约金为 50,000.00 元" in refusal(refused.text)
    assert movements(app) == before

    charged = client.post(
        "/committee/fund/penalties",
        data={"csrf_token": token, "region": "yrd", "case": str(case_id)},
    )
    assert charged.status_code == 303, refusal(charged.text)
    page = client.get("/committee/fund?region=yrd").text
    assert "余额 50,000.00 元" in page
    assert 'id="penalty-form"' not in page  # nothing left to charge
    assert f'<td><a href="/committee/cases/{case_id}">案件 {case_id}</a></td>' in page
