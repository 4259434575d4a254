"""Ids beyond what the store can hold are refused as such, on both backends, never a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.support import assert_problem, auth

# Beyond PostgreSQL's 32-bit ids, beyond 64 bits, and beyond Python's int() digit limit.
TOO_LARGE = [str(2**31), str(2**64), "9" * 5000]
READS = [
    "/api/risks/{id}",
    "/api/risks/{id}/history",
    "/api/risks/{id}/analysis",
    "/api/risks/{id}/analyses",
    "/api/risks/{id}/reach",
    "/api/risks/{id}/warnings",
]


@pytest.mark.parametrize("number", TOO_LARGE)
def test_an_id_no_row_can_have_is_refused_as_invalid_input(
    client: TestClient, tokens: dict[str, str], number: str
) -> None:
    for path in READS:
        response = client.get(path.format(id=number), headers=auth(tokens, "committee"))
        assert_problem(response, 422)
    removed = client.delete(
        f"/api/organisations/ema-341000/channels/{number}", headers=auth(tokens, "huangshan")
    )
    assert_problem(removed, 422)


def test_a_journal_position_beyond_64_bits_is_refused(
    client: TestClient, tokens: dict[str, str]
) -> None:
    headers = auth(tokens, "committee")
    assert_problem(client.get(f"/api/events?after={2**64}", headers=headers), 422)
    refused = client.get("/api/events", headers={**headers, "Last-Event-ID": str(2**64)})
    assert_problem(refused, 422)
