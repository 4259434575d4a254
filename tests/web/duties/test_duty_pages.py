"""My duties: the organisation's duties, the lead's report, waiving, and the risk's list."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from crossrisk.domain.duty import DutyStatus
from crossrisk.domain.organisation import system_actor
from crossrisk.domain.responsibility import DutyKind, PartyRole
from crossrisk.services import duties, risks
from crossrisk.store.models import JournalEntryRow
from crossrisk.store.uow import UnitOfWork
from tests.support import XINAN_SPILL, actor, draft
from tests.web.officers import COMMITTEE_OFFICER, HANGZHOU_OFFICER, HUANGSHAN_OFFICER
from tests.web.page_parts import page_data, refusal, section

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


def duty_of(app: FastAPI, risk_id: int, kind: DutyKind, organisation: str) -> duties.DutyRecord:
    uow = UnitOfWork(app.state.engine)
    (found,) = [
        d
        for d in duties.duties_of_risk(uow, system_actor(), risk_id)
        if d.kind is kind and d.organisation_code == organisation
    ]
    return found


def journal_size(app: FastAPI) -> int:
    with app.state.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(JournalEntryRow)))


def test_a_city_finds_its_duty_in_the_navigation_with_its_one_deadline(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    risk_id = register_spill(app)
    log_in(HANGZHOU_OFFICER)

    page = client.get("/duties")

    assert page.status_code == 200
    assert 'href="/duties" aria-current="page"' in page.text
    table = section(page.text, "duties-table")
    assert f'href="/risks/{risk_id}"' in table
    assert 'data-kind="prepare_and_acknowledge"' in table
    assert 'data-kind="handle_and_report"' not in table  # Huangshan's, not Hangzhou's
    assert "做好防范并确认" in table or "Prepare and acknowledge" in table
    assert page_data(page.text)["organisation"] == "ema-330100"


def test_the_lead_files_its_report_from_the_page_and_the_duty_is_done(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    risk_id = register_spill(app)
    csrf = log_in(HUANGSHAN_OFFICER)
    page = client.get("/duties")
    assert 'class="duty-form report-form"' in page.text

    filed = client.post(
        "/duties/report", data={"csrf_token": csrf, "risk_id": str(risk_id), "text": "已布设围油栏"}
    )

    assert filed.status_code == 303
    duty = duty_of(app, risk_id, DutyKind.HANDLE_AND_REPORT, "ema-341000")
    assert duty.status is DutyStatus.DONE and duty.done_via == "risk.reported"
    after = client.get("/duties")
    assert 'data-status="done' in section(after.text, "duties-table")


def test_a_city_may_not_waive_and_is_told_so_in_its_language(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    risk_id = register_spill(app)
    duty = duty_of(app, risk_id, DutyKind.PREPARE_AND_ACKNOWLEDGE, "ema-330100")
    csrf = log_in(HANGZHOU_OFFICER)
    before = journal_size(app)

    refused = client.post(f"/duties/{duty.id}/waive", data={"csrf_token": csrf, "reason": "不需要"})

    assert refused.status_code == 400
    assert "只有" in refusal(refused.text) and "duty" not in refusal(refused.text)
    assert journal_size(app) == before
    assert duty_of(app, risk_id, duty.kind, "ema-330100").status is DutyStatus.OPEN


def test_the_committee_waives_a_duty_with_a_reason(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    risk_id = register_spill(app)
    duty = duty_of(app, risk_id, DutyKind.PREPARE_AND_ACKNOWLEDGE, "ema-330100")
    csrf = log_in(COMMITTEE_OFFICER)
    assert f'action="/duties/{duty.id}/waive"' in client.get("/duties").text

    waived = client.post(
        f"/duties/{duty.id}/waive", data={"csrf_token": csrf, "reason": "省级统一部署"}
    )

    assert waived.status_code == 303
    found = duty_of(app, risk_id, duty.kind, "ema-330100")
    assert found.status is DutyStatus.WAIVED and found.reason == "省级统一部署"


def test_the_risk_page_lists_each_duty_with_its_status_and_stored_deadline(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    risk_id = register_spill(app)
    duty = duty_of(app, risk_id, DutyKind.PREPARE_AND_ACKNOWLEDGE, "ema-330100")
    log_in(HANGZHOU_OFFICER)

    table = section(client.get(f"/risks/{risk_id}").text, "responsibility-list")

    assert 'class="duty-state" data-status="' in table
    assert duty.deadline.isoformat() in table


def test_a_standing_action_item_is_listed_by_its_title_and_marked_done(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    uow = UnitOfWork(app.state.engine)
    now = datetime.now(UTC)
    with uow as tx:
        added = duties.assign(
            tx,
            system_actor(),
            duties.DutyRecord(
                id=None,
                risk_id=None,
                region_code="yrd",
                kind=DutyKind.ACTION,
                role=PartyRole.ASSIST,
                organisation_code="ema-330100",
                jurisdiction_code="330100",
                deadline=now + timedelta(days=2),
                status=DutyStatus.OPEN,
                assigned_at=now,
                task="meeting-9-decision-1",
                title="核查取水口",
                title_en="Check the intakes",
                source="meeting:9",
            ),
            now=now,
        )
        tx.commit()
    token = log_in(HANGZHOU_OFFICER)

    table = section(client.get("/duties").text, "duties-table")

    assert 'data-kind="action"' in table and "核查取水口" in table
    assert f'action="/duties/{added.id}/acknowledge"' in table and "标记完成" in table
    assert 'href="/risks/' not in table
    client.post(f"/duties/{added.id}/acknowledge", data={"csrf_token": token})
    with uow.read_only() as tx:
        assert tx.duties.get(added.id or 0).status is DutyStatus.DONE
