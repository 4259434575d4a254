"""The contingency plan pages in both languages: the list, a plan's task table with its
sources, import with problems by line, activation for a risk, and the risk page's line."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from crossrisk.domain.risk import RiskCategory
from crossrisk.services import risks
from crossrisk.store.models import ContingencyPlanRow, JournalEntryRow
from crossrisk.store.uow import UnitOfWork
from tests.support import HUANGSHAN_TUNXI, actor, draft
from tests.web.officers import COMMITTEE_OFFICER, EVALUATOR, HANGZHOU_OFFICER
from tests.web.page_parts import refusal, section

LogIn = Callable[[str], str]
EXAMPLE = Path(__file__).parents[3] / "crossrisk" / "data" / "plans" / "examples"
XINAN_FLOOD = (EXAMPLE / "xinan_flood.yaml").read_text("utf-8")


def written(app: FastAPI) -> tuple[int, int]:
    with app.state.engine.connect() as connection:
        return (
            int(connection.scalar(select(func.count()).select_from(ContingencyPlanRow))),
            int(connection.scalar(select(func.count()).select_from(JournalEntryRow))),
        )


def register_flood(app: FastAPI) -> int:
    uow = UnitOfWork(app.state.engine)
    risk = risks.register_risk(
        uow,
        actor(uow, "ema-341000"),
        draft(
            where=HUANGSHAN_TUNXI,
            category=RiskCategory.NATURAL_DISASTER,
            hazard_type="flood_wave",
            title="新安江洪水",
        ),
        region_code="yrd",
        now=datetime.now(UTC),
    )
    assert risk.id is not None
    return risk.id


def test_the_default_plan_shows_its_tasks_and_sources_in_both_languages(
    client: TestClient, log_in: LogIn
) -> None:
    log_in(HANGZHOU_OFFICER)
    listed = client.get("/committee/plans")
    assert listed.status_code == 200
    assert "平台默认预案" in section(listed.text, "plan-list")
    assert 'id="plan-import"' not in listed.text  # a city does not import
    zh = client.get("/committee/plans/0")
    client.get("/language/en?next=/committee/plans/0")
    en = client.get("/committee/plans/0")
    assert zh.status_code == en.status_code == 200
    tasks = section(zh.text, "plan-tasks")
    assert "发生地（牵头）" in tasks and "30m" in tasks and "牵头方报告" in tasks
    assert "平台默认值，非国家规定" in section(zh.text, "plan-sources")
    assert "30 minutes" in section(en.text, "plan-sources")
    assert "Platform default, not a national norm" in section(en.text, "plan-sources")
    exported = client.get("/committee/plans/0/export")
    assert exported.text.startswith("# The bundled default contingency plan")


def test_a_plan_file_with_problems_is_shown_back_by_line_and_nothing_saved(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    token = log_in(COMMITTEE_OFFICER)
    before = written(app)
    bad = XINAN_FLOOD.replace("role: central_office", "role: mayor")
    line = bad.splitlines().index("  - role: mayor") + 1
    response = client.post(
        "/committee/plans", data={"csrf_token": token, "region": "yrd", "document": bad}
    )
    assert response.status_code == 422
    assert "预案文件有问题" in refusal(response.text)
    assert f"第 {line} 行：未知角色 mayor" in section(response.text, "plan-problems")
    assert "role: mayor" in section(response.text, "plan-document")  # the text is kept
    assert written(app) == before


def test_the_committee_imports_activates_and_the_risk_page_names_the_plan(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    risk_id = register_flood(app)  # drawn by the default: the plan comes after
    token = log_in(COMMITTEE_OFFICER)
    imported = client.post(
        "/committee/plans",
        data={"csrf_token": token, "region": "yrd", "document": XINAN_FLOOD, "note": "示例"},
        follow_redirects=False,
    )
    assert imported.status_code == 303
    plan_page = client.get(imported.headers["location"])
    assert "发布新安江水库泄洪预警" in section(plan_page.text, "plan-tasks")
    assert "洪水演进" in section(plan_page.text, "plan-conditions")
    plan_id = imported.headers["location"].rsplit("/", 1)[1]
    activated = client.post(
        f"/committee/plans/{plan_id}/activation",
        data={"csrf_token": token, "risk": str(risk_id), "reason": "会商决定启动"},
        follow_redirects=False,
    )
    assert activated.status_code == 303
    risk_page = client.get(f"/risks/{risk_id}")
    line = section(risk_page.text, "drawing-plan")
    assert "新安江流域洪水区域联动预案（示例）" in line and "第 1 版" in line
    assert "会商决定启动" in line
    assert "发布新安江水库泄洪预警" in section(risk_page.text, "responsibility")


def test_a_reader_may_not_activate_and_is_told_in_its_language(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    risk_id = register_flood(app)
    token = log_in(EVALUATOR)
    before = written(app)
    client.get("/language/en?next=/committee/plans/0")
    response = client.post(
        "/committee/plans/0/activation",
        data={"csrf_token": token, "risk": str(risk_id), "reason": "x"},
    )
    assert response.status_code == 403
    assert "coordination body" in refusal(response.text)
    assert written(app) == before
