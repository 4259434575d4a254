"""Every page works on a duty officer's phone (390 px) as on the office screen (1440 px).

Duty officers read and acknowledge warnings on a phone. On each page the document must not
scroll sideways (wide tables scroll inside themselves), log-out and the language switch
must be reachable (behind the menu button on a phone), and the map must be big enough to
point at.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from crossrisk.alerts.ack_link import ack_token
from crossrisk.domain.aid.offer import OfferLineDraft
from crossrisk.domain.aid.request import Destination, LineDraft, Priority
from crossrisk.domain.aid.stock import StockDraft, Warehouse
from crossrisk.domain.organisation import system_actor
from crossrisk.services import aid_offers, aid_requests, risks, shipments, stocks, warnings
from crossrisk.store.db import make_engine
from crossrisk.store.uow import UnitOfWork
from tests.browser.conftest import Visit
from tests.support import TEST_SECRET, XINAN_SPILL, actor, draft
from tests.web.officers import COMMITTEE_OFFICER, HANGZHOU_OFFICER

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
HANGZHOU_CODE = "330100"
MIN_PHONE_MAP_HEIGHT = 300


def register_spill(database_url: str) -> tuple[int, str]:
    """A Huangshan spill whose reach warns Hangzhou; its risk id and Hangzhou's ack link."""
    engine = make_engine(database_url)
    try:
        uow = UnitOfWork(engine)
        risk = risks.register_risk(
            uow,
            actor(uow, "ema-341000"),
            draft(**XINAN_SPILL),
            region_code="yrd",
            now=datetime.now(UTC),
        )
        assert risk.id is not None
        (message,) = [
            m
            for m in warnings.warnings_of_risk(UnitOfWork(engine), system_actor(), risk.id)
            if m.warning.recipient_code == HANGZHOU_CODE
        ]
    finally:
        engine.dispose()
    return risk.id, f"/ack/{ack_token(TEST_SECRET, message.id)}"


def request_aid(database_url: str) -> int:
    """Hangzhou's approved request for tents, 300 of them committed by Huangshan and sent."""
    engine = make_engine(database_url)
    now = datetime.now(UTC)
    try:
        uow = UnitOfWork(engine)
        hangzhou, huangshan = actor(uow, "ema-330100"), actor(uow, "ema-341000")
        made = aid_requests.draft_request(
            uow,
            hangzhou,
            region_code="yrd",
            jurisdiction_code=HANGZHOU_CODE,
            lines=[
                LineDraft(
                    item_code="tent",
                    quantity=5000,
                    priority=Priority.LIFE_SUSTAINING,
                    needed_by=now + timedelta(days=2),
                    destination=Destination(name="萧山区物资集结点", lon=120.26, lat=30.18),
                    substitutes=("family_tent",),
                )
            ],
            now=now,
        )
        assert made.id is not None and made.lines[0].id is not None
        aid_requests.submit_request(uow, hangzhou, made.id, now=now)
        aid_requests.approve_request(uow, actor(uow, "yrd-committee"), made.id, now=now)
        offer = aid_offers.make_offer(
            uow,
            huangshan,
            made.id,
            lines=[
                OfferLineDraft(
                    request_line_id=made.lines[0].id,
                    quantity=300,
                    earliest_dispatch=now,
                    estimated_arrival=now + timedelta(hours=8),
                    cost_cny=12000,
                )
            ],
            now=now,
        )
        assert offer.id is not None
        (commitment,) = aid_offers.accept_offer(uow, hangzhou, offer.id, now=now)
        stocks.record_stock(
            uow,
            huangshan,
            StockDraft(
                jurisdiction_code="341000",
                item_code="tent",
                quantity=300,
                warehouse=Warehouse(name="屯溪储备库", lon=118.32, lat=29.71),
            ),
            region_code="yrd",
            now=now,
        )
        assert commitment.id is not None
        shipments.dispatch(
            uow,
            huangshan,
            commitment.id,
            quantity=300,
            mode="road",
            reference="皖J 00001",
            expected_arrival=now + timedelta(hours=8),
            now=now,
        )
    finally:
        engine.dispose()
    return made.id


def assert_no_sideways_scroll(page: Page, where: str) -> None:
    """The document is no wider than the window: nothing to scroll to on the right."""
    # A selector can appear before the page's own stylesheet has loaded, and an unstyled
    # table is wider than a phone; measure the page as the officer sees it.
    page.wait_for_load_state("load")
    page.evaluate("() => document.fonts.ready.then(() => true)")
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    if widths["scroll"] > widths["inner"]:
        # Name the outermost elements that stick out, to say what to fix.
        wide = page.evaluate(
            """() => {
                const clipped = (e) => {
                    for (let a = e.parentElement; a; a = a.parentElement) {
                        if (getComputedStyle(a).overflowX !== 'visible') return true;
                    }
                    return false;
                };
                return [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                    .filter(e => !clipped(e))
                    .map(e => e.tagName + '#' + e.id + '.' + e.getAttribute('class'))
                    .slice(0, 8);
            }"""
        )
        pytest.fail(f"{where} scrolls sideways: {widths}; too wide: {wide}")


def assert_session_reachable(page: Page, *, phone: bool, logged_in: bool, where: str) -> None:
    """The language switch (and log-out) can be clicked, on a phone after opening the menu."""
    menu_button = page.locator(".menu-button")
    language = page.locator(".languages a[hreflang='en']")
    logout = page.locator("form.logout button")
    if phone:
        expect(menu_button, where).to_be_visible()
        expect(language, where).to_be_hidden()
        menu_button.click()
    else:
        expect(menu_button, where).to_be_hidden()
    expect(language, where).to_be_visible()
    language.click(trial=True)  # visible, enabled, not covered by anything
    if logged_in:
        expect(logout, where).to_be_visible()
        logout.click(trial=True)
        expect(page.locator("nav.primary a[href='/warnings']"), where).to_be_visible()
    assert_no_sideways_scroll(page, f"{where} with the menu open")


def assert_map_size(page: Page, map_id: str, *, phone: bool, where: str) -> None:
    """The map takes the width of a phone and a height one can point at."""
    page.wait_for_selector(f"#{map_id}[data-ready='true']")
    box = page.locator(f"#{map_id}").bounding_box()
    assert box is not None
    if phone:
        assert box["height"] >= MIN_PHONE_MAP_HEIGHT, f"{where}: the map is {box}"
        assert box["width"] >= PHONE["width"] - 60, f"{where}: the map is {box}"


@pytest.mark.browser
@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone-390", "desktop-1440"])
def test_every_page_fits_the_screen_and_keeps_the_session_reachable(
    visit: Callable[[], Visit], sqlite_url: str, size: dict[str, int]
) -> None:
    risk_id, ack_path = register_spill(sqlite_url)
    aid_request = request_aid(sqlite_url)
    phone = size == PHONE
    hangzhou = visit()
    page = hangzhou.page
    page.set_viewport_size({"width": size["width"], "height": size["height"]})

    hangzhou.go("/login")
    assert_no_sideways_scroll(page, "/login")
    assert_session_reachable(page, phone=phone, logged_in=False, where="/login")
    hangzhou.log_in(HANGZHOU_OFFICER)

    maps = {
        "/map": "region-map",
        f"/risks/{risk_id}": "reach-map",
        "/risks/new": "hazard-picker",
        "/what-if": "hazard-picker",
        "/aid/stocks": "stock-map",
    }
    pages = ["/map", "/risks", f"/risks/{risk_id}", "/risks/new", "/warnings"]
    pages += ["/what-if", "/journal", "/duties", ack_path, "/risks/999999"]
    pages += ["/aid/requests", f"/aid/requests/{aid_request}", "/aid/commitments"]
    # The register and the journal with their filters filled in, a page of each.
    pages += ["/risks?q=%E6%96%B0%E5%AE%89%E6%B1%9F&sort=level&affected=330100"]
    pages += ["/journal?action=warning.&limit=2"]
    pages += ["/account/password", "/organisations/ema-330100/channels", "/users"]
    pages += ["/aid", "/aid/stocks", "/aid/catalogue"]
    for path in pages:
        hangzhou.go(path)
        if path in maps:
            assert_map_size(page, maps[path], phone=phone, where=path)
        if path == "/warnings":
            expect(page.locator("#warning-inbox tr.warning-row")).to_have_count(1)
            # The duty officer acknowledges without hunting for the button sideways.
            button = page.locator("#warning-inbox button.ack-button").bounding_box()
            assert button is not None
            assert button["x"] + button["width"] <= size["width"], f"/warnings: {button}"
            # What and where from, in the card on a phone as in the table on a desk.
            row = page.locator("#warning-inbox tr.warning-row")
            for cell in ("td.origin", "td.hazard .pathway", "td.arrival .lead-time"):
                expect(row.locator(cell), f"/warnings {cell}").to_be_visible()
            expect(page.locator("#duty-desk")).to_be_visible()
        if path == "/risks":
            # On a phone only the search shows until one asks for the other filters.
            level = page.locator("#filter-level")
            if phone:
                expect(level).to_be_hidden()
                page.locator("label[for='more-filters']").click()
            expect(level).to_be_visible()
        if path == "/journal":
            # An entry stays a few lines high: the table scrolls, its columns keep their width.
            entry = page.locator("#journal-entries tbody tr").first.bounding_box()
            assert entry is not None and entry["height"] < 240, f"/journal: {entry}"
        if path.startswith("/risks?"):
            expect(page.locator("#filter-affected")).to_be_visible()  # chosen: kept open
        if path == "/risks/999999":
            # The error page is the point here; the browser logs its 404 as an error.
            expect(page.locator("main")).to_contain_text("999999")
            hangzhou.errors[:] = [e for e in hangzhou.errors if "404" not in e]
        assert_no_sideways_scroll(page, path)
        # The ack link's page stands alone: its token is the credential, not the session.
        logged_in = path != ack_path
        assert_session_reachable(page, phone=phone, logged_in=logged_in, where=path)

    # A what-if's result adds the reach map and its wide tables to the form.
    hangzhou.go("/what-if")
    page.wait_for_selector("#hazard-picker[data-ready='true']")
    page.select_option("#category", "accident_disaster")
    page.select_option("#hazard-type", "river_spill")
    page.fill("#longitude", "118.32")
    page.fill("#latitude", "29.71")
    page.click("#what-if-form button[type=submit]")
    expect(page.locator("#reach-table tr[data-jurisdiction='330100']")).to_have_count(1)
    assert_map_size(page, "reach-map", phone=phone, where="what-if result")
    assert_no_sideways_scroll(page, "what-if result")

    # The switch and the button work, not only show.
    if phone:
        page.locator(".menu-button").click()
    page.locator(".languages a[hreflang='en']").click()
    expect(page.locator("html")).to_have_attribute("lang", re.compile("^en"))
    assert_no_sideways_scroll(page, "what-if in English")
    if not phone:
        # The longer English header still shows who is logged in and log-out in the window.
        for width in (1280, size["width"]):
            page.set_viewport_size({"width": width, "height": size["height"]})
            who = page.locator(".who").bounding_box()
            logout = page.locator("form.logout button").bounding_box()
            assert who is not None and who["width"] >= 100, f"English at {width}: {who}"
            assert logout is not None and logout["x"] + logout["width"] <= width, logout
    if phone:
        page.locator(".menu-button").click()
    page.locator("form.logout button").click()
    page.wait_for_url(re.compile(r"/login"))
    hangzhou.assert_self_contained()


@pytest.mark.browser
def test_the_committees_fuller_header_fits_1280_px_in_both_languages(
    visit: Callable[[], Visit],
) -> None:
    committee = visit()
    page = committee.page
    page.set_viewport_size({"width": 1280, "height": 800})
    committee.log_in(COMMITTEE_OFFICER)
    for language in ("zh_CN", "en"):
        committee.go(f"/language/{language}?next=/committee")
        masthead = page.locator(".masthead").bounding_box()
        menu = page.locator(".user-menu").bounding_box()
        logout = page.locator("form.logout button").bounding_box()
        assert masthead and menu and logout
        assert logout["x"] + logout["width"] <= 1280, (language, logout)
        assert menu["y"] >= masthead["y"] and menu["y"] + menu["height"] <= masthead["height"]
        # The account link gave way to the user's own name, which leads to the same page.
        expect(page.locator(".user-menu a.own-account")).to_be_hidden()
        page.locator(".who a.username").click()
        page.wait_for_url(re.compile(r"/account/password$"))
    committee.assert_self_contained()
