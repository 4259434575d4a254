"""Pages name people by their display names, not their usernames."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient

from crossrisk.domain.organisation import system_actor
from crossrisk.services import users
from crossrisk.store.uow import UnitOfWork
from tests.web.officers import HUANGSHAN_OFFICER, SEEDED_AT
from tests.web.risk_forms import register


def test_the_header_and_the_risk_history_show_the_display_name(
    app: FastAPI, client: TestClient, log_in: Callable[[str], str]
) -> None:
    users.rename_user(
        UnitOfWork(app.state.engine),
        system_actor(),
        username=HUANGSHAN_OFFICER,
        display_name="黄山值班员张三",
        now=SEEDED_AT,
    )
    token = log_in(HUANGSHAN_OFFICER)
    risk_id = register(client, token)
    page = client.get(f"/risks/{risk_id}").text
    assert '<span class="username" title="officer-341000">黄山值班员张三</span>' in page
    history = page[page.index('id="history"') :]
    assert "黄山值班员张三" in history
    assert f"<td>{HUANGSHAN_OFFICER}</td>" not in page


def test_without_a_display_name_the_username_is_shown(
    app: FastAPI, client: TestClient, log_in: Callable[[str], str]
) -> None:
    users.rename_user(
        UnitOfWork(app.state.engine),
        system_actor(),
        username=HUANGSHAN_OFFICER,
        display_name="",
        now=SEEDED_AT,
    )
    log_in(HUANGSHAN_OFFICER)
    page = client.get("/map").text
    assert f'title="{HUANGSHAN_OFFICER}">{HUANGSHAN_OFFICER}</span>' in page
