"""The region's state over HTTP: read by its members, switched by its committee only, with
problem bodies and nothing written on a refusal; both backends."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from crossrisk.store.models import JournalEntryRow
from tests.support import assert_problem, auth, row_counts


def test_the_committee_switches_and_a_city_reads_it(
    client: TestClient, tokens: dict[str, str]
) -> None:
    fresh = client.get("/api/regions/yrd/state", headers=auth(tokens, "hangzhou"))
    assert fresh.status_code == 200
    assert fresh.json() | {"changed_by": ""} == {
        "region": "yrd",
        "state": "normal",
        "since": None,
        "reason": "",
        "changed_by": "",
    }
    switched = client.post(
        "/api/regions/yrd/state",
        json={"state": "emergency", "reason": "太浦河超保证水位"},
        headers=auth(tokens, "committee"),
    )
    assert switched.status_code == 200, switched.text
    assert switched.json()["state"] == "emergency"
    read = client.get("/api/regions/yrd/state", headers=auth(tokens, "hangzhou")).json()
    assert (read["state"], read["reason"]) == ("emergency", "太浦河超保证水位")
    assert read["since"] == switched.json()["since"] and read["changed_by"]
    history = client.get("/api/regions/yrd/state/history", headers=auth(tokens, "hangzhou"))
    assert [h["state"] for h in history.json()] == ["emergency"]


@pytest.mark.parametrize(
    ("user", "body", "status", "key"),
    [
        ("hangzhou", {"state": "emergency", "reason": "汛情"}, 403, "region-state-not-committee"),
        ("central", {"state": "emergency", "reason": "汛情"}, 403, "region-state-not-committee"),
        ("evaluator", {"state": "emergency", "reason": "汛情"}, 403, "region-state-not-committee"),
        ("committee", {"state": "normal", "reason": "汛情"}, 409, "region-state-unchanged"),
        ("committee", {"state": "martial", "reason": "汛情"}, 422, None),
        ("committee", {"state": "emergency", "reason": ""}, 422, None),
        ("committee", {"state": "emergency", "reason": "汛\x00情"}, 422, None),
        ("committee", {"state": "emergency", "reason": "x", "by": "me"}, 422, None),
    ],
)
def test_a_refused_switch_is_a_problem_and_writes_nothing(
    client: TestClient,
    tokens: dict[str, str],
    database_url: str,
    user: str,
    body: dict[str, str],
    status: int,
    key: str | None,
) -> None:
    before = row_counts(database_url, JournalEntryRow)
    answer = client.post("/api/regions/yrd/state", json=body, headers=auth(tokens, user))
    assert_problem(answer, status, key=key)
    assert row_counts(database_url, JournalEntryRow) == before
    state = client.get("/api/regions/yrd/state", headers=auth(tokens, "hangzhou")).json()
    assert state["state"] == "normal"


def test_a_region_the_caller_does_not_read_is_refused(
    client: TestClient, tokens: dict[str, str]
) -> None:
    answer = client.get("/api/regions/yrd/state", headers=auth(tokens, "other-committee"))
    assert_problem(answer, 403)
    too_long = client.get("/api/regions/" + "y" * 65 + "/state", headers=auth(tokens))
    assert_problem(too_long, 422)
