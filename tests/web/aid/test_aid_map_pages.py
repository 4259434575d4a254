"""The stock and shortfall pages carry their maps: the container, the item picker, the
legend, the script and the data it draws from, in Chinese and English."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.aid.test_shortfall_pages import register_flood
from tests.web.aid.test_stock_pages import add
from tests.web.officers import COMMITTEE_OFFICER, HANGZHOU_OFFICER

LogIn = Callable[[str], str]


def map_data(html: str) -> dict[str, Any]:
    found = re.search(
        r'<script type="application/json" id="aid-map-data">(.*?)</script>', html, re.S
    )
    assert found
    return dict(json.loads(found.group(1)))


def test_the_stocks_page_carries_the_stock_map_in_chinese(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    add(app, item="tent", quantity=40)
    log_in(HANGZHOU_OFFICER)

    page = client.get("/aid/stocks")

    assert page.status_code == 200
    assert 'id="stock-map"' in page.text and 'id="stock-map-item"' in page.text
    assert "/static/js/aid-map.js" in page.text and "/static/vendor/leaflet/leaflet.js" in page.text
    assert 'id="map-config"' in page.text  # the shared map tools: rivers and labels
    assert "储备地图" in page.text and "仓库" in page.text
    data = map_data(page.text)
    assert data["map"] == "stock" and data["container"] == "stock-map"
    assert data["region"] == "yrd" and data["ownJurisdiction"] == "330100"
    assert data["boundariesUrl"] == "/api/regions/yrd/jurisdictions"
    assert data["dataUrl"] == "/api/aid/stock-map" and data["item"] == ""
    assert data["texts"]["stale"] == "待核实"
    assert '<option value="tent" data-unit="顶"' in page.text


def test_the_stock_map_starts_on_the_item_the_page_filters_by_in_english(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    log_in(HANGZHOU_OFFICER)
    client.get("/language/en")

    page = client.get("/aid/stocks?item=blanket")

    assert page.status_code == 200
    assert "Stocks on the map" in page.text and "Warehouse with a stale figure" in page.text
    data = map_data(page.text)
    assert data["item"] == "blanket" and data["texts"]["noStock"] == "No stock of this item"
    assert re.search(r'<option value="blanket" data-unit="[^"]+" selected>', page.text)


def test_the_shortfall_page_carries_the_shaded_map_of_the_short_cities(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    risk_id = register_flood(app)
    add(app, item="tent", quantity=100_000, jurisdiction="330100")
    log_in(COMMITTEE_OFFICER)

    page = client.get(f"/aid/shortfall?risk={risk_id}")

    assert page.status_code == 200
    assert 'id="shortfall-map"' in page.text and 'id="shortfall-map-legend"' in page.text
    assert "/static/js/aid-map.js" in page.text
    assert "缺口地图" in page.text and "过半未满足" in page.text
    data = map_data(page.text)
    assert data["map"] == "shortfall" and data["region"] == "yrd"
    # The first item some city is short of is shown first.
    assert data["item"] == "drinking_water"
    tents = next(entry for entry in data["items"] if entry["item"] == "tent")
    suzhou = tents["cities"]["320500"]
    assert suzhou["name"] == "苏州市" and suzhou["need"] > 0 and suzhou["stock"] == 0
    assert (suzhou["shortfall"], suzhou["shade"]) == (suzhou["need"], "most")
    hangzhou = tents["cities"]["330100"]
    assert hangzhou["shade"] in {"no-need", "none"} and hangzhou["stock"] == 100_000
    assert data["texts"]["shades"]["most"] == "过半未满足"


def test_a_what_if_shows_its_map_and_the_blank_form_none(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    csrf = log_in(HANGZHOU_OFFICER)
    client.get("/language/en")
    blank = client.get("/aid/shortfall")
    assert blank.status_code == 200 and 'id="shortfall-map"' not in blank.text

    page = client.post(
        "/aid/shortfall",
        data={
            "csrf_token": csrf,
            "region": "yrd",
            "people_330100": "1000",
            "displaced_share": "0.5",
            "days": "3",
        },
    )

    assert page.status_code == 200
    assert "Shortfall on the map" in page.text and "More than half unmet" in page.text
    data = map_data(page.text)
    water = next(entry for entry in data["items"] if entry["item"] == "drinking_water")
    assert water["cities"]["330100"]["shade"] == "most"
    assert water["cities"]["341000"]["shade"] == "no-need"
