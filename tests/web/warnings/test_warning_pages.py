"""The warning inbox, a risk's warnings, the live map's data and the e-mail acknowledgement link."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from crossrisk.alerts.ack_link import ack_token
from crossrisk.domain.organisation import system_actor
from crossrisk.domain.warning import WarningStatus
from crossrisk.domain.warning_plan import WarningMessage
from crossrisk.services import risks, warnings
from crossrisk.store.models import JournalEntryRow
from crossrisk.store.uow import UnitOfWork
from tests.support import TEST_SECRET, XINAN_SPILL, actor, assert_problem, draft
from tests.web.officers import COMMITTEE_OFFICER, HANGZHOU_OFFICER, HUANGSHAN_OFFICER
from tests.web.page_parts import page_data, section

LogIn = Callable[[str], str]
HANGZHOU_CODE = "330100"
SHANGHAI = ZoneInfo("Asia/Shanghai")


class Spill(NamedTuple):
    """A spill registered in Huangshan and the warning its reach sent Hangzhou."""

    risk_id: int
    message: WarningMessage


@pytest.fixture
def spill(app: FastAPI) -> Spill:
    risk_id = register_spill(app)
    return Spill(risk_id, hangzhou_warning(app, risk_id))


def register_spill(app: FastAPI) -> int:
    """A spill in Huangshan whose reach warns Hangzhou downstream."""
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


def hangzhou_warning(app: FastAPI, risk_id: int) -> WarningMessage:
    uow = UnitOfWork(app.state.engine)
    (message,) = [
        m
        for m in warnings.warnings_of_risk(uow, system_actor(), risk_id)
        if m.warning.recipient_code == HANGZHOU_CODE
    ]
    return message


def journal_size(app: FastAPI) -> int:
    with app.state.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(JournalEntryRow)))


def shown(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def row_of(html: str, warning_id: str) -> str:
    start = html.index(f'data-warning="{warning_id}"')
    return html[start : html.index("</tr>", start)]


def test_inbox_lists_the_warning_with_its_tag_times_and_risk(
    client: TestClient, spill: Spill, log_in: LogIn
) -> None:
    risk_id, message = spill
    log_in(HANGZHOU_OFFICER)

    page = client.get("/warnings")
    assert page.status_code == 200
    assert 'href="/warnings" aria-current="page"' in page.text  # in the site navigation
    row = row_of(page.text, message.id)
    assert message.warning.level.headline_tag_zh in row  # e.g. 橙色预警[Ⅱ级/严重]
    assert "杭州市" in row
    assert f'href="/risks/{risk_id}"' in row and "新安江苯乙烯泄漏" in row
    assert message.warning.expected_arrival is not None
    assert shown(message.warning.expected_arrival) in row
    assert shown(message.warning.ack_deadline) in row
    assert "已发布" in row and "确认收到" in row
    data = page_data(page.text)
    assert data["tableUrl"] == "/warnings/table" and data["after"] >= 1

    english = client.get("/language/en?next=/warnings", follow_redirects=True)
    assert message.warning.level.headline_tag_en in row_of(english.text, message.id)


def test_only_the_recipients_officers_get_the_acknowledge_button(
    client: TestClient, spill: Spill, log_in: LogIn
) -> None:
    message = spill.message

    log_in(COMMITTEE_OFFICER)
    committee = client.get("/warnings").text
    assert "ack-button" not in row_of(committee, message.id)  # sees it, does not acknowledge

    log_in(HUANGSHAN_OFFICER)
    origin = client.get("/warnings").text
    assert message.id not in origin  # a city's inbox holds what is addressed to it

    log_in(HANGZHOU_OFFICER)
    assert "ack-button" in row_of(client.get("/warnings").text, message.id)


def test_the_recipient_acknowledges_from_the_page_with_the_csrf_header(
    app: FastAPI, client: TestClient, spill: Spill, log_in: LogIn
) -> None:
    risk_id, message = spill
    token = log_in(HANGZHOU_OFFICER)
    url = f"/api/warnings/{message.id}/acknowledge"

    before = journal_size(app)
    refused = client.post(url)  # the cookie alone, as another site could send it
    assert_problem(refused, 403, key="csrf-stale")
    assert journal_size(app) == before
    assert hangzhou_warning(app, risk_id).warning.status is not WarningStatus.ACKNOWLEDGED

    done = client.post(url, headers={"X-CSRF-Token": token})
    assert done.status_code == 200
    assert done.json()["acknowledged_via"] == "page"
    table = client.get("/warnings/table").text
    row = row_of(table, message.id)
    assert "已确认" in row and HANGZHOU_OFFICER in row and "在页面上" in row
    assert "ack-button" not in row


def test_the_risk_page_shows_its_warnings_and_the_form_to_those_who_may_warn(
    client: TestClient, spill: Spill, log_in: LogIn
) -> None:
    risk_id, message = spill

    log_in(HANGZHOU_OFFICER)
    affected = client.get(f"/risks/{risk_id}").text
    table = section(affected, "risk-warnings")
    assert message.warning.level.headline_tag_zh in table
    assert f'href="/api/warnings/{message.id}/cap"' in table
    assert 'id="warning-form"' not in affected  # an affected city does not warn
    cap = client.get(f"/api/warnings/{message.id}/cap")
    assert cap.status_code == 200 and b"<alert" in cap.content

    token = log_in(COMMITTEE_OFFICER)
    page = client.get(f"/risks/{risk_id}").text
    assert 'id="warning-form"' in page
    form = section(page, "warning-recipient")
    assert f'value="{HANGZHOU_CODE}"' in form
    data = page_data(page)["warnings"]
    assert data["issueUrl"] == f"/api/risks/{risk_id}/warnings"
    assert data["instructionsField"] == "instructions_zh"

    # What the form's script sends, as the committee with the session's CSRF token.
    issued = client.post(
        data["issueUrl"],
        json={"recipient": "310000", "level": 1, "instructions_zh": "请做好取水口防护"},
        headers={"X-CSRF-Token": token},
    )
    assert issued.status_code == 201, issued.text
    refreshed = client.get(data["tableUrl"])
    assert refreshed.status_code == 200
    assert "红色预警[Ⅰ级/特别严重]" in refreshed.text and "请做好取水口防护" in refreshed.text


def test_the_map_data_shades_each_warned_city_at_its_most_severe_level(
    client: TestClient, spill: Spill, log_in: LogIn
) -> None:
    risk_id, message = spill
    log_in(HANGZHOU_OFFICER)

    page = client.get("/map")
    data = page_data(page.text)
    assert data["dataUrl"] == "/map/data?region=yrd" and data["after"] >= 1
    warned = {w["code"]: w for w in data["warnings"]}
    assert warned[HANGZHOU_CODE]["level"] == int(message.warning.level)
    assert 'id="map-warnings"' in page.text and "杭州市" in section(page.text, "map-warnings")

    state = client.get("/map/data?region=yrd").json()
    assert [r["id"] for r in state["risks"]] == [risk_id]
    assert state["risks"][0]["originNames"] == ["黄山市"]
    assert {w["code"] for w in state["warnings"]} == set(warned)
    assert client.get("/map/data?region=pearl").status_code == 404  # not its region


def test_the_ack_link_shows_the_warning_and_changes_nothing_until_confirmed(
    app: FastAPI, client: TestClient, spill: Spill
) -> None:
    risk_id, message = spill
    link = f"/ack/{ack_token(TEST_SECRET, message.id)}"
    before = journal_size(app)

    page = client.get(link)  # no login: the token is the credential
    assert page.status_code == 200
    assert "ack-form" in page.text and "确认收到" in page.text
    assert message.warning.level.headline_tag_zh in section(page.text, "ack-headline")
    assert "抵达杭州市" in page.text and "杭州市应急管理局" in page.text
    assert shown(message.warning.ack_deadline) in page.text
    client.head(link)  # a mail scanner's probe
    assert journal_size(app) == before
    assert hangzhou_warning(app, risk_id).acknowledged_at is None

    done = client.post(link)  # no CSRF token: there is no session
    assert done.status_code == 200
    assert "已确认收到" in section(done.text, "ack-result")
    acknowledged = hangzhou_warning(app, risk_id)
    assert acknowledged.warning.status is WarningStatus.ACKNOWLEDGED
    assert acknowledged.acknowledged_via == "email"
    # The acknowledgement, and the city's prepare_and_acknowledge duty it completes.
    assert journal_size(app) == before + 2

    again = client.post(link)
    assert again.status_code == 200
    assert "此预警此前已确认" in again.text
    assert journal_size(app) == before + 2


def test_a_bad_ack_link_is_refused_and_changes_nothing(
    app: FastAPI, client: TestClient, spill: Spill
) -> None:
    risk_id, message = spill
    before = journal_size(app)
    forged = ack_token("another-installation", message.id)
    for link in (
        f"/ack/{forged}",
        "/ack/not-a-token",
        f"/ack/{ack_token(TEST_SECRET, message.id)}x",
    ):
        for response in (client.get(link), client.post(link)):
            assert response.status_code == 403
            assert "此确认链接无效" in response.text
            assert "ack-form" not in response.text
    assert journal_size(app) == before
    assert hangzhou_warning(app, risk_id).acknowledged_at is None


def test_an_ack_link_of_a_superseded_warning_says_so_and_changes_nothing(
    app: FastAPI, client: TestClient, spill: Spill
) -> None:
    message = spill.message
    uow = UnitOfWork(app.state.engine)
    warnings.cancel_warning(
        uow, actor(uow, "yrd-committee"), message.id, reason="误报", now=datetime.now(UTC)
    )
    link = f"/ack/{ack_token(TEST_SECRET, message.id)}"
    before = journal_size(app)

    page = client.get(link)
    assert page.status_code == 200
    assert "ack-form" not in page.text
    assert "此预警已无需确认" in page.text
    refused = client.post(link)
    assert refused.status_code == 409
    assert "此预警已无需确认" in refused.text
    assert journal_size(app) == before
