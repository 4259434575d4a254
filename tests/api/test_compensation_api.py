"""Compensation over HTTP: costs recorded, a closed risk settled by two rules side by side,
one approved by the committee; refusals are problem details and write nothing."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from crossrisk.store.models import CostLineRow, JournalEntryRow, SettlementRow
from tests.support import HUANGSHAN_TUNXI, assert_problem, auth, point, row_counts

HS, HZ = "341000", "330100"


def spill(client: TestClient, tokens: dict[str, str]) -> int:
    made = client.post(
        "/api/risks",
        json={
            "region": "yrd",
            "category": "accident_disaster",
            "title": "新安江苯乙烯泄漏",
            "description": "",
            "hazard_geometry": point(HUANGSHAN_TUNXI),
            "likelihood": 3,
            "consequence": 4,
            "hazard_type": "river_spill",
        },
        headers=auth(tokens, "huangshan"),
    )
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def close(client: TestClient, tokens: dict[str, str], risk_id: int) -> None:
    for status in ("assessed", "treating", "monitoring", "closed"):
        moved = client.post(
            f"/api/risks/{risk_id}/transitions",
            json={"to": status, "reason": "处置完毕"},
            headers=auth(tokens, "huangshan"),
        )
        assert moved.status_code == 200, moved.text


def cost(party: str, yuan: str, **more: Any) -> dict[str, Any]:
    return {
        "party": party,
        "amount_yuan": yuan,
        "category": "personnel",
        "spent_on": "2026-03-02",
        "evidence": "https://example.org/invoice/12",
        **more,
    }


def test_costs_then_two_statements_side_by_side_and_one_approved(
    client: TestClient, tokens: dict[str, str]
) -> None:
    risk_id = spill(client, tokens)
    for user, body in (
        ("huangshan", cost(HS, "300000", protects=[HS, HZ])),
        ("huangshan", cost(HS, "100000", category="equipment")),
        ("hangzhou", cost(HZ, "200000", category="commodities")),
    ):
        made = client.post(f"/api/risks/{risk_id}/costs", json=body, headers=auth(tokens, user))
        assert made.status_code == 201, made.text
    listed = client.get(f"/api/risks/{risk_id}/costs", headers=auth(tokens, "hangzhou")).json()
    assert [(c["party"], c["amount_fen"]) for c in listed] == [
        (HS, 30_000_000),
        (HS, 10_000_000),
        (HZ, 20_000_000),
    ]
    early = client.post(
        f"/api/risks/{risk_id}/settlements",
        json={"rule": "shapley"},
        headers=auth(tokens, "committee"),
    )
    assert_problem(early, 409, key="settlement-risk-open")
    close(client, tokens, risk_id)

    ids = []
    for rule in ("shapley", "proportional"):
        made = client.post(
            f"/api/risks/{risk_id}/settlements",
            json={"rule": rule},
            headers=auth(tokens, "committee"),
        )
        assert made.status_code == 201, made.text
        ids.append(made.json()["id"])
    both = client.get(f"/api/risks/{risk_id}/settlements", headers=auth(tokens, "huangshan"))
    transfers = [
        [(t["payer"], t["payee"], t["amount_fen"]) for t in s["transfers"]] for s in both.json()
    ]
    assert transfers == [[(HZ, HS, 15_000_000)], [(HZ, HS, 13_333_333)]]

    refused = client.post(f"/api/settlements/{ids[0]}/approve", headers=auth(tokens, "hangzhou"))
    assert_problem(refused, 403, key="settlement-approve-not-committee")
    approved = client.post(f"/api/settlements/{ids[0]}/approve", headers=auth(tokens, "committee"))
    assert approved.status_code == 200, approved.text
    assert approved.json()["state"] == "approved"
    again = client.post(f"/api/settlements/{ids[1]}/approve", headers=auth(tokens, "committee"))
    assert_problem(again, 409, key="settlement-already-approved")


def test_bad_costs_are_problems_and_write_nothing(
    client: TestClient, tokens: dict[str, str], database_url: str
) -> None:
    risk_id = spill(client, tokens)
    tables = (JournalEntryRow, CostLineRow, SettlementRow)
    before = row_counts(database_url, *tables)
    for body, status, key in (
        (cost(HS, "-1"), 422, "cost-amount-invalid"),
        (cost(HS, "1e999999"), 422, "cost-amount-invalid"),
        (cost(HS, "5", spent_on="9999-12-31"), 422, "cost-date-invalid"),
        (cost(HS, "5", evidence="票\u0000"), None, None),
        (cost(HZ, "5"), 403, "cost-not-permitted"),
    ):
        answer = client.post(
            f"/api/risks/{risk_id}/costs", json=body, headers=auth(tokens, "huangshan")
        )
        if status is None:
            assert 400 <= answer.status_code < 500, answer.text
        else:
            assert_problem(answer, status, key=key)
    unknown = client.post(
        "/api/risks/999999/costs", json=cost(HS, "5"), headers=auth(tokens, "huangshan")
    )
    assert_problem(unknown, 404)
    assert row_counts(database_url, *tables) == before
