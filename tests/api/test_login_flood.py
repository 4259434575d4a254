"""A flood of wrong logins against a real server: throttled, never a 500, others still served."""

from __future__ import annotations

import http.client
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from crossrisk.app import create_app
from crossrisk.http.deps import LoginGate
from tests.live_server import served
from tests.support import TEST_PASSWORD, auth, settings_for_tests

ATTACKER = "198.51.100.9"
FLOOD = 48


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: dict[str, object]


def request(
    port: int,
    method: str,
    path: str,
    *,
    body: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        payload = json.dumps(body).encode() if body is not None else None
        sent = {"Content-Type": "application/json", **(headers or {})}
        connection.request(method, path, body=payload, headers=sent)
        response = connection.getresponse()
        raw = response.read()
        return Answer(
            response.status,
            {name.lower(): value for name, value in response.getheaders()},
            json.loads(raw) if raw else {},
        )
    finally:
        connection.close()


def wrong_login(port: int, username: str = "huangshan") -> Answer:
    # The server trusts X-Forwarded-For from loopback (a proxy in front), as `serve` does,
    # so the test can speak from an attacker's address and from a colleague's.
    return request(
        port,
        "POST",
        "/api/auth/token",
        body={"username": username, "password": "not the password"},
        headers={"X-Forwarded-For": ATTACKER},
    )


def test_a_login_flood_is_throttled_while_other_users_are_served(
    database_url: str, tmp_path: Path, tokens: dict[str, str]
) -> None:
    # One password check at a time, so the flood queues as it would on a busy server; a
    # patient gate, so every login of the flood is heard whatever the machine's load.
    app = create_app(settings_for_tests(database_url, tmp_path, password_checks=1))
    app.state.login_gate = LoginGate(1, wait=60)
    try:
        with served(app, proxy_headers=True, forwarded_allow_ips="127.0.0.1") as port:
            with ThreadPoolExecutor(FLOOD) as pool:
                flood = [
                    pool.submit(wrong_login, port, "huangshan" if n % 2 else f"guess-{n}")
                    for n in range(FLOOD)
                ]
                # Meanwhile another user works on.
                colleague = request(port, "GET", "/api/auth/me", headers=auth(tokens, "hangzhou"))
                answers = [future.result() for future in flood]
            # Guessing on at other accounts, the flood's address is soon throttled for all.
            after = []
            while len(after) < 25 and (not after or after[-1].status != 429):
                after.append(wrong_login(port, f"later-{len(after)}"))
            elsewhere = request(
                port,
                "POST",
                "/api/auth/token",
                body={"username": "committee", "password": TEST_PASSWORD},
                headers={"X-Forwarded-For": "203.0.113.50"},
            )
    finally:
        app.state.engine.dispose()

    assert colleague.status == 200 and colleague.body["username"] == "hangzhou"
    statuses = sorted({answer.status for answer in answers})
    assert set(statuses) <= {401, 429, 503}, statuses
    assert any(answer.status == 429 for answer in answers)
    for answer in [*answers, *after]:
        assert answer.headers["content-type"].startswith("application/problem+json")
        if answer.status in (429, 503):
            assert int(answer.headers["retry-after"]) >= 1
            assert answer.body["key"] in ("login-throttled", "login-busy")
    assert after[-1].status == 429 and after[-1].body["key"] == "login-throttled"
    assert elsewhere.status == 200 and elsewhere.body["access_token"]
