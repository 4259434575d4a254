"""The stock map's data over HTTP: one item's usable stock per city and per warehouse, stale
records counted, committee-only stock counted only for those who may read it; both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import update

from crossrisk.store.db import make_engine
from crossrisk.store.models import StockRow
from tests.support import assert_problem, auth

DEPOT = {"name": "杭州市应急物资储备库", "lon": 120.2, "lat": 30.3}
XIAOSHAN = {"name": "萧山储备点", "lon": 120.26, "lat": 30.18}
TUNXI = {"name": "屯溪储备库", "lon": 118.32, "lat": 29.71}


def record(
    client: TestClient, tokens: dict[str, str], user: str = "hangzhou", **changes: Any
) -> dict[str, Any]:
    body = {
        "region": "yrd",
        "jurisdiction": "330100",
        "item": "tent",
        "quantity": 100,
        "warehouse": DEPOT,
        **changes,
    }
    response = client.post("/api/aid/stocks", json=body, headers=auth(tokens, user))
    assert response.status_code == 201, response.text
    return dict(response.json())


def stock_map(client: TestClient, tokens: dict[str, str], user: str, **query: str) -> Any:
    response = client.get("/api/aid/stock-map", params=query, headers=auth(tokens, user))
    assert response.status_code == 200, response.text
    return response.json()


def city(answer: dict[str, Any], code: str) -> dict[str, Any]:
    return dict(next(c for c in answer["cities"] if c["jurisdiction"] == code))


def age(database_url: str, stock_id: int, days: int) -> None:
    engine = make_engine(database_url)
    with engine.begin() as connection:
        connection.execute(
            update(StockRow)
            .where(StockRow.id == stock_id)
            .values(confirmed_at=datetime.now(UTC) - timedelta(days=days))
        )
    engine.dispose()


def test_the_map_totals_an_item_per_city_and_warehouse_with_stale_records_counted(
    client: TestClient, tokens: dict[str, str], database_url: str
) -> None:
    record(client, tokens, quantity=100)
    record(client, tokens, quantity=50)  # the same warehouse: one marker of 150
    old = record(client, tokens, quantity=30, warehouse=XIAOSHAN)
    record(client, tokens, "huangshan", jurisdiction="341000", quantity=20, warehouse=TUNXI)
    record(client, tokens, item="drinking_water", quantity=5000)
    record(client, tokens, quantity=999, expires_on="2001-01-01")  # expired: not usable
    age(database_url, old["id"], days=40)

    answer = stock_map(client, tokens, "huangshan-viewer", region="yrd", item="tent")

    assert (answer["region"], answer["item"], answer["unit"]) == ("yrd", "tent", "piece")
    hangzhou = city(answer, "330100")
    assert (hangzhou["name_zh"], hangzhou["name_en"]) == ("杭州市", "Hangzhou")
    assert (hangzhou["quantity"], hangzhou["records"], hangzhou["stale_records"]) == (180, 3, 1)
    assert -180 <= hangzhou["lon"] <= 180 and -90 <= hangzhou["lat"] <= 90
    huangshan = city(answer, "341000")
    assert (huangshan["quantity"], huangshan["records"], huangshan["stale_records"]) == (20, 1, 0)
    # Every member is listed, at zero where it holds none.
    assert len(answer["cities"]) > 2
    assert city(answer, "320500")["quantity"] == 0 and city(answer, "320500")["records"] == 0
    points = {(w["jurisdiction"], w["name"]): w for w in answer["warehouses"]}
    assert set(points) == {("330100", DEPOT["name"]), ("330100", XIAOSHAN["name"]),
                           ("341000", TUNXI["name"])}  # fmt: skip
    depot = points[("330100", DEPOT["name"])]
    assert (depot["quantity"], depot["records"], depot["stale"]) == (150, 2, False)
    assert (depot["lon"], depot["lat"]) == (120.2, 30.3)
    xiaoshan = points[("330100", XIAOSHAN["name"])]
    assert (xiaoshan["quantity"], xiaoshan["stale_records"], xiaoshan["stale"]) == (30, 1, True)
    assert answer["items_in_stock"] == ["drinking_water", "tent"]


def test_without_an_item_the_map_shows_the_first_item_in_stock(
    client: TestClient, tokens: dict[str, str]
) -> None:
    empty = stock_map(client, tokens, "hangzhou")
    assert (empty["item"], empty["unit"], empty["items_in_stock"]) == (None, None, [])
    assert empty["warehouses"] == [] and all(c["quantity"] == 0 for c in empty["cities"])

    record(client, tokens, item="blanket", quantity=300)
    record(client, tokens, item="tent", quantity=10)

    # The catalogue lists tents before blankets: the first item in stock is the tent.
    answer = stock_map(client, tokens, "hangzhou")
    assert (answer["item"], answer["items_in_stock"]) == ("tent", ["tent", "blanket"])
    assert city(answer, "330100")["quantity"] == 10


def test_a_committee_only_stock_counts_only_for_its_city_and_the_committee(
    client: TestClient, tokens: dict[str, str]
) -> None:
    record(client, tokens, quantity=100)
    record(client, tokens, quantity=40, sharing="committee", warehouse=XIAOSHAN)

    own = stock_map(client, tokens, "hangzhou", item="tent")
    committee = stock_map(client, tokens, "committee", item="tent")
    other = stock_map(client, tokens, "huangshan", item="tent")

    assert city(own, "330100")["quantity"] == 140
    assert city(committee, "330100")["quantity"] == 140
    assert (city(other, "330100")["quantity"], city(other, "330100")["records"]) == (100, 1)
    assert [w["name"] for w in other["warehouses"]] == [DEPOT["name"]]
    assert len(committee["warehouses"]) == 2


def test_a_committee_only_item_is_not_offered_as_in_stock_to_another_city(
    client: TestClient, tokens: dict[str, str]
) -> None:
    record(client, tokens, item="tent", quantity=40, sharing="committee")

    other = stock_map(client, tokens, "huangshan")

    assert (other["item"], other["items_in_stock"]) == (None, [])
    assert stock_map(client, tokens, "committee")["item"] == "tent"


def test_bad_questions_are_refused_with_a_problem(
    client: TestClient, tokens: dict[str, str]
) -> None:
    def asked(user: str, **query: str) -> Any:
        return client.get("/api/aid/stock-map", params=query, headers=auth(tokens, user))

    assert_problem(asked("hangzhou", item="unicorn"), 422, key="unknown-item")
    assert_problem(asked("hangzhou", item="tent\x00"), 422, key="unknown-item")
    assert_problem(asked("hangzhou", region="pearl"), 403, key="region-not-readable")
    assert_problem(asked("central"), 422, key="region-required")
    assert_problem(asked("central", region="nowhere"), 404)
    assert_problem(asked("central", region="yrd\x00"), 422, key="text-nul")
    assert asked("hangzhou", item="x" * 65).status_code == 422
    assert asked("hangzhou", region="x" * 65).status_code == 422
    assert client.get("/api/aid/stock-map").status_code == 401
