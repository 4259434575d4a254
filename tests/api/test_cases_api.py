"""Accountability cases over HTTP: a corrected report detected, reviewed, answered and
decided; refusals are problem details and write nothing; both backends."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from crossrisk.store.models import CaseRow, JournalEntryRow
from tests.support import assert_problem, auth, post_spill, row_counts


@pytest.fixture
def corrected(client: TestClient, tokens: dict[str, str]) -> dict[str, Any]:
    """A spill whose lead reported 1 t released, then 3 t: its case, detected."""
    made = post_spill(client, tokens)
    risk_id = made["id"]
    for tonnes in (1.0, 3.0):
        filed = client.post(
            f"/api/risks/{risk_id}/reports",
            json={"text": f"泄漏{tonnes}吨", "figures": {"released_t": tonnes}},
            headers=auth(tokens, "huangshan"),
        )
        assert filed.status_code == 201, filed.text
    detected = client.post(
        "/api/cases/detect", json={"risk_id": risk_id}, headers=auth(tokens, "committee")
    )
    assert detected.status_code == 200, detected.text
    (case,) = [c for c in detected.json() if c["kind"] == "report_corrected"]
    return dict(case)


def test_a_corrected_report_is_a_case_with_verified_evidence(
    client: TestClient, tokens: dict[str, str], corrected: dict[str, Any]
) -> None:
    assert corrected["party"] == "ema-341000" and corrected["state"] == "opened"
    assert corrected["facts"]["before"] == 1.0 and corrected["facts"]["after"] == 3.0
    assert corrected["procedure"]["reviewer"] is None
    assert "penalty" not in corrected["procedure"]["outcomes"]

    read = client.get(f"/api/cases/{corrected['id']}", headers=auth(tokens, "huangshan"))
    assert read.status_code == 200, read.text
    evidence = read.json()["evidence"]
    assert [e["action"] for e in evidence] == ["risk.reported", "risk.reported"]
    assert all(e["verified"] for e in evidence) and read.json()["missing"] == []

    listed = client.get(
        "/api/cases", params={"party": "ema-341000"}, headers=auth(tokens, "committee")
    )
    assert corrected["id"] in [c["id"] for c in listed.json()]
    hangzhou = client.get("/api/cases", headers=auth(tokens, "hangzhou"))
    assert corrected["id"] not in [c["id"] for c in hangzhou.json()]
    again = client.post(
        "/api/cases/detect",
        json={"risk_id": corrected["risk_id"]},
        headers=auth(tokens, "committee"),
    )
    assert again.json() == []


def test_review_statement_decision_over_http(
    client: TestClient, tokens: dict[str, str], corrected: dict[str, Any]
) -> None:
    path = f"/api/cases/{corrected['id']}"
    committee = auth(tokens, "committee")
    reviewed = client.post(f"{path}/review", json={"text": "数字更正三倍"}, headers=committee)
    assert reviewed.status_code == 200 and reviewed.json()["state"] == "under_review"
    stated = client.post(
        f"{path}/statement", json={"text": "初报为现场估算"}, headers=auth(tokens, "huangshan")
    )
    assert stated.status_code == 200 and stated.json()["statement"] == "初报为现场估算"
    decided = client.post(
        f"{path}/decision",
        json={"outcome": "criticism", "reason": "初报严重低估"},
        headers=committee,
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["outcome"] == "criticism" and decided.json()["state"] == "decided"


def test_refused_steps_are_problems_and_write_nothing(
    client: TestClient, tokens: dict[str, str], corrected: dict[str, Any], database_url: str
) -> None:
    path = f"/api/cases/{corrected['id']}"
    tables = (CaseRow, JournalEntryRow)
    before = row_counts(database_url, *tables)
    state = client.get(path, headers=auth(tokens, "committee")).json()["case"]

    assert_problem(
        client.post(f"{path}/review", json={"text": "x"}, headers=auth(tokens, "huangshan")),
        403,
        key="case-not-reviewer",
    )
    assert_problem(
        client.post(f"{path}/statement", json={"text": "x"}, headers=auth(tokens, "huangshan")),
        409,
        key="case-step-out-of-order",
    )
    assert_problem(
        client.post(f"{path}/review", json={"text": "a\u0000b"}, headers=auth(tokens, "committee")),
        422,
        key="text-control",
    )
    assert_problem(client.get(path, headers=auth(tokens, "hangzhou")), 404, key="case-not-found")
    assert_problem(
        client.post(
            "/api/cases/detect",
            json={"risk_id": corrected["risk_id"]},
            headers=auth(tokens, "hangzhou"),
        ),
        403,
        key="not-coordinator",
    )
    assert row_counts(database_url, *tables) == before
    assert client.get(path, headers=auth(tokens, "committee")).json()["case"] == state

    client.post(f"{path}/review", json={"text": "审查"}, headers=auth(tokens, "committee"))
    before = row_counts(database_url, *tables)
    state = client.get(path, headers=auth(tokens, "committee")).json()["case"]
    assert_problem(
        client.post(
            f"{path}/decision",
            json={"outcome": "penalty", "reason": "r", "penalty": "罚款"},
            headers=auth(tokens, "committee"),
        ),
        409,
        key="case-awaits-statement",
    )
    for bad in (
        {"outcome": "fine", "reason": "r"},
        {"outcome": "criticism", "reason": "长" * 4001},
        {"outcome": "criticism", "reason": "r", "extra": 1},
    ):
        assert_problem(
            client.post(f"{path}/decision", json=bad, headers=auth(tokens, "committee")), 422
        )
    assert_problem(client.get(f"/api/cases/{2**63}", headers=auth(tokens, "committee")), 422)
    assert row_counts(database_url, *tables) == before
    assert client.get(path, headers=auth(tokens, "committee")).json()["case"] == state
