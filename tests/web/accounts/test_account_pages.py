"""The users and channels pages refuse outsiders in a sentence and change nothing."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from crossrisk.store.models import DeliveryChannelRow, JournalEntryRow, UserRow
from tests.web.officers import HANGZHOU_OFFICER, HUANGSHAN_OFFICER, PASSWORD
from tests.web.page_parts import refusal


def counts(app: FastAPI) -> tuple[int, ...]:
    with app.state.engine.connect() as connection:
        return tuple(
            int(connection.scalar(select(func.count()).select_from(table)) or 0)
            for table in (UserRow, JournalEntryRow, DeliveryChannelRow)
        )


def test_another_city_is_refused_the_users_page_in_a_chinese_sentence(
    app: FastAPI, client: TestClient, log_in: Callable[[str], str]
) -> None:
    token = log_in(HANGZHOU_OFFICER)
    page = client.get("/organisations/ema-341000/users")
    assert page.status_code == 403
    assert "您的账户无权管理黄山市应急管理局的用户" in refusal(page.text)
    before = counts(app)
    added = client.post(
        "/organisations/ema-341000/users",
        data={"csrf_token": token, "username": "intruder", "password": PASSWORD},
    )
    assert added.status_code == 403
    disabled = client.post(
        f"/organisations/ema-341000/users/{HUANGSHAN_OFFICER}/disable",
        data={"csrf_token": token},
    )
    assert disabled.status_code == 403
    assert counts(app) == before


def test_an_officer_without_the_admin_flag_sees_no_users_to_manage(
    client: TestClient, log_in: Callable[[str], str]
) -> None:
    log_in(HUANGSHAN_OFFICER)
    page = client.get("/users")
    assert page.status_code == 200
    assert 'id="no-users"' in page.text
    assert "href='/users'" not in page.text and 'href="/users"' not in page.text


def test_a_bad_topic_is_refused_on_the_channels_page_in_chinese_and_nothing_is_added(
    app: FastAPI, client: TestClient, log_in: Callable[[str], str]
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    before = counts(app)
    page = client.post(
        "/organisations/ema-341000/channels",
        data={"csrf_token": token, "kind": "mqtt", "address": "crossrisk/warnings/ema-330100"},
    )
    assert page.status_code == 422
    assert "不在本单位的前缀" in refusal(page.text)
    assert counts(app) == before
    other = client.get("/organisations/ema-330100/channels")
    assert other.status_code == 403
    assert "您的账户无权配置杭州市应急管理局的投递渠道" in refusal(other.text)
