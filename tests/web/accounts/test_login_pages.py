"""Logging in and out of the pages, and the language switch."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.web.officers import HUANGSHAN_OFFICER, PASSWORD, csrf_token_in


def test_login_page_is_chinese_by_default(client: TestClient) -> None:
    page = client.get("/login")
    assert page.status_code == 200
    assert '<html lang="zh-CN">' in page.text
    assert "用户名" in page.text and "密码" in page.text
    assert "Username" not in page.text


def test_language_switch_turns_the_pages_english(client: TestClient) -> None:
    switched = client.get("/language/en", params={"next": "/login"})
    assert switched.status_code == 303
    assert switched.headers["location"] == "/login"
    page = client.get("/login")
    assert '<html lang="en">' in page.text
    assert "Username" in page.text and "Password" in page.text
    assert "用户名" not in page.text


def test_language_switch_does_not_lead_off_the_site(client: TestClient) -> None:
    for target in ("//elsewhere.example/", "https://elsewhere.example/", "/\\elsewhere.example"):
        switched = client.get("/language/en", params={"next": target})
        assert switched.headers["location"] == "/map"


def test_pages_send_visitors_without_a_session_to_log_in(client: TestClient) -> None:
    response = client.get("/risks", params={"status": "identified"})
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/risks%3Fstatus%3Didentified"


def test_bad_login_shows_the_form_again_with_401(client: TestClient) -> None:
    token = csrf_token_in(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": HUANGSHAN_OFFICER, "password": "wrong-password", "csrf_token": token},
    )
    assert response.status_code == 401
    assert 'id="login-form"' in response.text
    assert "用户名不存在或密码错误" in response.text
    assert f'value="{HUANGSHAN_OFFICER}"' in response.text
    assert client.get("/map").status_code == 303  # still not logged in


def test_login_without_the_csrf_token_is_refused(client: TestClient) -> None:
    client.get("/login")
    response = client.post("/login", data={"username": HUANGSHAN_OFFICER, "password": PASSWORD})
    assert response.status_code == 403
    assert 'id="login-form"' in response.text
    assert client.get("/map").status_code == 303


def test_login_leads_back_to_the_page_asked_for(client: TestClient) -> None:
    token = csrf_token_in(client.get("/login").text)
    response = client.post(
        "/login",
        data={
            "username": HUANGSHAN_OFFICER,
            "password": PASSWORD,
            "csrf_token": token,
            "next": "/journal",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/journal"


def test_header_names_the_user_and_organisation(
    client: TestClient, log_in: Callable[[str], str]
) -> None:
    log_in(HUANGSHAN_OFFICER)
    page = client.get("/map")
    assert HUANGSHAN_OFFICER in page.text
    assert "黄山市应急管理局" in page.text
    client.get("/language/en")
    assert "Huangshan Emergency Management Bureau" in client.get("/map").text


def test_logout_needs_the_csrf_token_and_ends_the_session(
    client: TestClient, log_in: Callable[[str], str]
) -> None:
    token = log_in(HUANGSHAN_OFFICER)
    assert client.post("/logout", data={}).status_code == 403
    assert client.get("/map").status_code == 200
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 303
    assert client.get("/map").status_code == 303


def test_the_language_outlives_logging_out(
    client: TestClient, log_in: Callable[[str], str]
) -> None:
    client.get("/language/en")
    token = log_in(HUANGSHAN_OFFICER)
    client.post("/logout", data={"csrf_token": token})
    assert '<html lang="en">' in client.get("/login").text


def test_pages_allow_no_other_origin(client: TestClient) -> None:
    page = client.get("/login")
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert page.headers["cache-control"] == "no-store"


def test_login_csrf_token_changes_with_the_session(client: TestClient) -> None:
    first = csrf_token_in(client.get("/login").text)
    client.cookies.clear()
    assert csrf_token_in(client.get("/login").text) != first
