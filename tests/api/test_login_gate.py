"""Logins wait for a turn without holding a thread, and are told to retry when none frees up."""

from __future__ import annotations

import threading

import anyio
import pytest

from crossrisk.domain.errors import Busy
from crossrisk.http.deps import LoginGate


def test_a_login_that_gets_no_turn_in_time_is_told_to_retry() -> None:
    gate = LoginGate(1, wait=0.05)
    release = threading.Event()
    outcome: list[str] = []

    async def main() -> None:
        async with anyio.create_task_group() as group:
            group.start_soon(gate.run, lambda: release.wait(5))  # holds the only turn
            await anyio.sleep(0.1)
            with pytest.raises(Busy) as busy:
                await gate.run(lambda: "never run")
            assert busy.value.retry_after == 1 and busy.value.key == "login-busy"
            release.set()
        # Once the turn is free again, the next login runs.
        outcome.append(await gate.run(lambda: "ran"))

    anyio.run(main)
    assert outcome == ["ran"]
