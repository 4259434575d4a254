"""The regional fund over HTTP: a contribution, a delivery in kind on the approved
statement, a payout of what it leaves due, and the fund's book with every movement;
refusals are problem details and write nothing."""

from __future__ import annotations

from fastapi.testclient import TestClient

from crossrisk.store.models import FundMovementRow, InKindDeliveryRow, JournalEntryRow
from tests.api.test_compensation_api import HS, HZ, close, cost, spill
from tests.support import assert_problem, auth, row_counts


def approved(client: TestClient, tokens: dict[str, str]) -> int:
    """The Shapley statement of the two cities' costs: Hangzhou owes Huangshan 150,000."""
    risk_id = spill(client, tokens)
    for user, body in (
        ("huangshan", cost(HS, "300000", protects=[HS, HZ])),
        ("huangshan", cost(HS, "100000", category="equipment")),
        ("hangzhou", cost(HZ, "200000", category="commodities")),
    ):
        made = client.post(f"/api/risks/{risk_id}/costs", json=body, headers=auth(tokens, user))
        assert made.status_code == 201, made.text
    close(client, tokens, risk_id)
    made = client.post(
        f"/api/risks/{risk_id}/settlements",
        json={"rule": "shapley"},
        headers=auth(tokens, "committee"),
    )
    assert made.status_code == 201, made.text
    settlement_id = int(made.json()["id"])
    done = client.post(
        f"/api/settlements/{settlement_id}/approve", headers=auth(tokens, "committee")
    )
    assert done.status_code == 200, done.text
    return settlement_id


def delivery(**more: object) -> dict[str, object]:
    return {
        "provider": HZ,
        "recipient": HS,
        "description": "应急监测设备",
        "quantity": 2,
        "unit_value_yuan": "25000",
        "delivered_on": "2026-04-02",
        "evidence": "设备交接单",
        **more,
    }


def test_contribution_delivery_in_kind_and_payout_show_in_the_funds_book(
    client: TestClient, tokens: dict[str, str]
) -> None:
    sid = approved(client, tokens)
    committee = auth(tokens, "committee")
    given = client.post(
        "/api/regions/yrd/fund/contributions",
        json={"contributor": "ema-340000", "amount_yuan": "500000", "conditions": ["限用于补偿"]},
        headers=committee,
    )
    assert given.status_code == 201, given.text

    delivered = client.post(f"/api/settlements/{sid}/in-kind", json=delivery(), headers=committee)
    assert delivered.status_code == 201, delivered.text
    assert delivered.json()["value_fen"] == 5_000_000
    before_payout = client.get("/api/regions/yrd/fund", headers=committee).json()
    assert [(d["settlement_id"], d["payee"], d["due_fen"]) for d in before_payout["dues"]] == [
        (sid, HS, 10_000_000)
    ]
    account = client.get(f"/api/settlements/{sid}/in-kind", headers=auth(tokens, "hangzhou"))
    assert [(t["form"], t["amount_fen"]) for t in account.json()["transfers"]] == [
        ("in_kind", 5_000_000),
        ("money", 10_000_000),
    ]
    paid = client.post(
        "/api/regions/yrd/fund/payouts",
        json={"settlement_id": sid, "payee": HS, "amount_yuan": "100000", "note": "先行支付"},
        headers=committee,
    )
    assert paid.status_code == 201, paid.text
    assert paid.json()["settlement_id"] == sid and paid.json()["amount_fen"] == 10_000_000

    book = client.get("/api/regions/yrd/fund", headers=auth(tokens, "huangshan")).json()
    assert (book["received_fen"], book["paid_fen"], book["balance_fen"]) == (
        50_000_000,
        10_000_000,
        40_000_000,
    )
    assert [(m["kind"], m["party"], m["settlement_id"]) for m in book["movements"]] == [
        ("contribution", "ema-340000", None),
        ("payout", HS, sid),
    ]
    assert book["movements"][0]["conditions"] == ["限用于补偿"]
    assert [(d["description"], d["settlement_id"]) for d in book["deliveries"]] == [
        ("应急监测设备", sid)
    ]
    # 150,000 owed, 50,000 delivered in kind, 100,000 paid: nothing left due.
    assert book["dues"] == [] and book["penalties_due"] == []


def test_refused_payouts_and_deliveries_are_problems_and_write_nothing(
    client: TestClient, tokens: dict[str, str], database_url: str
) -> None:
    sid = approved(client, tokens)
    committee = auth(tokens, "committee")
    client.post(
        "/api/regions/yrd/fund/contributions",
        json={"contributor": "ema-340000", "amount_yuan": "500000"},
        headers=committee,
    )
    tables = (JournalEntryRow, FundMovementRow, InKindDeliveryRow)
    before = row_counts(database_url, *tables)

    for body, user, status, key in (
        ({"payee": HS, "amount_yuan": "150000.01"}, "committee", 422, "fund-payout-beyond-due"),
        ({"payee": HZ, "amount_yuan": "1"}, "committee", 422, "fund-payout-beyond-due"),
        ({"payee": HS, "amount_yuan": "1"}, "hangzhou", 403, "fund-not-committee"),
    ):
        answer = client.post(
            "/api/regions/yrd/fund/payouts",
            json={"settlement_id": sid, "note": "支付", **body},
            headers=auth(tokens, user),
        )
        assert_problem(answer, status, key=key)
    unpaid = client.post(
        "/api/regions/yrd/fund/payouts",
        json={"payee": HS, "amount_yuan": "1", "note": "无结算单"},
        headers=committee,
    )
    assert unpaid.status_code == 422
    for body, user, status, key in (
        (delivery(quantity=7), "committee", 422, "in-kind-beyond-due"),
        (delivery(provider=HS, recipient=HZ), "committee", 422, "in-kind-party-invalid"),
        (delivery(), "hangzhou", 403, "in-kind-not-committee"),
    ):
        answer = client.post(
            f"/api/settlements/{sid}/in-kind", json=body, headers=auth(tokens, user)
        )
        assert_problem(answer, status, key=key)
    assert row_counts(database_url, *tables) == before


def test_an_agreement_states_its_penalty_and_a_bad_one_is_refused(
    client: TestClient, tokens: dict[str, str], database_url: str
) -> None:
    from tests.agreements_support import COMMITTEE, api_body

    procedure = {"reviewer": COMMITTEE, "outcomes": ["no_fault", "compensation"]}
    made = client.post(
        "/api/agreements",
        json=api_body(accountability={**procedure, "penalty_yuan": 50000}),
        headers=auth(tokens, "committee"),
    )
    assert made.status_code == 201, made.text
    assert made.json()["text"]["accountability"]["penalty_yuan"] == 50000
    read = client.get(f"/api/agreements/{made.json()['id']}", headers=auth(tokens, "hangzhou"))
    assert read.json()["text"]["accountability"]["penalty_yuan"] == 50000

    before = row_counts(database_url, JournalEntryRow)
    for accountability in (
        {**procedure, "penalty_yuan": 0},
        {**procedure, "penalty_yuan": 12.345},
        {**procedure, "penalty_yuan": 1e13},
        {"reviewer": COMMITTEE, "outcomes": ["no_fault"], "penalty_yuan": 100},
    ):
        answer = client.post(
            "/api/agreements",
            json=api_body(accountability=accountability),
            headers=auth(tokens, "committee"),
        )
        assert_problem(answer, 422, key="agreement-penalty-invalid")
    assert row_counts(database_url, JournalEntryRow) == before
