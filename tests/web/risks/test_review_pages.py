"""The after-action review page: linked from the risk page, in Chinese and English; the
evaluator rates, the committee adds a corrective action Hangzhou marks done; refusals
write nothing; the document prints as a PDF naming its metrics."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import func, select

from crossrisk.services import accountability, risks
from crossrisk.store.models import DutyRow, JournalEntryRow, ReviewRatingRow
from crossrisk.store.uow import UnitOfWork
from tests.support import XINAN_SPILL, actor, draft
from tests.web.officers import COMMITTEE_OFFICER, EVALUATOR, HANGZHOU_OFFICER
from tests.web.page_parts import refusal, section

LogIn = Callable[[str], str]


def register_spill(app: FastAPI) -> int:
    uow = UnitOfWork(app.state.engine)
    risk = risks.register_risk(
        uow,
        actor(uow, "ema-341000"),
        draft(**XINAN_SPILL),
        region_code="yrd",
        now=datetime.now(UTC),
    )
    assert risk.id is not None
    return risk.id


def counts(app: FastAPI) -> tuple[int, ...]:
    with app.state.engine.connect() as connection:
        return tuple(
            int(connection.scalar(select(func.count()).select_from(table)))
            for table in (JournalEntryRow, ReviewRatingRow, DutyRow)
        )


def test_the_review_page_in_both_languages_linked_from_the_risk(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    risk_id = register_spill(app)
    log_in(HANGZHOU_OFFICER)

    assert f'href="/risks/{risk_id}/review"' in client.get(f"/risks/{risk_id}").text
    chinese = client.get(f"/risks/{risk_id}/review")
    english = client.get(f"/risks/{risk_id}/review?lang=en")

    assert chinese.status_code == 200 and english.status_code == 200
    assert "复盘评估" in chinese.text and "报告时延" in chinese.text
    assert "风险登记至首次情况报告的分钟数" in chinese.text
    assert "After-action review" in english.text and "Report latency" in english.text
    assert "Minutes from the risk's registration" in english.text.replace("&#39;", "'")
    assert "Registered" in section(english.text, "review-timeline")
    assert "<svg" in section(chinese.text, "metrics")
    assert (
        'id="party-chart"' in chinese.text
        and "/static/vendor/echarts/echarts.min.js" in chinese.text
    )
    assert client.get("/static/js/review-charts.js").status_code == 200
    assert 'id="rating-form"' not in chinese.text and 'id="action-form"' not in chinese.text


def test_the_evaluator_rates_and_the_committee_plans_an_action_hangzhou_does(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    risk_id = register_spill(app)
    page = f"/risks/{risk_id}/review"

    csrf = log_in(EVALUATOR)
    assert 'id="rating-form"' in client.get(page).text
    rated = client.post(
        f"{page}/ratings",
        data={"csrf_token": csrf, "capability": "operational_coordination", "rating": "M"},
    )
    assert rated.status_code == 303
    assert "<strong>M</strong>" in section(client.get(page).text, "review-ratings")

    csrf = log_in(COMMITTEE_OFFICER)
    due = (datetime.now(UTC) + timedelta(days=20)).date().isoformat()
    acted = client.post(
        f"{page}/actions",
        data={
            "csrf_token": csrf,
            "capability": "operational_coordination",
            "text": "完善跨市会商机制",
            "owner": "ema-330100",
            "due": due,
        },
    )
    assert acted.status_code == 303, acted.text
    assert "完善跨市会商机制" in section(client.get(page).text, "review-actions")

    csrf = log_in(HANGZHOU_OFFICER)
    mine = client.get("/duties").text
    assert "完善跨市会商机制" in mine
    # The corrective action names the review it came from, not "standing work".
    assert f'<a href="{page}" class="duty-origin">风险 {risk_id} 的复盘评估</a>' in mine
    assert "标记完成" in section(client.get(page).text, "review-actions")
    done = client.post(f"{page}/actions/1/done", data={"csrf_token": csrf})
    assert done.status_code == 303
    actions = section(client.get(page).text, "review-actions")
    assert "已完成" in actions and "标记完成" not in actions


def test_refusals_on_the_page_write_nothing(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    risk_id = register_spill(app)
    page = f"/risks/{risk_id}/review"
    csrf = log_in(COMMITTEE_OFFICER)
    before = counts(app)

    no_owner = client.post(
        f"{page}/actions",
        data={
            "csrf_token": csrf,
            "capability": "operational_coordination",
            "text": "x",
            "due": "2027-01-01",
            "owner": "",
        },
    )
    not_evaluator = client.post(
        f"{page}/ratings",
        data={"csrf_token": csrf, "capability": "operational_coordination", "rating": "P"},
    )

    assert no_owner.status_code == 422 and "负责落实的单位" in refusal(no_owner.text)
    assert not_evaluator.status_code == 403 and "第三方评估机构" in refusal(not_evaluator.text)
    assert counts(app) == before


def test_the_review_prints_as_a_pdf_with_its_metric_names(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    risk_id = register_spill(app)
    log_in(HANGZHOU_OFFICER)

    answer = client.get(f"/risks/{risk_id}/review.pdf?lang=en")

    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.content)).pages)
    assert "After-action review" in text and "Report latency" in text
    chinese = client.get(f"/risks/{risk_id}/review.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(chinese.content)).pages)
    assert "复盘评估" in text and "报告时延" in text


def test_the_review_lists_the_cases_its_record_opened_to_whom_may_read_them(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    risk_id = register_spill(app)
    uow = UnitOfWork(app.state.engine)
    accountability.detect(
        uow,
        actor(uow, "yrd-committee"),
        risk_id=risk_id,
        now=datetime.now(UTC) + timedelta(days=1),
    )
    log_in(COMMITTEE_OFFICER)
    committee = section(client.get(f"/risks/{risk_id}/review").text, "review-cases")
    assert "杭州市应急管理局" in committee and "黄山市应急管理局" in committee
    log_in(HANGZHOU_OFFICER)
    hangzhou = section(client.get(f"/risks/{risk_id}/review").text, "review-cases")
    # A city reads its own case and not its neighbour's.
    assert "杭州市应急管理局" in hangzhou and "黄山市应急管理局" not in hangzhou
    document = client.get(f"/risks/{risk_id}/review/document?lang=en").text
    assert "Hangzhou Emergency Management Bureau" in section(document, "review-cases")
