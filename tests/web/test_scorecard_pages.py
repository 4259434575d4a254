"""The evaluation pages in both languages: the evaluator's form lists the criteria and files,
the scorecard shows the weighted score, the record and the trend, the reward list ranks."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from crossrisk.store.models import AssessmentRow, JournalEntryRow
from tests.web.officers import COMMITTEE_OFFICER, EVALUATOR, HANGZHOU_OFFICER, HUANGSHAN_OFFICER
from tests.web.page_parts import page_data, refusal, section

LogIn = Callable[[str], str]
PERIOD = "from=2026-07-01&to=2026-09-30"


def form(token: str, **changes: object) -> dict[str, object]:
    return {
        "csrf_token": token,
        "region": "yrd",
        "organisation": "ema-330100",
        "period_start": "2026-07-01",
        "period_end": "2026-09-30",
        "criterion": ["information_reporting", "joint_response", "plans_and_drills"],
        "score": ["95", "85", ""],
        "note": "三季度第三方评估",
        **changes,
    }


def written(app: FastAPI) -> tuple[int, int]:
    with app.state.engine.connect() as connection:
        return (
            int(connection.scalar(select(func.count()).select_from(AssessmentRow))),
            int(connection.scalar(select(func.count()).select_from(JournalEntryRow))),
        )


def test_the_evaluator_files_from_the_form_and_the_scorecard_shows_it(
    client: TestClient, log_in: LogIn
) -> None:
    token = log_in(EVALUATOR)
    new = client.get("/evaluation/assessments/new")
    assert new.status_code == 200
    criteria = section(new.text, "criteria")
    assert "信息报告及时准确" in criteria and "国办发〔2024〕5号" in criteria
    assert "平台默认：" in criteria and "提交第三方评估" in new.text

    filed = client.post("/evaluation/assessments", data=form(token))

    assert filed.status_code == 303
    assert filed.headers["location"] == f"/evaluation/scorecards/ema-330100?{PERIOD}"
    page = client.get(filed.headers["location"])
    assert page.status_code == 200
    assert section(page.text, "score").endswith(">90.6")  # (95×0.25 + 85×0.20) / 0.45
    assert "第三方评估" in section(page.text, "assessments")
    assert "三季度第三方评估" in page.text
    trend = page_data(page.text)
    assert trend["labels"] == ["2026-07", "2026-08", "2026-09"]
    assert trend["series"][0]["name"] == "评估得分" and trend["series"][0]["data"][0] == 90.6
    assert "/static/vendor/echarts/echarts.min.js" in page.text
    client.get("/language/en")
    english = client.get(filed.headers["location"])
    assert "Weighted assessment score" in english.text and "Third-party assessment" in english.text
    assert page_data(english.text)["series"][0]["name"] == "Assessment score"


def test_the_members_and_the_reward_list_show_the_scores(client: TestClient, log_in: LogIn) -> None:
    client.post("/evaluation/assessments", data=form(log_in(EVALUATOR)))
    log_in(COMMITTEE_OFFICER)

    members = client.get(f"/evaluation/scorecards?region=yrd&{PERIOD}")
    rewards = client.get(f"/evaluation/rewards?region=yrd&{PERIOD}")
    hub = client.get("/committee")

    assert members.status_code == 200
    assert 'href="/committee" aria-current="page"' in members.text
    hangzhou = section(members.text, "scorecards-table")
    assert "杭州市应急管理局" in hangzhou and "90.6" in hangzhou and "仅第三方评估" in hangzhou
    assert 'data-organisation="ema-341000"' in members.text and "未评估" in members.text
    assert rewards.status_code == 200
    assert 'data-organisation="ema-330100" data-verdict="reward"' in rewards.text
    assert "第三方评估得分靠前，且无成立案件" in rewards.text
    rule = section(rewards.text, "reward-rule")
    assert "低于 60" in rule and "不低于 85" in rule and "最多 3 个" in rule
    assert 'href="/evaluation/scorecards"' in hub.text and 'href="/evaluation/rewards"' in hub.text
    client.get("/language/en")
    english = client.get(f"/evaluation/rewards?region=yrd&{PERIOD}")
    assert "Reward and penalty list" in english.text and ">Reward<" in english.text


def test_a_city_assesses_only_itself_and_a_refusal_is_said_with_nothing_written(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    new = client.get("/evaluation/assessments/new")
    assert "提交自评" in new.text
    assert 'value="ema-341000"' in new.text and 'value="ema-330100"' not in new.text
    before = written(app)

    other = client.post("/evaluation/assessments", data=form(token))
    off_scale = client.post(
        "/evaluation/assessments",
        data=form(token, organisation="ema-341000", score=["101", "", ""]),
    )
    not_a_number = client.post(
        "/evaluation/assessments",
        data=form(token, organisation="ema-341000", score=["很好", "", ""]),
    )
    inverted = client.post(
        "/evaluation/assessments",
        data=form(token, organisation="ema-341000", period_end="2026-06-01"),
    )

    assert other.status_code == 403
    assert "只有本区域的第三方评估机构或杭州市应急管理局本身" in refusal(other.text)
    assert off_scale.status_code == 422 and "0–100" in refusal(off_scale.text)
    assert not_a_number.status_code == 422 and "评分须为数字" in refusal(not_a_number.text)
    assert inverted.status_code == 422 and "早于开始日期" in refusal(inverted.text)
    assert written(app) == before
    own = client.post("/evaluation/assessments", data=form(token, organisation="ema-341000"))
    assert own.status_code == 303


def test_a_bad_period_or_a_non_member_is_an_error_page(client: TestClient, log_in: LogIn) -> None:
    log_in(HANGZHOU_OFFICER)

    bad_date = client.get("/evaluation/scorecards/ema-330100?from=2026-13-01&to=2026-07-01")
    inverted = client.get("/evaluation/scorecards?region=yrd&from=2026-09-01&to=2026-07-01")
    committee = client.get(f"/evaluation/scorecards/yrd-committee?{PERIOD}")

    assert bad_date.status_code == 422
    assert inverted.status_code == 422
    assert committee.status_code == 422 and "只有成员城市有考核评分卡" in committee.text
