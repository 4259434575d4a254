"""Emergency stocks over HTTP: the catalogue, stocks, adjustments, the ledger and
confirmation, with problem bodies for every refusal; both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from crossrisk.store.db import make_engine
from crossrisk.store.models import StockRow
from tests.support import assert_problem, auth

STOCK: dict[str, Any] = {
    "region": "yrd",
    "jurisdiction": "330100",
    "item": "drinking_water",
    "quantity": 1200,
    "warehouse": {"name": "杭州市应急物资储备库", "lon": 120.2, "lat": 30.3},
}


def record(
    client: TestClient, tokens: dict[str, str], user: str = "hangzhou", **changes: Any
) -> dict[str, Any]:
    response = client.post("/api/aid/stocks", json={**STOCK, **changes}, headers=auth(tokens, user))
    assert response.status_code == 201, response.text
    return dict(response.json())


def stocks_seen(client: TestClient, tokens: dict[str, str], user: str, **query: str) -> list[dict]:
    response = client.get("/api/aid/stocks", params=query, headers=auth(tokens, user))
    assert response.status_code == 200, response.text
    return list(response.json())


def ledger(client: TestClient, tokens: dict[str, str], stock_id: int) -> list[dict]:
    response = client.get(f"/api/aid/stocks/{stock_id}/ledger", headers=auth(tokens, "hangzhou"))
    assert response.status_code == 200, response.text
    return list(response.json())


def test_the_catalogue_lists_items_units_and_packs(
    client: TestClient, tokens: dict[str, str]
) -> None:
    response = client.get("/api/aid/catalogue", headers=auth(tokens, "huangshan-viewer"))

    assert response.status_code == 200
    items = {item["code"]: item for item in response.json()["items"]}
    water = items["drinking_water"]
    assert (water["unit"], water["unit_zh"], water["unit_en"]) == ("L", "升", "L")
    tank = next(p for p in water["packs"] if p["code"] == "tank")
    assert (tank["content"], tank["weight_kg"], tank["volume_m3"]) == (1000, 1060, 1.2)
    assert client.get("/api/aid/catalogue").status_code == 401


def test_a_city_records_a_stock_in_packs_and_reads_it_back(
    client: TestClient, tokens: dict[str, str]
) -> None:
    made = record(client, tokens, quantity=3, unit="tank", expires_on="2027-06-30")

    assert made["quantity"] == 3000 and made["unit"] == "L"
    assert made["stale"] is False and made["confirmed_at"]
    assert (made["owner"], made["sharing"], made["expires_on"]) == (
        "ema-330100",
        "region",
        "2027-06-30",
    )
    one = client.get(f"/api/aid/stocks/{made['id']}", headers=auth(tokens, "huangshan"))
    assert one.status_code == 200 and one.json() == made
    assert [s["id"] for s in stocks_seen(client, tokens, "committee", region="yrd")] == [made["id"]]
    (opening,) = ledger(client, tokens, made["id"])
    assert (opening["reason"], opening["delta"], opening["quantity_after"]) == (
        "opening",
        3000,
        3000,
    )


def test_adjustments_change_the_quantity_and_fill_the_ledger(
    client: TestClient, tokens: dict[str, str]
) -> None:
    made = record(client, tokens)
    url = f"/api/aid/stocks/{made['id']}/adjustments"

    issued = client.post(
        url,
        json={"reason": "issued", "quantity": 200, "note": "淳安"},
        headers=auth(tokens, "hangzhou"),
    )
    received = client.post(
        url,
        json={"reason": "received", "quantity": 10, "unit": "case"},
        headers=auth(tokens, "hangzhou"),
    )

    assert issued.status_code == 201 and issued.json()["quantity"] == 1000
    assert received.status_code == 201 and received.json()["quantity"] == 1132
    assert [(line["reason"], line["delta"]) for line in ledger(client, tokens, made["id"])] == [
        ("opening", 1200),
        ("issued", -200),
        ("received", 132),
    ]


def test_confirmation_and_a_change_answer_the_stock_as_it_now_is(
    client: TestClient, tokens: dict[str, str]
) -> None:
    made = record(client, tokens, expires_on="2027-01-01")

    confirmed = client.post(
        f"/api/aid/stocks/{made['id']}/confirmation", headers=auth(tokens, "hangzhou")
    )
    changed = client.patch(
        f"/api/aid/stocks/{made['id']}",
        json={"sharing": "committee", "expires_on": None},
        headers=auth(tokens, "committee"),
    )
    kept = client.patch(
        f"/api/aid/stocks/{made['id']}",
        json={"warehouse": {"name": "萧山储备点", "lon": 120.26, "lat": 30.18}},
        headers=auth(tokens, "hangzhou"),
    )

    assert confirmed.status_code == 200 and confirmed.json()["stale"] is False
    assert confirmed.json()["confirmed_at"] >= made["confirmed_at"]
    assert changed.status_code == 200, changed.text
    assert (changed.json()["sharing"], changed.json()["expires_on"]) == ("committee", None)
    # A field left out is kept: the sharing and expiry stay as the committee set them.
    assert kept.json()["warehouse"]["name"] == "萧山储备点"
    assert (kept.json()["sharing"], kept.json()["expires_on"]) == ("committee", None)


def test_a_committee_only_stock_is_hidden_from_other_cities(
    client: TestClient, tokens: dict[str, str]
) -> None:
    shared = record(client, tokens)
    kept = record(client, tokens, item="tent", quantity=40, sharing="committee")

    assert {s["id"] for s in stocks_seen(client, tokens, "hangzhou")} == {shared["id"], kept["id"]}
    assert {s["id"] for s in stocks_seen(client, tokens, "committee")} == {shared["id"], kept["id"]}
    assert {s["id"] for s in stocks_seen(client, tokens, "huangshan")} == {shared["id"]}
    for path in ("", "/ledger"):
        hidden = client.get(
            f"/api/aid/stocks/{kept['id']}{path}", headers=auth(tokens, "huangshan")
        )
        assert_problem(hidden, 404, key="stock-not-found")


def test_the_list_filters_by_city_and_item(client: TestClient, tokens: dict[str, str]) -> None:
    water = record(client, tokens)
    tent = record(client, tokens, item="tent", quantity=40)
    theirs = record(client, tokens, "huangshan", jurisdiction="341000")

    by_city = stocks_seen(client, tokens, "committee", jurisdiction="341000")
    by_item = stocks_seen(client, tokens, "committee", item="drinking_water")

    assert [s["id"] for s in by_city] == [theirs["id"]]
    assert {s["id"] for s in by_item} == {water["id"], theirs["id"]}
    assert tent["id"] not in {s["id"] for s in by_item}


def test_another_city_cannot_write_hangzhous_stocks(
    client: TestClient, tokens: dict[str, str]
) -> None:
    made = record(client, tokens)
    huangshan = auth(tokens, "huangshan")
    stock_url = f"/api/aid/stocks/{made['id']}"

    attempts = [
        client.post("/api/aid/stocks", json=STOCK, headers=huangshan),
        client.post(
            f"{stock_url}/adjustments", json={"reason": "issued", "quantity": 1}, headers=huangshan
        ),
        client.post(f"{stock_url}/confirmation", headers=huangshan),
        client.patch(stock_url, json={"sharing": "committee"}, headers=huangshan),
        client.post("/api/aid/stocks", json=STOCK, headers=auth(tokens, "huangshan-viewer")),
    ]

    for response in attempts[:4]:
        body = assert_problem(response, 403, key="base-information-not-yours")
        assert "330100" in body["detail"]
    assert_problem(attempts[4], 403)
    assert stocks_seen(client, tokens, "committee") == [{**made, "stale": False}]
    assert len(ledger(client, tokens, made["id"])) == 1


@pytest.mark.parametrize(
    ("changes", "status", "key"),
    [
        ({"item": "unicorns"}, 422, "unknown-item"),
        ({"unit": "pallet"}, 422, "unknown-unit"),
        ({"jurisdiction": "440100"}, 403, "base-information-not-yours"),
        ({"quantity": -1}, 422, None),
        ({"quantity": 1e13}, 422, None),
        ({"quantity": "NaN"}, 422, None),
        ({"quantity": 2**70}, 422, None),
        ({"warehouse": {"name": "x", "lon": 181, "lat": 30}}, 422, None),
        ({"warehouse": {"name": "x\u0000y", "lon": 120, "lat": 30}}, 422, "text-control"),
        ({"warehouse": {"name": "x" * 201, "lon": 120, "lat": 30}}, 422, None),
        ({"expires_on": "1999-12-31"}, 422, "expiry-out-of-range"),
        ({"expires_on": "2027-02-30"}, 422, None),
        ({"sharing": "public"}, 422, None),
        ({"colour": "red"}, 422, None),
        ({"region": "pearl"}, 403, "base-information-not-yours"),
    ],
)
def test_a_bad_stock_is_refused_with_a_problem_and_nothing_is_recorded(
    client: TestClient,
    tokens: dict[str, str],
    changes: dict[str, Any],
    status: int,
    key: str | None,
) -> None:
    response = client.post(
        "/api/aid/stocks", json={**STOCK, **changes}, headers=auth(tokens, "hangzhou")
    )

    assert_problem(response, status, key=key)
    assert stocks_seen(client, tokens, "committee") == []


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ({"reason": "issued", "quantity": 1201}, "stock-below-zero"),
        ({"reason": "opening", "quantity": 1}, None),
        ({"reason": "issued", "quantity": 1, "unit": "carton"}, "unknown-unit"),
        ({"reason": "issued", "quantity": 1, "note": "a\u0000"}, "text-control"),
        ({"reason": "issued", "quantity": 1, "note": "n" * 501}, None),
        ({"reason": "issued"}, None),
    ],
)
def test_a_bad_adjustment_is_refused_and_the_ledger_is_unchanged(
    client: TestClient, tokens: dict[str, str], body: dict[str, Any], key: str | None
) -> None:
    made = record(client, tokens)

    response = client.post(
        f"/api/aid/stocks/{made['id']}/adjustments", json=body, headers=auth(tokens, "hangzhou")
    )

    assert_problem(response, 422, key=key)
    assert len(ledger(client, tokens, made["id"])) == 1
    assert stocks_seen(client, tokens, "hangzhou")[0]["quantity"] == 1200


def test_ids_and_filters_beyond_their_bounds_are_refused(
    client: TestClient, tokens: dict[str, str]
) -> None:
    hangzhou = auth(tokens, "hangzhou")

    assert_problem(
        client.get("/api/aid/stocks/99999", headers=hangzhou), 404, key="stock-not-found"
    )
    assert_problem(client.get(f"/api/aid/stocks/{2**64}", headers=hangzhou), 422)
    assert_problem(client.get("/api/aid/stocks/0/ledger", headers=hangzhou), 422)
    assert_problem(client.get("/api/aid/stocks", params={"item": "x" * 65}, headers=hangzhou), 422)
    assert_problem(
        client.get("/api/aid/stocks", params={"item": "unicorns"}, headers=hangzhou),
        422,
        key="unknown-item",
    )
    assert_problem(
        client.get("/api/aid/stocks", params={"region": "pearl"}, headers=hangzhou),
        403,
        key="region-not-readable",
    )
    # The committee keeps any member's stocks, and only a member's.
    outsider = client.post(
        "/api/aid/stocks",
        json={**STOCK, "jurisdiction": "440100"},
        headers=auth(tokens, "committee"),
    )
    assert_problem(outsider, 422, key="not-a-member")
    assert stocks_seen(client, tokens, "committee") == []


def test_a_figure_left_unconfirmed_past_the_period_is_stale_until_confirmed(
    client: TestClient, tokens: dict[str, str], database_url: str
) -> None:
    made = record(client, tokens)
    engine = make_engine(database_url)
    with engine.begin() as connection:
        connection.execute(
            update(StockRow)
            .where(StockRow.id == made["id"])
            .values(confirmed_at=datetime.now(UTC) - timedelta(days=31))
        )
    engine.dispose()

    (listed,) = stocks_seen(client, tokens, "committee")
    one = client.get(f"/api/aid/stocks/{made['id']}", headers=auth(tokens, "huangshan")).json()
    confirmed = client.post(
        f"/api/aid/stocks/{made['id']}/confirmation", headers=auth(tokens, "hangzhou")
    ).json()

    assert (listed["stale"], one["stale"], confirmed["stale"]) == (True, True, False)
    assert confirmed["confirmed_at"] > listed["confirmed_at"]
    assert stocks_seen(client, tokens, "committee")[0]["stale"] is False
