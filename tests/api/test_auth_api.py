"""Logging in to the API: throttled failures answer 429 with Retry-After; revoked tokens end."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient

from crossrisk.domain.organisation import system_actor
from crossrisk.services import users
from crossrisk.store.models import LoginThrottleRow
from crossrisk.store.uow import UnitOfWork
from tests.support import TEST_PASSWORD, assert_problem, auth, row_counts


def post_login(client: TestClient, username: str, password: str) -> Any:
    return client.post("/api/auth/token", json={"username": username, "password": password})


def test_repeated_wrong_logins_are_answered_429_with_retry_after(client: TestClient) -> None:
    for _ in range(5):
        assert_problem(post_login(client, "huangshan", "wrong password!"), 401)
    throttled = post_login(client, "huangshan", TEST_PASSWORD)
    body = assert_problem(throttled, 429, key="login-throttled")
    assert throttled.headers["retry-after"] == "2"
    assert body["type"] == "urn:crossrisk:problem:too-many-requests"
    assert "try again in 2 seconds" in body["detail"]
    # Another account is not held up: the address has failures to spare.
    assert post_login(client, "hangzhou", TEST_PASSWORD).status_code == 200


def test_failures_are_counted_in_the_database(client: TestClient, database_url: str) -> None:
    assert row_counts(database_url, LoginThrottleRow) == (0,)
    assert_problem(post_login(client, "nobody", "wrong password!"), 401)
    # One row for the account tried, one for the client's address.
    assert row_counts(database_url, LoginThrottleRow) == (2,)


def test_a_revoked_token_is_refused(client: TestClient, tokens: dict[str, str]) -> None:
    assert client.get("/api/auth/me", headers=auth(tokens)).status_code == 200
    engine = client.app.state.engine  # type: ignore[attr-defined]
    users.revoke_user(
        UnitOfWork(engine), system_actor(), username="huangshan", now=datetime.now(UTC)
    )
    body = assert_problem(client.get("/api/auth/me", headers=auth(tokens)), 401)
    assert "revoked" in body["detail"]
    assert client.get("/api/auth/me", headers=auth(tokens, "hangzhou")).status_code == 200
