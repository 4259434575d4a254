"""Mutual aid's pages: the hub, the catalogue, the stocks with their stale badge and totals,
and one stock's ledger with its adjust, confirm and change forms; in Chinese and English."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from crossrisk.domain.aid.sharing import Sharing
from crossrisk.domain.aid.stock import StockDraft, Warehouse
from crossrisk.services import stocks
from crossrisk.store.models import JournalEntryRow, StockRow
from crossrisk.store.uow import UnitOfWork
from tests.support import actor
from tests.web.officers import COMMITTEE_OFFICER, HANGZHOU_OFFICER, HUANGSHAN_OFFICER
from tests.web.page_parts import refusal, section

LogIn = Callable[[str], str]
DEPOT = Warehouse(name="杭州市应急物资储备库", lon=120.2, lat=30.3)


def add(
    app: FastAPI,
    *,
    item: str = "drinking_water",
    quantity: float = 1200,
    jurisdiction: str = "330100",
    sharing: Sharing = Sharing.REGION,
    by: str = "ema-330100",
) -> int:
    uow = UnitOfWork(app.state.engine)
    stock = stocks.record_stock(
        uow,
        actor(uow, by),
        StockDraft(
            jurisdiction_code=jurisdiction,
            item_code=item,
            quantity=quantity,
            warehouse=DEPOT,
            sharing=sharing,
        ),
        region_code="yrd",
        now=datetime.now(UTC),
    )
    assert stock.id is not None
    return stock.id


def age(app: FastAPI, stock_id: int, days: int) -> None:
    """Make a stock's last confirmation `days` old."""
    with app.state.engine.begin() as connection:
        connection.execute(
            update(StockRow)
            .where(StockRow.id == stock_id)
            .values(confirmed_at=datetime.now(UTC) - timedelta(days=days))
        )


def quantity_of(app: FastAPI, stock_id: int) -> float:
    with app.state.engine.connect() as connection:
        return float(connection.scalar(select(StockRow.quantity).where(StockRow.id == stock_id)))


def journal_size(app: FastAPI) -> int:
    with app.state.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(JournalEntryRow)))


def test_the_hub_links_every_part_of_mutual_aid_from_the_navigation(
    client: TestClient, log_in: LogIn
) -> None:
    log_in(HANGZHOU_OFFICER)

    chinese = client.get("/aid")
    client.get("/language/en")
    english = client.get("/aid")

    assert chinese.status_code == 200
    assert '<a href="/aid" aria-current="page">物资互助</a>' in chinese.text
    links = section(chinese.text, "aid-sections")
    for path in ("stocks", "catalogue", "teams", "equipment", "shelters", "shortfall", "requests"):
        assert f'href="/aid/{path}"' in links
    assert "应急物资储备" in links
    assert '<a href="/aid" aria-current="page">Mutual aid</a>' in english.text
    assert "Emergency stocks" in section(english.text, "aid-sections")


def test_the_catalogue_shows_units_and_packs_in_the_page_language(
    client: TestClient, log_in: LogIn
) -> None:
    log_in(HUANGSHAN_OFFICER)

    chinese = client.get("/aid/catalogue")
    client.get("/language/en")
    english = client.get("/aid/catalogue")

    assert chinese.status_code == 200
    assert "饮用水" in chinese.text and "水罐（1 吨）" in chinese.text
    assert "1,000 升，1,060 千克，1.2 立方米" in chinese.text
    assert "1,000 L, 1,060 kg, 1.2 m³" in english.text
    assert "Drinking water" in english.text and "tank (1 t)" in english.text


def test_stocks_are_listed_by_city_with_totals_and_a_stale_badge(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    fresh = add(app)
    old = add(app, quantity=800)
    theirs = add(app, jurisdiction="341000", quantity=500, by="ema-341000")
    age(app, old, 45)
    log_in(HANGZHOU_OFFICER)

    page = client.get("/aid/stocks")

    assert page.status_code == 200
    hangzhou = section(page.text, "stocks-330100")
    assert "杭州市" in hangzhou and "饮用水" in hangzhou and "1,200 升" in hangzhou
    assert f'data-stock="{fresh}"' in hangzhou and f'data-stock="{old}"' in hangzhou
    assert f'data-stock="{theirs}"' in section(page.text, "stocks-341000")
    assert page.text.count('class="badge stale-badge"') == 2  # the stock and its item total
    assert "待核实" in hangzhou
    totals = section(page.text, "stock-totals")
    assert "2,500 升" in totals
    assert "区域共享" in hangzhou and "杭州市应急管理局" in hangzhou
    client.get("/language/en")
    english = client.get("/aid/stocks")
    assert "Stale" in section(english.text, "stocks-330100")
    assert "2,500 L" in section(english.text, "stock-totals")
    assert "Region-wide" in english.text


def test_the_list_filters_by_city_and_item(app: FastAPI, client: TestClient, log_in: LogIn) -> None:
    add(app)
    tents = add(app, item="tent", quantity=40)
    theirs = add(app, jurisdiction="341000", quantity=500, by="ema-341000")
    log_in(COMMITTEE_OFFICER)

    by_item = client.get("/aid/stocks?item=tent")
    by_city = client.get("/aid/stocks?jurisdiction=341000")
    unknown = client.get("/aid/stocks?item=unicorns")

    assert f'data-stock="{tents}"' in by_item.text and "stocks-341000" not in by_item.text
    assert f'data-stock="{theirs}"' in by_city.text and "stocks-330100" not in by_city.text
    assert unknown.status_code == 422
    assert "unicorns" in refusal(unknown.text) and "目录" in refusal(unknown.text)


def test_a_committee_only_stock_is_not_on_another_citys_page(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    shared = add(app)
    kept = add(app, item="tent", quantity=40, sharing=Sharing.COMMITTEE)
    log_in(HUANGSHAN_OFFICER)

    page = client.get("/aid/stocks")
    direct = client.get(f"/aid/stocks/{kept}")

    assert f'data-stock="{shared}"' in page.text and f'data-stock="{kept}"' not in page.text
    assert direct.status_code == 404
    assert "不存在" in refusal(direct.text)


def test_a_city_records_a_stock_in_packs_from_the_form(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    token = log_in(HANGZHOU_OFFICER)
    form = section(client.get("/aid/stocks").text, "add-stock-form")
    assert 'value="330100"' in form and 'value="341000"' not in form

    response = client.post(
        "/aid/stocks",
        data={
            "csrf_token": token,
            "region": "yrd",
            "jurisdiction": "330100",
            "item": "drinking_water",
            "quantity": "3",
            "unit": "tank",
            "warehouse": "萧山储备点",
            "lon": "120.26",
            "lat": "30.18",
            "expires_on": "2027-06-30",
            "sharing": "committee",
        },
    )

    assert response.status_code == 303
    stock_id = int(response.headers["location"].rsplit("/", 1)[1])
    assert quantity_of(app, stock_id) == 3000
    page = client.get(response.headers["location"])
    assert "3,000 升" in section(page.text, "stock-quantity")
    assert "仅联席会议" in page.text and "2027-06-30" in page.text


def test_a_bad_form_is_refused_in_the_page_language_and_records_nothing(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    token = log_in(HANGZHOU_OFFICER)
    before = journal_size(app)
    data = {
        "csrf_token": token,
        "region": "yrd",
        "jurisdiction": "330100",
        "item": "drinking_water",
        "quantity": "3",
        "unit": "carton",
        "warehouse": "萧山储备点",
        "lon": "120.26",
        "lat": "30.18",
        "sharing": "region",
    }

    chinese = client.post("/aid/stocks", data=data)
    client.get("/language/en")
    english = client.post("/aid/stocks", data={**data, "unit": "", "lon": "east"})
    stale = client.post("/aid/stocks", data={**data, "unit": "", "csrf_token": "forged"})

    assert chinese.status_code == 400
    assert "饮用水没有" in refusal(chinese.text) and "carton" in refusal(chinese.text)
    assert 'value="萧山储备点"' in chinese.text  # what was typed stays in the form
    assert english.status_code == 400
    assert "longitude (-180 to 180)" in refusal(english.text)
    assert stale.status_code == 400 and "Reload the page" in refusal(stale.text)
    assert journal_size(app) == before


def test_another_city_sees_no_forms_and_cannot_post_to_hangzhous_stock(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    stock_id = add(app)
    token = log_in(HUANGSHAN_OFFICER)
    before = journal_size(app)

    page = client.get(f"/aid/stocks/{stock_id}")
    refused = client.post(
        f"/aid/stocks/{stock_id}/adjustments",
        data={"csrf_token": token, "reason": "issued", "quantity": "5"},
    )

    assert page.status_code == 200 and 'id="adjust-form"' not in page.text
    assert "stock-ledger" in page.text
    assert refused.status_code == 400
    assert "只有杭州市本身" in refusal(refused.text)
    assert quantity_of(app, stock_id) == 1200 and journal_size(app) == before


def test_the_keeper_adjusts_confirms_and_changes_a_stock_from_its_page(
    app: FastAPI, client: TestClient, log_in: LogIn
) -> None:
    stock_id = add(app)
    age(app, stock_id, 45)
    token = log_in(HANGZHOU_OFFICER)
    url = f"/aid/stocks/{stock_id}"
    assert "待核实" in client.get(url).text

    confirmed = client.post(f"{url}/confirmation", data={"csrf_token": token})
    assert confirmed.status_code == 303
    assert "stale-badge" not in client.get(url).text

    adjusted = client.post(
        f"{url}/adjustments",
        data={
            "csrf_token": token,
            "reason": "issued",
            "quantity": "2",
            "unit": "case",
            "note": "淳安",
        },
    )
    assert adjusted.status_code == 303 and quantity_of(app, stock_id) == 1200 - 26.4

    too_much = client.post(
        f"{url}/adjustments", data={"csrf_token": token, "reason": "damaged", "quantity": "5000"}
    )
    assert too_much.status_code == 400
    assert "不能低于零" in refusal(too_much.text)
    assert quantity_of(app, stock_id) == 1200 - 26.4

    changed = client.post(
        f"{url}/change",
        data={
            "csrf_token": token,
            "warehouse": "萧山储备点",
            "lon": "120.26",
            "lat": "30.18",
            "expires_on": "2028-01-31",
            "sharing": "region",
        },
    )
    assert changed.status_code == 303
    page = client.get(url)
    ledger = section(page.text, "stock-ledger")
    assert "发放" in ledger and "淳安" in ledger and "−26.4" in ledger and "期初" in ledger
    assert "萧山储备点" in page.text and "2028-01-31" in page.text
    client.get("/language/en")
    english = client.get(url)
    assert "Issued" in section(english.text, "stock-ledger")
    assert "Record the adjustment" in english.text


def test_a_stock_address_beyond_any_id_names_nothing(client: TestClient, log_in: LogIn) -> None:
    token = log_in(HANGZHOU_OFFICER)

    for path in (f"/aid/stocks/{2**64}", "/aid/stocks/abc", "/aid/stocks/999999"):
        assert client.get(path).status_code == 404
    assert (
        client.post(f"/aid/stocks/{2**64}/confirmation", data={"csrf_token": token}).status_code
        == 404
    )
