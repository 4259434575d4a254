"""Allocations over HTTP: proposed, read, approved (as proposed or edited) into
commitments; every bad input a problem with its key and nothing written."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from crossrisk.store.models import AllocationRow, CommitmentRow, JournalEntryRow
from crossrisk.store.uow import UnitOfWork
from tests.api.test_aid_requests_api import approved, post
from tests.services.test_allocations import SHANGHAI, SUZHOU, add_stock
from tests.support import assert_problem, auth

TABLES = (AllocationRow, CommitmentRow, JournalEntryRow)


def counts(client: TestClient) -> tuple[int, ...]:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with engine.connect() as connection:
        return tuple(
            connection.scalar(select(func.count()).select_from(table)) or 0 for table in TABLES
        )


def stocked(client: TestClient) -> None:
    uow = UnitOfWork(client.app.state.engine)  # type: ignore[attr-defined]
    at = datetime.now(UTC)
    add_stock(uow, SUZHOU, "tent", 3000, at=at)
    add_stock(uow, SHANGHAI, "tent", 1500, at=at)


def proposed(client: TestClient, tokens: dict[str, str], **body: Any) -> dict[str, Any]:
    request = approved(client, tokens)
    made = post(
        client, tokens, "committee", "/api/aid/allocations", {"request_ids": [request["id"]]} | body
    )
    assert made.status_code == 201, made.text
    return dict(made.json())


def test_propose_read_and_approve(client: TestClient, tokens: dict[str, str]) -> None:
    stocked(client)
    made = proposed(client, tokens)
    assert made["state"] == "proposed" and len(made["digest"]) == 64
    by_donor = {line["donor"]: line for line in made["lines"]}
    assert by_donor[SUZHOU]["quantity"] == 3000 and by_donor[SHANGHAI]["quantity"] == 1500
    assert made["unmet"][0]["quantity"] == 500
    assert {d["jurisdiction"] for d in made["donors"]} == {SUZHOU, SHANGHAI}

    seen = client.get(f"/api/aid/allocations/{made['id']}", headers=auth(tokens, "hangzhou"))
    assert seen.status_code == 200 and seen.json()["lines"] and seen.json()["donors"] == []
    listed = client.get("/api/aid/allocations", headers=auth(tokens, "committee")).json()
    assert [a["id"] for a in listed] == [made["id"]]

    done = post(client, tokens, "committee", f"/api/aid/allocations/{made['id']}/approval", {})
    assert done.status_code == 200, done.text
    result = done.json()
    assert result["state"] == "approved"
    assert all(line["commitment_id"] for line in result["lines"])
    mine = client.get(
        "/api/aid/commitments", params={"donor": SUZHOU}, headers=auth(tokens, "committee")
    ).json()
    assert [c["quantity"] for c in mine] == [3000]


def test_an_edited_line_is_approved_as_edited(client: TestClient, tokens: dict[str, str]) -> None:
    stocked(client)
    made = proposed(client, tokens)
    line_id = made["lines"][0]["request_line"]
    edited = [
        {"donor": SUZHOU, "request_line": line_id, "item": "tent", "quantity": 2000},
        {"donor": SHANGHAI, "request_line": line_id, "item": "tent", "quantity": 0},
    ]
    done = post(
        client,
        tokens,
        "committee",
        f"/api/aid/allocations/{made['id']}/approval",
        {"lines": edited},
    )
    assert done.status_code == 200, done.text
    approved_lines = {line["donor"]: line["approved_quantity"] for line in done.json()["lines"]}
    assert approved_lines == {SUZHOU: 2000, SHANGHAI: None}


def test_a_line_breaching_a_reserve_is_refused(client: TestClient, tokens: dict[str, str]) -> None:
    stocked(client)
    made = proposed(client, tokens, reserve_rules={"tent": {"fraction": 0.5}})
    assert {line["donor"]: line["quantity"] for line in made["lines"]} == {
        SUZHOU: 1500,
        SHANGHAI: 750,
    }
    line_id = made["lines"][0]["request_line"]
    before = counts(client)
    refused = post(
        client,
        tokens,
        "committee",
        f"/api/aid/allocations/{made['id']}/approval",
        {"lines": [{"donor": SUZHOU, "request_line": line_id, "item": "tent", "quantity": 1501}]},
    )
    assert_problem(refused, 422, key="breaches-reserve")
    assert counts(client) == before


@pytest.mark.parametrize(
    ("body", "status", "key"),
    [
        ({"request_ids": []}, 422, None),
        ({"request_ids": [0]}, 422, None),
        ({"request_ids": [2**63]}, 422, None),
        ({"request_ids": [99999]}, 404, "request-not-found"),
        ({"request_ids": [1], "extra": 1}, 422, None),
        ({"request_ids": [1], "reserve_rules": {"tent": {"fraction": 2}}}, 422, None),
        ({"request_ids": [1], "reserve_rules": {"nothing": {"quantity": 1}}}, 422, "unknown-item"),
        ({"request_ids": [1], "reserve_rules": {"tent": {}}}, 422, "invalid-reserve-rule"),
    ],
)
def test_bad_proposals_are_problems(
    client: TestClient, tokens: dict[str, str], body: dict[str, Any], status: int, key: str | None
) -> None:
    approved(client, tokens)
    before = counts(client)
    refused = post(client, tokens, "committee", "/api/aid/allocations", body)
    assert_problem(refused, status, key=key)
    assert counts(client) == before


def test_a_city_neither_proposes_nor_approves(client: TestClient, tokens: dict[str, str]) -> None:
    stocked(client)
    request = approved(client, tokens)
    before = counts(client)
    refused = post(
        client, tokens, "hangzhou", "/api/aid/allocations", {"request_ids": [request["id"]]}
    )
    assert_problem(refused, 403, key="not-coordinator")
    made = post(
        client, tokens, "committee", "/api/aid/allocations", {"request_ids": [request["id"]]}
    ).json()
    before = counts(client)
    refused = post(client, tokens, "hangzhou", f"/api/aid/allocations/{made['id']}/approval", {})
    assert_problem(refused, 403, key="not-coordinator")
    assert counts(client) == before
    nan = client.post(
        f"/api/aid/allocations/{made['id']}/approval",
        content='{"lines": [{"donor": "320500", "request_line": 1, "item": "tent", '
        '"quantity": NaN}]}',
        headers={**auth(tokens, "committee"), "Content-Type": "application/json"},
    )
    assert nan.status_code == 422
    assert counts(client) == before
    gone = post(client, tokens, "committee", f"/api/aid/allocations/{made['id']}/discarding", {})
    assert gone.json()["state"] == "discarded"
    again = post(client, tokens, "committee", f"/api/aid/allocations/{made['id']}/approval", {})
    assert_problem(again, 409, key="allocation-not-proposed")
