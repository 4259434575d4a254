"""The drill pages: the committee runs the Xin'an drill from /drills, its page shows the
banner, Hangzhou's late acknowledgement and the timeline, in Chinese and English."""

from __future__ import annotations

import io
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import func, select, update

from crossrisk.store.models import DrillRow, JournalEntryRow, RiskRow
from tests.web.officers import COMMITTEE_OFFICER, HANGZHOU_OFFICER
from tests.web.page_parts import refusal, section

LogIn = Callable[[str], str]


def counts(app: FastAPI) -> tuple[int, ...]:
    with app.state.engine.connect() as connection:
        return tuple(
            int(connection.scalar(select(func.count()).select_from(table)) or 0)
            for table in (DrillRow, RiskRow, JournalEntryRow)
        )


def test_the_committee_runs_the_xinan_drill_and_reads_its_record_in_both_languages(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    csrf = log_in(COMMITTEE_OFFICER)
    listing = client.get("/drills")
    assert listing.status_code == 200
    assert 'id="start-drill"' in listing.text
    assert '<option value="xinan_styrene">新安江屯溪段苯乙烯泄漏演练</option>' in listing.text
    assert 'id="no-drills"' in listing.text

    started = client.post("/drills", data={"csrf_token": csrf, "bundled": "xinan_styrene"})
    assert started.status_code == 303
    page_url = started.headers["location"]
    page = client.get(page_url)
    assert page.status_code == 200
    assert "演练 / DRILL" in section(page.text, "drill-banner")
    assert "新安江屯溪段苯乙烯泄漏演练" in page.text
    warnings_table = section(page.text, "drill-warnings")
    assert 'data-recipient="330100"' in warnings_table and "杭州市" in warnings_table
    timeline = section(page.text, "drill-timeline")
    for action in ("drill.started", "risk.registered", "warning.acknowledged", "drill.ended"):
        assert f'data-action="{action}"' in timeline
    assert timeline.index('data-action="drill.started"') < timeline.index("risk.registered")
    assert "结束时间" in section(page.text, "drill-overview")
    assert "黄山市应急管理局（演练）" in timeline and "drill:ema-" not in timeline
    assert "时限巡检" in timeline  # the platform's deadline watch, named
    review = section(page.text, "drill-review")
    assert 'data-metric="ack_in_time_share"' in review and "预警按时确认率" in review
    assert "杭州市应急管理局" in section(page.text, "drill-cases")

    risk_link = section(page.text, "drill-risks")
    risk_id = risk_link.split('data-risk="')[1].split('"')[0]
    risk_page = client.get(f"/risks/{risk_id}")
    assert "演练 / DRILL" in section(risk_page.text, "drill-banner")
    assert f'data-risk="{risk_id}"' not in client.get("/risks").text

    client.get("/language/en")
    english = client.get(page_url)
    assert "Styrene spill on the Xin&#39;an River at Tunxi (drill)" in english.text
    assert "Everything on this page belongs to a drill" in english.text
    assert "Warnings and acknowledgements" in english.text

    # An ended drill's page stands still; one still running (at a set speed, in another
    # process) reloads itself to follow the replay.
    assert 'http-equiv="refresh"' not in english.text
    with app.state.engine.begin() as connection:
        connection.execute(update(DrillRow).values(state="running", ended_at=None))
    assert '<meta http-equiv="refresh" content="15">' in client.get(page_url).text


def test_an_upload_with_problems_lists_each_with_its_line_and_writes_nothing(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    csrf = log_in(COMMITTEE_OFFICER)
    before = counts(app)
    bad = "code: bad\ntitle: {zh: 坏, en: Bad}\nregion: yrd\nduration: 2h\nhazards: []\n" + (
        "reports:\n  - {party: '999999', hazard: x, offset: -1h, text: a}\n"
    )
    response = client.post(
        "/drills",
        data={"csrf_token": csrf},
        files={"scenario": ("bad.yaml", bad.encode(), "text/yaml")},
    )
    assert response.status_code == 422
    assert "情景文件有" in refusal(response.text)
    problems = section(response.text, "scenario-problems")
    assert "第 7 行：999999 不是该区域的成员城市" in problems
    assert "第 7 行：offset -1h 早于演练开始" in problems
    client.get("/language/en")
    english = client.post(
        "/drills",
        data={"csrf_token": csrf},
        files={"scenario": ("bad.yaml", bad.encode(), "text/yaml")},
    )
    problems = section(english.text, "scenario-problems")
    assert "Line 7: 999999 is not a member city of the region" in problems
    assert "Line 7: offset -1h lies before the drill&#39;s start" in problems
    assert counts(app) == before


def test_a_city_sees_drills_but_may_not_start_one(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    csrf = log_in(HANGZHOU_OFFICER)
    listing = client.get("/drills")
    assert listing.status_code == 200 and 'id="start-drill"' not in listing.text
    before = counts(app)
    refused = client.post("/drills", data={"csrf_token": csrf, "bundled": "xinan_styrene"})
    assert refused.status_code == 403
    assert refusal(refused.text)
    assert counts(app) == before
    assert client.get("/drills/999").status_code == 404


def test_a_drills_review_is_a_document_and_a_pdf_with_its_metrics_ratings_and_cases(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    csrf = log_in(COMMITTEE_OFFICER)
    started = client.post("/drills", data={"csrf_token": csrf, "bundled": "xinan_styrene"})
    drill_url = started.headers["location"]
    page = client.get(drill_url)
    exports = section(page.text, "drill-review-exports")
    assert f'href="{drill_url}/review.pdf"' in exports

    document = client.get(f"{drill_url}/review/document")
    assert document.status_code == 200
    assert "演练 / DRILL" in section(document.text, "drill-banner")
    assert "新安江屯溪段苯乙烯泄漏演练</span></h1>" in document.text
    overview = section(document.text, "review-overview")
    assert "长三角" in overview and "杭州市应急管理局" in overview
    assert 'data-metric="ack_in_time_share"' in document.text
    assert "<svg" in document.text  # the charts, drawn on the server for the PDF
    assert 'id="review-ratings-' in document.text and 'id="review-actions-' in document.text
    assert "杭州市应急管理局" in section(document.text, "review-cases")
    english = client.get(f"{drill_url}/review/document?lang=en")
    assert "Acknowledged in time" in english.text or "acknowledged in time" in english.text

    pdf = client.get(f"{drill_url}/review.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].endswith('-review.pdf"')
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "复盘评估" in text and "演练" in text and "杭州市" in text
    assert client.get("/drills/99999/review.pdf").status_code == 404


def test_an_address_that_names_no_drill_is_a_page_that_says_so(
    client: TestClient, log_in: LogIn
) -> None:
    log_in(COMMITTEE_OFFICER)
    for wrong in ("abc", "١٢", "99999999999999999999999"):
        page = client.get(f"/drills/{wrong}")
        assert page.status_code == 404, wrong
        assert "没有编号为" in page.text and "的演练" in page.text
