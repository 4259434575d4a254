"""The accountability case pages: detect, the list, a case with verified evidence, the review,
the party's statement and the decision; in both languages; refusals write nothing."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from crossrisk.services import risks
from crossrisk.store.models import CaseRow, JournalEntryRow
from crossrisk.store.uow import UnitOfWork
from tests.support import T0, XINAN_SPILL, actor, draft
from tests.web.officers import COMMITTEE_OFFICER, HANGZHOU_OFFICER, HUANGSHAN_OFFICER
from tests.web.page_parts import refusal, section

LogIn = Callable[[str], str]


def register_old_spill(app: FastAPI) -> int:
    """A spill registered on 1 July: by now its duties are long overdue."""
    uow = UnitOfWork(app.state.engine)
    risk = risks.register_risk(
        uow, actor(uow, "ema-341000"), draft(**XINAN_SPILL), region_code="yrd", now=T0
    )
    assert risk.id is not None
    return risk.id


def counts(app: FastAPI) -> tuple[int, int]:
    with app.state.engine.connect() as connection:
        return (
            int(connection.scalar(select(func.count()).select_from(JournalEntryRow))),
            int(connection.scalar(select(func.count()).select_from(CaseRow))),
        )


def huangshan_case(html: str) -> str:
    rows = re.findall(
        r'<li class="case-row" data-case="(\d+)" data-kind="([a-z_]+)"(.*?)</li>', html, re.S
    )
    (found,) = [
        n for n, kind, body in rows if kind == "duty_not_done" and "黄山市应急管理局" in body
    ]
    return str(found)


def test_the_committee_detects_and_huangshan_answers_its_case(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    risk_id = register_old_spill(app)
    csrf = log_in(COMMITTEE_OFFICER)
    assert 'href="/committee/cases"' in section(client.get("/committee").text, "committee-sections")

    detected = client.post("/committee/cases/detect", data={"csrf_token": csrf, "risk_id": risk_id})
    assert detected.status_code == 303, detected.text
    listed = client.get(detected.headers["location"])
    assert "责任追究案件" in listed.text and "职责未履行" in listed.text
    case_id = huangshan_case(section(listed.text, "cases"))
    risk_page = client.get(f"/risks/{risk_id}")
    assert f'href="/committee/cases/{case_id}"' in section(risk_page.text, "risk-cases")

    page = client.get(f"/committee/cases/{case_id}")
    assert page.status_code == 200
    assert "黄山市应急管理局" in section(page.text, "case-party")
    assert "先期处置并报告" in section(page.text, "case-duty")
    evidence = section(page.text, "evidence")
    assert 'data-verified="yes"' in evidence and 'data-verified="no"' not in evidence
    assert "/journal?subject=duty%3A" in evidence and "已验证" in evidence
    assert "平台默认程序" in section(page.text, "procedure")
    assert "无过错、通报批评、" in section(page.text, "procedure-outcomes")
    details = section(page.text, "case-details")
    # Named and shown for officers: the deadline in China Standard Time, not ISO text.
    assert "<dt>时限</dt>" in details and "职责类型" in details
    assert re.search(r"<dd>\d{4}-\d\d-\d\d \d\d:\d\d</dd>", details)
    assert "+00:00" not in details
    assert 'id="review-form"' in page.text and 'id="statement-form"' not in page.text

    reviewed = client.post(
        f"/committee/cases/{case_id}/review", data={"csrf_token": csrf, "text": "未按时报告"}
    )
    assert reviewed.status_code == 303

    huangshan_csrf = log_in(HUANGSHAN_OFFICER)
    assert 'href="/committee/cases"' in section(client.get("/duties").text, "cases-link")
    own = client.get(f"/committee/cases/{case_id}")
    assert 'id="statement-form"' in own.text and 'id="decision-form"' not in own.text
    stated = client.post(
        f"/committee/cases/{case_id}/statement",
        data={"csrf_token": huangshan_csrf, "text": "通信中断"},
    )
    assert stated.status_code == 303
    shown = client.get(f"/committee/cases/{case_id}")
    assert "通信中断" in section(shown.text, "case-statement")
    assert "已陈述申辩" in section(shown.text, "case-state")

    client.get(f"/language/en?next=/committee/cases/{case_id}")
    english = client.get(f"/committee/cases/{case_id}")
    assert "Duty never done" in section(english.text, "case-kind")
    assert "Statement filed" in section(english.text, "case-state")
    assert "Evidence from the journal" in english.text and "verified" in english.text
    assert "Accountability cases" in client.get("/committee/cases").text

    # The platform's default procedure provides no penalty, so the decision asks for none.
    log_in(COMMITTEE_OFFICER)
    decision = section(client.get(f"/committee/cases/{case_id}").text, "decision-form")
    assert 'name="outcome"' in decision and 'name="penalty"' not in decision


def test_a_refused_step_shows_its_sentence_and_writes_nothing(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    risk_id = register_old_spill(app)
    csrf = log_in(COMMITTEE_OFFICER)
    client.post("/committee/cases/detect", data={"csrf_token": csrf, "risk_id": risk_id})
    case_id = huangshan_case(section(client.get("/committee/cases").text, "cases"))
    before = counts(app)

    bad = client.post(
        f"/committee/cases/{case_id}/review", data={"csrf_token": csrf, "text": "审\x00查"}
    )
    assert bad.status_code == 422 and refusal(bad.text)
    others = client.post(
        f"/committee/cases/{case_id}/statement", data={"csrf_token": csrf, "text": "陈述"}
    )
    assert others.status_code == 403 and "陈述申辩" in refusal(others.text)
    early = client.post(
        f"/committee/cases/{case_id}/decision",
        data={"csrf_token": csrf, "outcome": "no_fault", "reason": "无"},
    )
    assert early.status_code == 409
    assert "审查、当事方陈述申辩、决定" in refusal(early.text)
    assert counts(app) == before

    log_in(HANGZHOU_OFFICER)
    hidden = client.get(f"/committee/cases/{case_id}")
    assert hidden.status_code == 404 and "责任追究案件" in refusal(hidden.text)
    assert f'data-case="{case_id}"' not in client.get("/committee/cases").text
    assert counts(app) == before
