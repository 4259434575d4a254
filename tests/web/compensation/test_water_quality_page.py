"""A border section's water-quality statement on its page: the indicator table (mean,
baseline, weight, ratio), P and who pays whom, in Chinese and English; the committee
approves it there, and a refusal is said in the page's language."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient

from crossrisk.domain.compensation.ledger import SettlementState, Statement
from crossrisk.services import settlements, water_quality
from crossrisk.store.uow import UnitOfWork
from tests.agreements_support import HANGZHOU, HUANGSHAN
from tests.support import actor
from tests.water_quality_support import NOW, SECTION, add_section, feed, water_agreement
from tests.web.officers import COMMITTEE_OFFICER, HUANGSHAN_OFFICER
from tests.web.page_parts import refusal

LogIn = Callable[[str], str]
# Means 1.6, 0.09, 0.016, 1.0 mg/L against baselines 2, 0.1, 0.02, 1: P = 0.74375.
CLEAN = {"codmn": [1.5, 1.7], "nh3_n": [0.09], "tp": [0.016], "tn": [1.0]}


def proposed(app: FastAPI) -> Statement:
    uow = UnitOfWork(app.state.engine)
    add_section(uow)
    agreement = water_agreement(uow)
    feed(uow, CLEAN)
    return water_quality.settle_section(
        uow,
        actor(uow, "yrd-committee"),
        agreement.id or 0,
        station=SECTION,
        round="first",
        year=2025,
        upstream=HUANGSHAN,
        downstream=HANGZHOU,
        now=NOW,
    )


def cells(html: str, indicator: str) -> list[str]:
    row = re.search(rf'<tr data-indicator="{indicator}">(.*?)</tr>', html, re.S)
    assert row is not None, indicator
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row[1])]


def test_the_statement_shows_its_inputs_and_the_committee_approves_it(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    statement = proposed(app)
    log_in(HUANGSHAN_OFFICER)
    page = client.get(f"/settlements/{statement.id}")
    assert page.status_code == 200
    html = page.text
    assert "水质补偿结算单" in html
    # Indicator, station, readings, mean, baseline, weight, ratio, term.
    assert cells(html, "codmn") == [
        "高锰酸盐指数",
        "jiekou-codmn",
        "2",
        "1.6000",
        "2.0000",
        "0.2500",
        "0.8000",
        "0.2000",
    ]
    assert cells(html, "nh3_n")[3:7] == ["0.0900", "0.1000", "0.2500", "0.9000"]
    assert "= 0.7438，其中 K0 = 0.85" in html
    verdict = re.search(r'<p id="verdict"><strong>(.*?)</strong>', html)
    assert verdict is not None
    assert verdict[1] == (
        "P ≤ 1：断面水质保持达标，下游方杭州市应急管理局向上游方黄山市应急管理局支付 "
        "100,000,000.00 元。"
    )
    assert "批准此结算方案" not in html  # a party's officer does not approve

    token = log_in(COMMITTEE_OFFICER)
    listed = client.get(f"/committee/agreements/{statement.agreement_id}").text
    assert f'<a href="/settlements/{statement.id}">#{statement.id}</a> · first' in listed
    html = client.get(f"/settlements/{statement.id}").text
    assert "批准此结算方案" in html
    approved = client.post(f"/settlements/{statement.id}/approve", data={"csrf_token": token})
    assert approved.status_code == 303
    uow = UnitOfWork(app.state.engine)
    assert settlements.get(uow, actor(uow, "yrd-committee"), statement.id or 0).state is (
        SettlementState.APPROVED
    )

    client.get("/language/en")
    english = client.get(f"/settlements/{statement.id}").text
    assert "Water-quality settlement" in english and "Permanganate index (CODMn)" in english
    assert "P ≤ 1: the water at the section was kept clean" in english
    assert "Approve this statement" not in english


def test_approving_a_second_statement_of_the_period_is_refused_in_chinese(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    first = proposed(app)
    uow = UnitOfWork(app.state.engine)
    second = water_quality.settle_section(
        uow,
        actor(uow, "yrd-committee"),
        first.agreement_id or 0,
        station=SECTION,
        year=2025,
        upstream=HUANGSHAN,
        downstream=HANGZHOU,
        now=NOW,
    )
    token = log_in(COMMITTEE_OFFICER)
    assert (
        client.post(f"/settlements/{first.id}/approve", data={"csrf_token": token}).status_code
        == 303
    )
    refused = client.post(f"/settlements/{second.id}/approve", data={"csrf_token": token})
    assert refused.status_code == 409
    assert f"已由结算单 {first.id} 结算" in refusal(refused.text)
