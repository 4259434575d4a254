"""The trust pages: the region's members with their scores (never bare), a member's
evidence linking the journal with its history chart, the committee's dispute; in both
languages; refusals write nothing."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from crossrisk.store.models import JournalEntryRow, TrustRatingRow, TrustSupervisionRow
from crossrisk.store.uow import UnitOfWork
from tests.services.test_trust import received_tents
from tests.web.committee.test_case_pages import register_old_spill
from tests.web.officers import COMMITTEE_OFFICER, HANGZHOU_OFFICER
from tests.web.page_parts import page_data, refusal, section

LogIn = Callable[[str], str]
HUANGSHAN = "ema-341000"


def counts(app: FastAPI) -> tuple[int, ...]:
    with app.state.engine.connect() as connection:
        return tuple(
            int(connection.scalar(select(func.count()).select_from(table)))
            for table in (JournalEntryRow, TrustSupervisionRow, TrustRatingRow)
        )


def test_the_committee_sees_the_evidence_and_disputes_it(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    register_old_spill(app)  # on 1 July: Huangshan never reported
    csrf = log_in(COMMITTEE_OFFICER)
    assert 'href="/trust"' in section(client.get("/committee").text, "committee-sections")

    members = client.get("/trust")
    assert members.status_code == 200 and "信用评价" in members.text
    row = re.search(rf'<tr class="trust-row" data-member="{HUANGSHAN}"[^>]*>', members.text)
    assert row and 'data-score="0.3333"' in row.group(0) and 'data-n="1"' in row.group(0)
    assert "负面证据 s" in members.text

    page = client.get(f"/trust/{HUANGSHAN}")
    assert page.status_code == 200
    assert "0.333</strong> = (0.00 + 1) / (0.00 + 1.00 + 2)" in page.text
    evidence = section(page.text, "evidence")
    (source,) = re.findall(r'data-source="(duty:\d+)" data-kind="duty_late"', evidence)
    assert "职责逾期完成或未完成" in evidence and 'class="journal-link" href="/journal?' in evidence
    assert page_data(page.text)["scores"] == [0.3333]
    assert "/static/vendor/echarts/echarts.min.js" in page.text
    assert 'class="supervision-form"' in evidence

    disputed = client.post(
        f"/trust/{HUANGSHAN}/supervision?region=yrd",
        data={"csrf_token": csrf, "target": source, "verdict": "disputed", "reason": "已电话报告"},
    )
    assert disputed.status_code == 303, disputed.text
    after = client.get(disputed.headers["location"])
    assert 'data-score="0.6667"' in after.text
    assert "有异议" in section(after.text, "evidence") and "已电话报告" in after.text


def test_a_city_may_not_dispute_and_a_wrong_rating_writes_nothing(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    register_old_spill(app)
    csrf = log_in(HANGZHOU_OFFICER)
    page = client.get(f"/trust/{HUANGSHAN}")
    assert 'class="supervision-form"' not in page.text and 'id="rating-form"' in page.text
    (source,) = re.findall(r'data-source="(duty:\d+)"', page.text)
    before = counts(app)

    refused = client.post(
        f"/trust/{HUANGSHAN}/supervision",
        data={"csrf_token": csrf, "target": source, "verdict": "disputed", "reason": "x"},
    )
    assert refused.status_code == 403
    assert "综合性协调机构的工作人员可以确认或异议" in refusal(refused.text)
    unknown = client.post(
        f"/trust/{HUANGSHAN}/ratings",
        data={"csrf_token": csrf, "shipment": "99", "score": "5", "comment": "好"},
    )
    assert unknown.status_code == 404 and "发运 99" in refusal(unknown.text)
    assert counts(app) == before


def test_the_english_page_says_it_in_english(client: TestClient, log_in: LogIn) -> None:
    log_in(HANGZHOU_OFFICER)
    client.get("/language/en")
    page = client.get(f"/trust/{HUANGSHAN}")
    assert page.status_code == 200
    assert (
        "Trust score" in page.text and "No evidence yet: the score is the prior 0.5." in page.text
    )


def test_hangzhou_rates_the_tents_it_received_from_huangshan(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    shipment_id = received_tents(UnitOfWork(app.state.engine))
    csrf = log_in(HANGZHOU_OFFICER)
    form = section(client.get(f"/trust/{HUANGSHAN}").text, "rate")
    assert f'<option value="{shipment_id}">#{shipment_id} · tent × 1000.0' in form

    rated = client.post(
        f"/trust/{HUANGSHAN}/ratings?region=yrd",
        data={"csrf_token": csrf, "shipment": str(shipment_id), "score": "4", "comment": "及时"},
    )

    assert rated.status_code == 303, rated.text
    page = client.get(rated.headers["location"])
    evidence = section(page.text, "evidence")
    assert 'data-kind="peer_rating"' in evidence and "受援方评价" in evidence
    assert "杭州市应急管理局 (0.75)" in evidence
    assert "没有来自该成员、待贵单位评价的发运。" in section(page.text, "rate")
