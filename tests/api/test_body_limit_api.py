"""Every request body has a size limit, enforced before anything parses it."""

from __future__ import annotations

import json
from collections.abc import Iterator

from fastapi.testclient import TestClient

from tests.support import assert_problem, auth

OVER = 1024 * 1024 + 1


def test_a_body_declared_over_the_limit_is_refused_unread(
    client: TestClient, tokens: dict[str, str], snapshot
) -> None:
    before = snapshot(client)
    body = json.dumps({"title": "险" * OVER}).encode()
    response = client.post(
        "/api/risks",
        content=body,
        headers={**auth(tokens), "Content-Type": "application/json"},
    )
    assert_problem(response, 413, key="body-too-large")
    assert snapshot(client) == before


def test_a_body_streamed_past_the_limit_is_refused(
    client: TestClient, tokens: dict[str, str], snapshot
) -> None:
    before = snapshot(client)

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"title": "'
        for _ in range(20):
            yield b"x" * 65536
        yield b'"}'

    response = client.post(
        "/api/risks", content=chunks(), headers={**auth(tokens), "Content-Type": "application/json"}
    )
    assert_problem(response, 413, key="body-too-large")
    assert snapshot(client) == before


def test_a_login_form_past_the_limit_is_refused(client: TestClient) -> None:
    response = client.post("/login", data={"username": "x", "password": "p" * OVER})
    assert response.status_code == 413
