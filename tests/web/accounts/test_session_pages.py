"""Page sessions end on the server; failed logins are throttled; cookies Secure over HTTPS."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from crossrisk.domain.organisation import system_actor
from crossrisk.services import users
from crossrisk.store.uow import UnitOfWork
from tests.databases import SqliteTemplate
from tests.support import app_client, settings_for_tests
from tests.web.officers import HUANGSHAN_OFFICER, PASSWORD, csrf_token_in

COOKIE = "crossrisk_session"


def copy_of(app: FastAPI, client: TestClient) -> TestClient:
    """Another browser holding the same cookie, as a thief or a shared computer would."""
    other = TestClient(app, follow_redirects=False)
    other.cookies.set(COOKIE, client.cookies[COOKIE])
    return other


def test_an_old_cookie_is_refused_after_logout(
    app: FastAPI, client: TestClient, log_in: Callable[[str], str]
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    stolen = copy_of(app, client)
    assert stolen.get("/map").status_code == 200

    assert client.post("/logout", data={"csrf_token": token}).status_code == 303

    page = stolen.get("/map")
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    # The CSRF token it carried opens nothing either.
    refused = stolen.post("/api/risks", json={}, headers={"X-CSRF-Token": token})
    assert refused.status_code == 401
    assert refused.json()["type"] == "urn:crossrisk:problem:not-authenticated"


def test_revoking_the_user_ends_the_page_session(
    app: FastAPI, client: TestClient, log_in: Callable[[str], str]
) -> None:
    log_in(HUANGSHAN_OFFICER)
    users.revoke_user(
        UnitOfWork(app.state.engine),
        system_actor(),
        username=HUANGSHAN_OFFICER,
        now=datetime.now(UTC),
    )
    assert client.get("/map").status_code == 303


def test_changing_the_password_ends_the_page_session(
    app: FastAPI, client: TestClient, log_in: Callable[[str], str]
) -> None:
    log_in(HUANGSHAN_OFFICER)
    users.change_password(
        UnitOfWork(app.state.engine),
        system_actor(),
        username=HUANGSHAN_OFFICER,
        password="another page-test password",
        now=datetime.now(UTC),
    )
    assert client.get("/map").status_code == 303


def post_login(client: TestClient, password: str) -> object:
    token = csrf_token_in(client.get("/login").text)
    return client.post(
        "/login",
        data={"username": HUANGSHAN_OFFICER, "password": password, "csrf_token": token},
    )


@pytest.mark.parametrize(
    "language, says",
    [
        ("zh_CN", "登录失败次数过多，请在 2 秒后重试。"),
        ("en", "Too many failed logins. Try again in 2 seconds."),
    ],
)
def test_the_login_page_answers_429_and_says_when_to_retry(
    client: TestClient, language: str, says: str
) -> None:
    client.get(f"/language/{language}")
    for _ in range(5):
        assert post_login(client, "wrong-password").status_code == 401  # type: ignore[attr-defined]
    page = post_login(client, PASSWORD)
    assert page.status_code == 429  # type: ignore[attr-defined]
    assert page.headers["retry-after"] == "2"  # type: ignore[attr-defined]
    assert says in page.text  # type: ignore[attr-defined]
    assert 'id="login-form"' in page.text  # type: ignore[attr-defined]
    assert client.get("/map").status_code == 303


@pytest.mark.parametrize("secure", [True, False])
def test_the_session_cookie_is_secure_when_served_over_https(
    officers_template: SqliteTemplate, tmp_path: Path, secure: bool
) -> None:
    url = officers_template.fresh()
    settings = settings_for_tests(url, tmp_path, secure_cookies=secure)
    with app_client(settings, follow_redirects=False, base_url="https://testserver") as client:
        response = post_login(client, PASSWORD)
        assert response.status_code == 303  # type: ignore[attr-defined]
        cookie = response.headers["set-cookie"].lower()  # type: ignore[attr-defined]
        assert cookie.startswith(COOKIE) and ("; secure" in cookie) is secure
    officers_template.drop(url)
