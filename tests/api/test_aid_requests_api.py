"""Mutual aid over HTTP: requests, offers, acceptance, commitments with their outcome,
dispatch and receipt; every bad input a problem with its key and nothing written."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from crossrisk.store.models import (
    AidOfferRow,
    AidRequestRow,
    CommitmentRow,
    JournalEntryRow,
    ShipmentRow,
    StockAdjustmentRow,
    StockRow,
)
from tests.support import assert_problem, auth

TABLES = (
    AidRequestRow,
    AidOfferRow,
    CommitmentRow,
    ShipmentRow,
    JournalEntryRow,
    StockRow,
    StockAdjustmentRow,
)
SITE = "萧山区物资集结点"


def soon(hours: float) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).isoformat()


def line(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "item": "tent",
        "quantity": 5000,
        "priority": "life_sustaining",
        "needed_by": soon(48),
        "destination": {"name": SITE, "lon": 120.26, "lat": 30.18},
        "substitutes": ["family_tent"],
    }
    return body | changes


def request_body(**changes: Any) -> dict[str, Any]:
    return {"region": "yrd", "jurisdiction": "330100", "lines": [line()]} | changes


def counts(client: TestClient) -> tuple[int, ...]:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with engine.connect() as connection:
        return tuple(
            connection.scalar(select(func.count()).select_from(table)) or 0 for table in TABLES
        )


def post(client: TestClient, tokens: dict[str, str], user: str, path: str, body: Any) -> Any:
    return client.post(
        path,
        content=json.dumps(body),
        headers={**auth(tokens, user), "Content-Type": "application/json"},
    )


def stocked(
    client: TestClient, tokens: dict[str, str], quantity: float, **changes: Any
) -> dict[str, Any]:
    """Huangshan's tents, which its dispatches issue (stocks follow shipments)."""
    body = {
        "region": "yrd",
        "jurisdiction": "341000",
        "item": "tent",
        "quantity": quantity,
        "warehouse": {"name": "黄山市应急物资储备库", "lon": 118.34, "lat": 29.71},
    }
    response = post(client, tokens, "huangshan", "/api/aid/stocks", body | changes)
    assert response.status_code == 201, response.text
    return dict(response.json())


def held(client: TestClient, tokens: dict[str, str], jurisdiction: str) -> dict[str, float]:
    """Tents a city holds, by warehouse and expiry."""
    response = client.get(
        "/api/aid/stocks",
        params={"region": "yrd", "jurisdiction": jurisdiction, "item": "tent"},
        headers=auth(tokens, "committee"),
    )
    assert response.status_code == 200, response.text
    return {f"{s['warehouse']['name']} {s['expires_on']}": s["quantity"] for s in response.json()}


def approved(client: TestClient, tokens: dict[str, str], **changes: Any) -> dict[str, Any]:
    made = post(client, tokens, "hangzhou", "/api/aid/requests", request_body(**changes))
    assert made.status_code == 201, made.text
    rid = made.json()["id"]
    assert post(client, tokens, "hangzhou", f"/api/aid/requests/{rid}/submission", {}).is_success
    done = post(client, tokens, "committee", f"/api/aid/requests/{rid}/approval", {})
    assert done.status_code == 200, done.text
    return dict(done.json())


def offer_body(line_id: int, quantity: float, **changes: Any) -> dict[str, Any]:
    return {
        "lines": [
            {
                "request_line": line_id,
                "quantity": quantity,
                "earliest_dispatch": soon(1),
                "estimated_arrival": soon(8),
                "cost_cny": 120000,
            }
            | changes
        ]
    }


def test_request_offer_acceptance_dispatch_and_receipt(
    client: TestClient, tokens: dict[str, str]
) -> None:
    stocked(client, tokens, 1000, expires_on="2029-03-31")
    stocked(client, tokens, 5000)
    request = approved(client, tokens)
    rid, (first_line,) = request["id"], request["lines"]
    assert request["state"] == "approved" and first_line["still_needed"] == 5000
    assert first_line["priority_rank"] == 2

    offered = post(
        client,
        tokens,
        "huangshan",
        f"/api/aid/requests/{rid}/offers",
        offer_body(first_line["id"], 3000),
    )
    assert offered.status_code == 201, offered.text
    offer = offered.json()
    assert offer["donor"] == "341000" and offer["state"] == "open"
    listed = client.get(f"/api/aid/requests/{rid}/offers", headers=auth(tokens, "hangzhou"))
    assert [o["id"] for o in listed.json()] == [offer["id"]]

    accepted = post(client, tokens, "hangzhou", f"/api/aid/offers/{offer['id']}/acceptance", {})
    assert accepted.status_code == 201, accepted.text
    (commitment,) = accepted.json()
    assert (commitment["quantity"], commitment["outcome"]) == (3000, "open")
    read = client.get(f"/api/aid/requests/{rid}", headers=auth(tokens, "committee")).json()
    assert read["state"] == "partly_committed" and read["lines"][0]["committed"] == 3000

    sent = post(
        client,
        tokens,
        "huangshan",
        f"/api/aid/commitments/{commitment['id']}/shipments",
        {"quantity": 3000, "mode": "road", "reference": "皖J 0001", "expected_arrival": soon(6)},
    )
    assert sent.status_code == 201, sent.text
    shipment = sent.json()
    # Issued first expiring first out.
    assert held(client, tokens, "341000") == {
        "黄山市应急物资储备库 2029-03-31": 0,
        "黄山市应急物资储备库 None": 3000,
    }
    moving = post(
        client, tokens, "huangshan", f"/api/aid/shipments/{shipment['id']}/in-transit", {}
    )
    assert moving.json()["state"] == "in_transit"
    got = post(
        client,
        tokens,
        "hangzhou",
        f"/api/aid/shipments/{shipment['id']}/receipt",
        {"quantity": 2900, "note": "100 顶破损"},
    )
    assert got.status_code == 200, got.text
    assert (got.json()["received_quantity"], got.json()["discrepancy"]) == (2900, 100)
    assert held(client, tokens, "330100") == {f"{SITE} None": 2900}

    mine = client.get(
        "/api/aid/commitments",
        params={"region": "yrd", "donor": "341000"},
        headers=auth(tokens, "huangshan"),
    ).json()
    assert [(c["shipped"], c["received"], c["outcome"]) for c in mine] == [(3000, 2900, "partial")]
    read = client.get(f"/api/aid/requests/{rid}", headers=auth(tokens, "hangzhou")).json()
    assert read["lines"][0]["received"] == 2900 and read["state"] == "partly_committed"
    by_state = client.get(
        "/api/aid/requests",
        params={"region": "yrd", "state": "partly_committed"},
        headers=auth(tokens, "committee"),
    ).json()
    assert [r["id"] for r in by_state] == [rid]


def test_packs_are_converted_and_drafts_hidden(client: TestClient, tokens: dict[str, str]) -> None:
    made = post(
        client,
        tokens,
        "committee",
        "/api/aid/requests",
        request_body(lines=[line(item="medical_mask", quantity=3, unit="pallet", substitutes=[])]),
    )
    assert made.status_code == 201, made.text
    assert made.json()["lines"][0]["quantity"] == 3000 and made.json()["made_by"] == "yrd-committee"
    hidden = client.get(f"/api/aid/requests/{made.json()['id']}", headers=auth(tokens, "huangshan"))
    assert_problem(hidden, 404, key="request-not-found")


@pytest.mark.parametrize(
    ("changes", "key", "status"),
    [
        ({"lines": [line(quantity=-1)]}, "quantity-negative", 422),
        ({"lines": [line(item="unicorn")]}, "unknown-item", 422),
        ({"lines": [line(unit="crate")]}, "unknown-unit", 422),
        ({"lines": [line(needed_by="2020-01-01T00:00:00+08:00")]}, "needed-by-past", 422),
        ({"lines": [line(needed_by="0001-01-01T00:00:00+14:00")]}, "time-out-of-range", 422),
        ({"lines": [line(quantity=1e300)]}, "quantity-too-large", 422),
        (
            {"lines": [line(destination={"name": "站\x00", "lon": 120, "lat": 30})]},
            "text-control",
            422,
        ),
        ({"jurisdiction": "3301\x0000"}, "code-invalid", 422),
        ({"jurisdiction": "341000"}, "aid-request-not-yours", 403),
        ({"risk_id": 2**64}, None, 422),
        ({"lines": [line(priority="urgent")]}, "unknown-priority", 422),
    ],
)
def test_bad_requests_write_nothing(
    client: TestClient,
    tokens: dict[str, str],
    changes: dict[str, Any],
    key: str | None,
    status: int,
) -> None:
    before = counts(client)
    response = post(client, tokens, "hangzhou", "/api/aid/requests", request_body(**changes))
    assert_problem(response, status, key=key)
    assert counts(client) == before


def test_nan_quantity_is_refused(client: TestClient, tokens: dict[str, str]) -> None:
    before = counts(client)
    text = json.dumps(request_body(lines=[line(quantity=float("nan"))]))
    assert "NaN" in text
    response = client.post(
        "/api/aid/requests",
        content=text,
        headers={**auth(tokens, "hangzhou"), "Content-Type": "application/json"},
    )
    assert response.status_code in (400, 422)
    assert response.headers["content-type"].startswith("application/problem+json")
    assert counts(client) == before


def test_bad_offers_and_receipts_write_nothing(client: TestClient, tokens: dict[str, str]) -> None:
    tents = stocked(client, tokens, 600)
    request = approved(client, tokens)
    rid, line_id = request["id"], request["lines"][0]["id"]
    before = counts(client)
    for user, body, key, status in (
        ("hangzhou", offer_body(line_id, 10), "offer-by-requester", 422),
        ("committee", offer_body(line_id, 10), "offer-not-permitted", 403),
        ("huangshan", offer_body(line_id, -10), "quantity-negative", 422),
        ("huangshan", offer_body(line_id, 10, item="blanket"), "item-not-acceptable", 422),
        ("huangshan", offer_body(line_id, 10, cost_cny=1e300), "cost-invalid", 422),
        ("huangshan", offer_body(2**64, 10), None, 422),
        ("huangshan", offer_body(line_id, 10, note="a\x00"), "text-control", 422),
    ):
        response = post(client, tokens, user, f"/api/aid/requests/{rid}/offers", body)
        assert_problem(response, status, key=key)
    assert_problem(
        post(client, tokens, "huangshan", f"/api/aid/requests/{2**64}/offers", offer_body(1, 1)),
        422,
    )
    assert counts(client) == before

    offer = post(
        client, tokens, "huangshan", f"/api/aid/requests/{rid}/offers", offer_body(line_id, 1000)
    ).json()
    assert_problem(
        post(client, tokens, "huangshan", f"/api/aid/offers/{offer['id']}/acceptance", {}),
        403,
        key="aid-request-not-yours",
    )
    (commitment,) = post(
        client, tokens, "committee", f"/api/aid/offers/{offer['id']}/acceptance", {}
    ).json()
    shipment = post(
        client,
        tokens,
        "huangshan",
        f"/api/aid/commitments/{commitment['id']}/shipments",
        {
            "quantity": 500,
            "mode": "road",
            "reference": "皖J 0001",
            "expected_arrival": soon(6),
            "stock_id": tents["id"],
        },
    ).json()
    before = counts(client)
    dispatch = {"mode": "road", "reference": "x", "expected_arrival": soon(6)}
    for user, path, body, key, status in (
        (
            "hangzhou",
            f"/api/aid/shipments/{shipment['id']}/receipt",
            {"quantity": 501},
            "receipt-exceeds-shipment",
            422,
        ),
        (
            "huangshan",
            f"/api/aid/shipments/{shipment['id']}/receipt",
            {"quantity": 1},
            "not-the-requester",
            403,
        ),
        (
            "hangzhou",
            f"/api/aid/commitments/{commitment['id']}/shipments",
            {"quantity": 1, "mode": "road", "reference": "x", "expected_arrival": soon(6)},
            "not-the-donor",
            403,
        ),
        (
            "huangshan",
            f"/api/aid/commitments/{commitment['id']}/shipments",
            {"quantity": 501, **dispatch},
            "shipment-exceeds-commitment",
            422,
        ),
        (
            "huangshan",
            f"/api/aid/commitments/{commitment['id']}/shipments",
            {"quantity": 101, **dispatch},
            "dispatch-exceeds-stock",
            422,
        ),
        (
            "huangshan",
            f"/api/aid/commitments/{commitment['id']}/shipments",
            {"quantity": 1, "stock_id": 2**64, **dispatch},
            None,
            422,
        ),
        (
            "huangshan",
            f"/api/aid/commitments/{commitment['id']}/shipments",
            {"quantity": 1, "stock_id": 2**31 - 1, **dispatch},
            "stock-not-found",
            404,
        ),
        (
            "hangzhou",
            f"/api/aid/shipments/{shipment['id']}/receipt",
            {"quantity": 500, "stock_id": tents["id"]},
            "stock-not-for-shipment",
            422,
        ),
        (
            "huangshan",
            f"/api/aid/commitments/{commitment['id']}/shipments",
            {"quantity": 0, "mode": "teleport", "reference": "x", "expected_arrival": soon(6)},
            "unknown-transport-mode",
            422,
        ),
    ):
        assert_problem(post(client, tokens, user, path, body), status, key=key)
    assert counts(client) == before


def test_offers_on_a_cancelled_or_closed_request_are_refused(
    client: TestClient, tokens: dict[str, str]
) -> None:
    for ending in ("cancellation", "closure"):
        request = approved(client, tokens)
        rid, line_id = request["id"], request["lines"][0]["id"]
        ended = post(
            client, tokens, "hangzhou", f"/api/aid/requests/{rid}/{ending}", {"reason": "洪水已退"}
        )
        assert ended.status_code == 200, ended.text
        before = counts(client)
        refused = post(
            client, tokens, "huangshan", f"/api/aid/requests/{rid}/offers", offer_body(line_id, 10)
        )
        assert_problem(refused, 422, key="request-not-open")
        assert counts(client) == before


def test_another_regions_committee_reads_nothing(
    client: TestClient, tokens: dict[str, str]
) -> None:
    request = approved(client, tokens)
    refused = client.get(
        f"/api/aid/requests/{request['id']}", headers=auth(tokens, "other-committee")
    )
    assert_problem(refused, 403)
    listed = client.get("/api/aid/requests", headers=auth(tokens, "other-committee")).json()
    assert listed == []
    assert_problem(
        client.get(
            "/api/aid/commitments", params={"region": "y\x00rd"}, headers=auth(tokens, "committee")
        ),
        422,
        key="code-invalid",
    )
