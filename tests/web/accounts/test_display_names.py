"""Pages name people by their display names, not their usernames."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient

from crossrisk.domain.errors import Conflict
from crossrisk.domain.organisation import system_actor
from crossrisk.locale import translations
from crossrisk.services import users
from crossrisk.store.uow import UnitOfWork
from crossrisk.web.shared.directory import Directory
from crossrisk.web.shared.i18n import ZH, PageLanguage
from tests.web.officers import HANGZHOU_OFFICER, HUANGSHAN_OFFICER, SEEDED_AT
from tests.web.risk_forms import register
from tests.web.warnings.test_warning_pages import hangzhou_warning, register_spill, row_of


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
    # The name leads to the user's own account page, the username in its title.
    assert (
        '<a class="username" href="/account/password" title="officer-341000 · 修改密码">'
        "黄山值班员张三</a>"
    ) in page
    history = page[page.index('id="history"') :]
    assert "黄山值班员张三" in history
    assert f"<td>{HUANGSHAN_OFFICER}</td>" not in page
    journal = client.get(f"/journal?subject=risk:{risk_id}").text
    assert f'<td title="{HUANGSHAN_OFFICER}">黄山值班员张三</td>' in journal


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
    assert f'title="{HUANGSHAN_OFFICER} · 修改密码">{HUANGSHAN_OFFICER}</a>' in page


def test_an_acknowledgement_names_who_made_it_by_display_name(
    app: FastAPI, client: TestClient, log_in: Callable[[str], str]
) -> None:
    users.rename_user(
        UnitOfWork(app.state.engine),
        system_actor(),
        username=HANGZHOU_OFFICER,
        display_name="杭州值班员李四",
        now=SEEDED_AT,
    )
    risk_id = register_spill(app)
    message = hangzhou_warning(app, risk_id)
    token = log_in(HANGZHOU_OFFICER)
    done = client.post(f"/api/warnings/{message.id}/acknowledge", headers={"X-CSRF-Token": token})
    assert done.status_code == 200, done.text
    row = row_of(client.get("/warnings/table").text, message.id)
    assert "杭州值班员李四" in row and HANGZHOU_OFFICER not in row


def test_a_refusal_names_who_did_it_by_display_name() -> None:
    directory = Directory(people={"page-committee": "委员会值班员王五"})
    chinese = PageLanguage(ZH, translations("zh_CN"))
    already = Conflict(
        "version 2 was confirmed by page-committee already",
        key="analysis-confirmed",
        params={"version": 2, "by": "page-committee"},
    )
    said = chinese.error_detail(already, directory)
    assert "委员会值班员王五" in said and "page-committee" not in said
