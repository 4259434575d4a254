"""Mutual aid's maps in Chromium, on a 390 px phone: the stock map draws a circle per city
with stock and a square per warehouse, the stale one set apart; the shortfall map of a
what-if shades the city left short. Offline: nothing is fetched from another host."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from crossrisk.domain.aid.sharing import Sharing
from crossrisk.domain.aid.stock import StockDraft, Warehouse
from crossrisk.services import stocks
from crossrisk.store.db import make_engine
from crossrisk.store.models import StockRow
from crossrisk.store.uow import UnitOfWork
from tests.browser.conftest import Visit
from tests.browser.test_small_screens import PHONE, assert_no_sideways_scroll
from tests.support import actor
from tests.web.officers import HANGZHOU_OFFICER

HANGZHOU_DEPOT = Warehouse(name="杭州市应急物资储备库", lon=120.2, lat=30.3)
XIAOSHAN = Warehouse(name="萧山储备点", lon=120.26, lat=30.18)
TUNXI = Warehouse(name="屯溪储备库", lon=118.32, lat=29.71)
LOADING_MS = 30_000


def seed_tents(database_url: str) -> None:
    """Tents in Hangzhou (two warehouses, one figure stale) and Huangshan; a committee-only
    stock of Suzhou that Hangzhou must not see."""
    engine = make_engine(database_url)
    try:
        uow = UnitOfWork(engine)
        now = datetime.now(UTC)
        made = []
        for by, city, depot, quantity, sharing in (
            ("ema-330100", "330100", HANGZHOU_DEPOT, 400, Sharing.REGION),
            ("ema-330100", "330100", XIAOSHAN, 100, Sharing.REGION),
            ("ema-341000", "341000", TUNXI, 100, Sharing.REGION),
            ("ema-320500", "320500", TUNXI, 900, Sharing.COMMITTEE),
        ):
            made.append(
                stocks.record_stock(
                    uow,
                    actor(uow, by),
                    StockDraft(
                        jurisdiction_code=city,
                        item_code="tent",
                        quantity=quantity,
                        warehouse=depot,
                        sharing=sharing,
                    ),
                    region_code="yrd",
                    now=now,
                )
            )
        with engine.begin() as connection:
            connection.execute(
                update(StockRow)
                .where(StockRow.id == made[1].id)
                .values(confirmed_at=now - timedelta(days=90))
            )
    finally:
        engine.dispose()


@pytest.mark.browser
def test_the_stock_map_circles_each_city_with_stock_and_the_shortfall_map_shades_the_short(
    visit: Callable[[], Visit], sqlite_url: str
) -> None:
    seed_tents(sqlite_url)
    hangzhou = visit()
    page = hangzhou.page
    page.set_viewport_size(PHONE)
    hangzhou.log_in(HANGZHOU_OFFICER)

    hangzhou.go("/aid/stocks")
    stock_map = page.locator("#stock-map")
    # The boundaries are a few megabytes: on a busy machine they take seconds to arrive.
    expect(stock_map).to_have_attribute("data-ready", "true", timeout=LOADING_MS)
    expect(stock_map).to_have_attribute("data-item", "tent")
    # Hangzhou and Huangshan: Suzhou's committee-only tents are not Hangzhou's to see.
    circles = page.locator("#stock-map path.stock-circle")
    expect(circles).to_have_count(2)
    assert sorted(circles.evaluate_all("els => els.map(e => e.dataset.code)")) == [
        "330100",
        "341000",
    ]
    # Area grows with the quantity: Hangzhou's 500 against Huangshan's 100.
    sizes = {
        code: page.locator(f'#stock-map path.stock-circle[data-code="{code}"]').bounding_box()
        for code in ("330100", "341000")
    }
    assert all(sizes.values())
    assert sizes["330100"]["width"] > 2 * sizes["341000"]["width"]  # type: ignore[index]
    expect(page.locator("#stock-map path.stock-circle-stale")).to_have_count(1)
    expect(page.locator('#stock-map path.stock-circle-stale[data-code="330100"]')).to_have_count(1)
    expect(page.locator("#stock-map .warehouse-marker")).to_have_count(3)
    expect(page.locator("#stock-map .warehouse-marker.warehouse-stale")).to_have_count(1)
    page.locator('#stock-map path.stock-circle[data-code="330100"]').hover()
    tooltip = page.locator(".leaflet-tooltip-pane .leaflet-tooltip").last
    expect(tooltip).to_contain_text("杭州市")
    expect(tooltip).to_contain_text("500")
    expect(tooltip).to_contain_text("其中 1 条待核实")
    box = stock_map.bounding_box()
    assert box is not None and box["width"] >= PHONE["width"] - 60 and box["height"] >= 300
    assert_no_sideways_scroll(page, "/aid/stocks")

    # An item no city holds: no circle, and the page says so.
    page.select_option("#stock-map-item", "blanket")
    expect(stock_map).to_have_attribute("data-item", "blanket")
    expect(stock_map).to_have_attribute("data-ready", "true")
    expect(circles).to_have_count(0)
    expect(page.locator("#stock-map-status")).to_contain_text("均无此物资储备")

    hangzhou.go("/aid/shortfall")
    page.fill('input[name="people_330100"]', "20000")
    page.fill('input[name="displaced_share"]', "0.5")
    page.fill('input[name="days"]', "3")
    page.click("#shortfall-form button[type=submit]")
    shortfall_map = page.locator("#shortfall-map")
    expect(shortfall_map).to_have_attribute("data-ready", "true", timeout=LOADING_MS)
    page.select_option("#shortfall-map-item", "tent")
    expect(shortfall_map).to_have_attribute("data-item", "tent")
    # 10,000 displaced need 10,000 × 3.5 m² of tents; Hangzhou's 500 tents leave most unmet.
    short = page.locator('#shortfall-map path[data-code="330100"]')
    expect(short).to_have_attribute("data-shade", "most")
    assert short.evaluate("e => e.getAttribute('fill')") == "#d9534f"
    expect(page.locator('#shortfall-map path[data-code="341000"]')).to_have_attribute(
        "data-shade", "no-need"
    )
    short.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("杭州市")
    expect(popup).to_contain_text("过半未满足")
    assert_no_sideways_scroll(page, "/aid/shortfall")
    hangzhou.assert_self_contained()
