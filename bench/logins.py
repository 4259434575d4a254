"""A login flood against a real server: how long another user's request takes meanwhile.

A real `crossrisk serve` process (production Argon2 cost, one process) runs on a scratch
database. Waves of concurrent wrong logins arrive, each from an address of its own (sent
as X-Forwarded-For, which the server trusts from loopback, as from a proxy in front) and
for an account of its own, so neither throttle stops them early: every one costs a
password check, the worst case for the bound on checks at once. Meanwhile a logged-in
colleague asks who they are (GET /api/auth/me with a bearer token), one request after
another. Baseline: the same request with no flood. The flood's answers are counted by
status; none may be a 500.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime

from bench import _servers as servers
from bench.report import Result, percentile
from bench.size import Size
from crossrisk.data import bundled_region_path
from crossrisk.domain.organisation import Role, system_actor
from crossrisk.domain.region import read_region_spec
from crossrisk.services import regions, users
from crossrisk.store.db import make_engine, migrate
from crossrisk.store.uow import UnitOfWork


@dataclass(frozen=True)
class Counts:
    flood: int  # concurrent wrong logins per wave
    waves: int
    colleague: int  # requests of the colleague, with the flood and without


COUNTS = {
    Size.FULL: Counts(flood=48, waves=5, colleague=200),
    Size.SMOKE: Counts(flood=8, waves=1, colleague=10),
}
COLLEAGUE = "bench-colleague"


def run(size: Size = Size.FULL) -> list[Result]:
    """The colleague's latency under the flood, against none, on SQLite."""
    counts = COUNTS[size]
    with servers.scratch_database("sqlite") as (url, folder):
        token = _prepare(url)
        prepared = servers.Prepared(url, folder, token, {})
        with servers.api_server(prepared, worker=False) as port:
            _me(port, token)  # the first request pays for imports and caches
            quiet = [_timed_me(port, token) for _ in range(counts.colleague)]
            flooded, answers, elapsed = _under_flood(port, token, counts)
    logins = sum(answers.values())
    baseline = percentile(quiet, 50)
    measured = percentile(flooded, 50)
    return [
        Result(
            name="another user's request during a login flood (SQLite)",
            unit="ms",
            measured=measured,
            baseline_name="the same request with no flood",
            baseline=baseline,
            ratio=baseline / measured,
            detail={
                "concurrent wrong logins": counts.flood,
                "requests during the flood": len(flooded),
                "p99 ms": percentile(flooded, 99),
                "baseline p99 ms": percentile(quiet, 99),
                "logins answered/s": logins / elapsed,
                "401 wrong password": answers.get(401, 0),
                "429 throttled": answers.get(429, 0),
                "503 busy": answers.get(503, 0),
                "500 errors": answers.get(500, 0),
            },
        )
    ]


def _prepare(url: str) -> str:
    migrate(url)
    engine = make_engine(url)
    uow = UnitOfWork(engine)
    now = datetime.now(UTC)
    spec = read_region_spec(json.loads(bundled_region_path("yrd").read_text("utf-8")))
    regions.load_region(uow, system_actor(), spec, now=now)
    users.add_user(
        uow,
        system_actor(),
        username=COLLEAGUE,
        password=servers.PASSWORD,
        organisation_code="ema-330100",
        role=Role.OFFICER,
        now=now,
    )
    token = users.issue_token(uow, username=COLLEAGUE, password=servers.PASSWORD, now=now)
    engine.dispose()
    return token


def _under_flood(port: int, token: str, counts: Counts) -> tuple[list[float], Counter[int], float]:
    answers: Counter[int] = Counter()
    flooded: list[float] = []
    done = threading.Event()

    def colleague() -> None:
        # Only while the flood lasts; at least two requests, so percentiles exist.
        while not done.is_set() or len(flooded) < 2:
            flooded.append(_timed_me(port, token))

    watcher = threading.Thread(target=colleague)
    start = time.perf_counter()
    watcher.start()
    with ThreadPoolExecutor(counts.flood) as pool:
        for wave in range(counts.waves):
            statuses = pool.map(
                lambda n, wave=wave: _wrong_login(port, f"guess-{wave}-{n}", n), range(counts.flood)
            )
            answers.update(statuses)
    elapsed = time.perf_counter() - start
    done.set()
    watcher.join()
    return flooded, answers, elapsed


def _wrong_login(port: int, username: str, n: int) -> int:
    body = json.dumps({"username": username, "password": "not the password"})
    headers = {
        "Content-Type": "application/json",
        # Documentation addresses (RFC 5737), one per attacker.
        "X-Forwarded-For": f"198.51.100.{n % 250 + 1}",
    }
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("POST", "/api/auth/token", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _timed_me(port: int, token: str) -> float:
    start = time.perf_counter()
    _me(port, token)
    return (time.perf_counter() - start) * 1000


def _me(port: int, token: str) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("GET", "/api/auth/me", headers={"Authorization": f"Bearer {token}"})
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"GET /api/auth/me answered {response.status} during the flood")
    finally:
        connection.close()
