"""The meeting pages: convene for a risk, minutes, a decision that Hangzhou marks done."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from crossrisk.domain.duty import DutyStatus
from crossrisk.domain.organisation import system_actor
from crossrisk.domain.responsibility import DutyKind
from crossrisk.locale import DISPLAY_ZONE
from crossrisk.services import duties, risks
from crossrisk.store.models import JournalEntryRow, MeetingRow
from crossrisk.store.uow import UnitOfWork
from tests.support import XINAN_SPILL, actor, draft
from tests.web.officers import COMMITTEE_OFFICER, EVALUATOR, HANGZHOU_OFFICER
from tests.web.page_parts import refusal, section

LogIn = Callable[[str], str]
HANGZHOU = "ema-330100"


def register_spill(app: FastAPI) -> int:
    uow = UnitOfWork(app.state.engine)
    risk = risks.register_risk(
        uow, actor(uow, "ema-341000"), draft(**XINAN_SPILL), region_code="yrd", now=_now()
    )
    assert risk.id is not None
    return risk.id


def _now() -> datetime:
    return datetime.now(UTC)


def local(moment: datetime) -> str:
    return moment.astimezone(DISPLAY_ZONE).strftime("%Y-%m-%dT%H:%M")


def counts(app: FastAPI) -> tuple[int, int]:
    with app.state.engine.connect() as connection:
        return (
            int(connection.scalar(select(func.count()).select_from(JournalEntryRow))),
            int(connection.scalar(select(func.count()).select_from(MeetingRow))),
        )


def convene_form(csrf: str, risk_id: int | None = None, **changes: object) -> dict[str, object]:
    start = _now() + timedelta(days=1)
    form: dict[str, object] = {
        "csrf_token": csrf,
        "region": "yrd",
        "risk_id": str(risk_id or ""),
        "title": "新安江水污染协调会",
        "starts_at": local(start),
        "ends_at": local(start + timedelta(hours=2)),
        "place": "杭州市应急指挥中心",
        "video_url": "https://meet.example.org/xinan",
        "agenda": "通报污染情况\n部署下游防范\n",
        "invited": ["ema-341000", HANGZHOU, "yrd-committee"],
        **changes,
    }
    return form


def test_the_committee_convenes_for_a_risk_and_hangzhou_marks_the_decision_done(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    risk_id = register_spill(app)
    csrf = log_in(COMMITTEE_OFFICER)

    risk_page = client.get(f"/risks/{risk_id}")
    assert f'href="/committee/meetings/new?risk={risk_id}"' in risk_page.text
    form_page = client.get(f"/committee/meetings/new?risk={risk_id}")
    assert form_page.status_code == 200
    assert f'name="risk_id" value="{risk_id}"' in form_page.text
    assert 'value="ema-330100" id="invite-ema-330100" checked' in form_page.text

    made = client.post("/committee/meetings", data=convene_form(csrf, risk_id))
    assert made.status_code == 303, made.text
    path = made.headers["location"]
    meeting = client.get(path)
    assert "通报污染情况" in section(meeting.text, "agenda")
    assert "杭州市应急管理局" in section(meeting.text, "attendance")
    convene = [
        d
        for d in duties.duties_of_risk(UnitOfWork(app.state.engine), system_actor(), risk_id)
        if d.kind is DutyKind.CONVENE
    ]
    assert [d.status for d in convene] == [DutyStatus.DONE]

    attended = client.post(
        f"{path}/attendance",
        data={
            "csrf_token": csrf,
            "organisation": ["ema-341000", HANGZHOU, "yrd-committee"],
            "attendance": ["present", "present", ""],
            "attendees": ["李四", "张三 副局长", ""],
        },
    )
    assert attended.status_code == 303, attended.text
    assert (
        client.post(f"{path}/minutes", data={"csrf_token": csrf, "minutes": "一、……"}).status_code
        == 303
    )
    due = (_now() + timedelta(days=5)).astimezone(DISPLAY_ZONE).date().isoformat()
    decided = client.post(
        f"{path}/decisions",
        data={"csrf_token": csrf, "owner": HANGZHOU, "due": due, "text": "加密富春江断面监测"},
    )
    assert decided.status_code == 303, decided.text
    held = client.get(path)
    assert "张三 副局长" in held.text
    decisions = section(held.text, "decision-1")
    assert "加密富春江断面监测" in decisions and 'data-status="open"' in decisions

    hangzhou_csrf = log_in(HANGZHOU_OFFICER)
    mine = client.get("/duties")
    assert "加密富春江断面监测" in mine.text
    uow = UnitOfWork(app.state.engine)
    (action,) = [
        d
        for d in duties.duties_for(uow, actor(uow, HANGZHOU), now=_now())
        if d.kind is DutyKind.ACTION
    ]
    done = client.post(f"/duties/{action.id}/acknowledge", data={"csrf_token": hangzhou_csrf})
    assert done.status_code == 303, done.text
    assert 'data-status="done"' in section(client.get(path).text, "decision-1")


def test_the_pages_speak_both_languages(app: FastAPI, client: TestClient, log_in: LogIn) -> None:
    csrf = log_in(COMMITTEE_OFFICER)
    made = client.post("/committee/meetings", data=convene_form(csrf))
    path = made.headers["location"]

    zh_list, zh_meeting = client.get("/committee/meetings"), client.get(path)
    client.get("/language/en?next=/committee/meetings")
    en_list, en_meeting = client.get("/committee/meetings"), client.get(path)

    assert "跨域协调会议" in zh_list.text and "即将召开" in zh_list.text
    assert "新安江水污染协调会" in section(zh_list.text, "upcoming-meetings")
    assert "议程" in zh_meeting.text and "已安排" in zh_meeting.text
    assert "Coordination meetings" in en_list.text and "Upcoming" in en_list.text
    assert "Agenda" in en_meeting.text and "Scheduled" in en_meeting.text
    assert "Convene a meeting" in client.get("/committee/meetings/new").text


def test_a_non_https_link_is_refused_on_the_page_and_nothing_is_written(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    csrf = log_in(COMMITTEE_OFFICER)
    before = counts(app)

    page = client.post(
        "/committee/meetings", data=convene_form(csrf, video_url="http://meet.example.org/x")
    )

    assert page.status_code == 422
    assert "https://" in refusal(page.text)
    assert counts(app) == before


def test_a_decision_without_an_owner_is_refused_and_nothing_is_written(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    csrf = log_in(COMMITTEE_OFFICER)
    path = client.post("/committee/meetings", data=convene_form(csrf)).headers["location"]
    client.post(f"{path}/minutes", data={"csrf_token": csrf, "minutes": "一、……"})
    before = counts(app)

    page = client.post(
        f"{path}/decisions",
        data={"csrf_token": csrf, "owner": "", "due": "2027-01-10", "text": "加密监测"},
    )
    absurd = client.post(
        f"{path}/decisions",
        data={"csrf_token": csrf, "owner": HANGZHOU, "due": "9999-12-31", "text": "加密监测"},
    )

    assert page.status_code == 422 and "负责落实" in refusal(page.text)
    assert absurd.status_code == 422 and "完成期限" in refusal(absurd.text)
    assert counts(app) == before


def test_a_city_or_a_viewer_may_not_convene(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    for user in (HANGZHOU_OFFICER, EVALUATOR):
        csrf = log_in(user)
        before = counts(app)
        page = client.post("/committee/meetings", data=convene_form(csrf))
        assert page.status_code == 403
        assert counts(app) == before
        assert 'id="convene-link"' not in client.get("/committee/meetings").text
