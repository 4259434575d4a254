"""A spill into the Xin'an River registered on the page reaches Hangzhou; the committee confirms."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Visit
from tests.browser.maps import click_map_at
from tests.support import HUANGSHAN_TUNXI
from tests.web.officers import COMMITTEE_OFFICER, HUANGSHAN_OFFICER

TITLE = "新安江苯乙烯泄漏"
# Set to a path (e.g. docs/screenshot.png) to save the risk page with its reach.
SCREENSHOT = os.environ.get("CROSSRISK_SCREENSHOT")
SCREENSHOT_HEIGHT = 1040  # the map, the situation and the responsibility list


@pytest.mark.browser
def test_river_spill_reaches_hangzhou_and_huangshan_leads(visit: Callable[[], Visit]) -> None:
    huangshan = visit()
    page = huangshan.page
    huangshan.log_in(HUANGSHAN_OFFICER)

    # The form offers the category's hazard types and shows only the chosen model's parameters.
    huangshan.go("/risks/new")
    page.wait_for_selector("#hazard-picker[data-ready='true']")
    page.select_option("#category", "public_health")
    expect(page.locator("#hazard-type option[value=river_spill]")).to_be_disabled()
    page.select_option("#category", "accident_disaster")
    page.select_option("#hazard-type", "river_spill")
    expect(page.locator("#parameters-spill")).to_be_visible()
    expect(page.locator("#parameters-river")).to_be_hidden()
    expect(page.locator("#parameters-plume")).to_be_hidden()
    expect(page.locator("#param-spill-release_hours")).to_have_value("0")
    page.select_option("#param-spill-substance", "styrene")
    page.fill("#param-spill-mass_kg", "20000")
    page.fill("#param-spill-release_hours", "6")
    page.fill("#title", TITLE)
    page.fill("#description", "槽罐车侧翻，约 20 吨苯乙烯流入新安江。")
    longitude, latitude = HUANGSHAN_TUNXI
    click_map_at(page, "hazard-picker", longitude, latitude)
    expect(page.locator("#hazard-picker-status")).to_contain_text("黄山市")
    page.click("#risk-form button[type=submit]")
    page.wait_for_url(re.compile(r"/risks/\d+$"))
    risk_path = page.url.removeprefix(huangshan.base_url)

    # Hangzhou is downstream: in the reach with the time the limit is first exceeded, its
    # peak and the concentration curve; Huangshan, the origin, leads.
    page.wait_for_selector("#reach-map[data-ready='true']")
    hangzhou = page.locator("#reach-table tr[data-jurisdiction='330100']")
    expect(hangzhou).to_contain_text("杭州市")
    expect(hangzhou.locator("td.arrival")).to_have_text(re.compile(r"^\d+(\.\d)? 小时"))
    expect(hangzhou.locator("td.peak")).to_contain_text("毫克/升")
    expect(page.locator("#river-curves svg")).to_have_count(1)
    expect(page.locator("#lead-jurisdiction")).to_contain_text("黄山市")
    expect(page.locator("#situation")).to_contain_text("溢出")
    duties = page.locator("#responsibility-list")
    expect(duties.locator("tr.duty-lead")).to_contain_text("黄山市应急管理局")
    expect(duties).to_contain_text("杭州市应急管理局")
    # The river path, the origin and the reached cities are drawn.
    expect(page.locator("#reach-map path.footprint-spill")).not_to_have_count(0)
    expect(page.locator("#reach-map path.reach-origin")).to_have_count(1)
    expect(page.locator("#reach-map .leaflet-tooltip", has_text="杭州市")).to_be_visible()
    expect(page.locator("#confirm-form")).to_have_count(0)  # a city does not confirm
    if SCREENSHOT:
        Path(SCREENSHOT).parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=SCREENSHOT,
            full_page=True,
            clip={"x": 0, "y": 0, "width": 1280, "height": SCREENSHOT_HEIGHT},
        )
    huangshan.assert_self_contained()

    # The committee confirms the newest version of the responsibility list.
    committee = visit()
    other = committee.page
    committee.log_in(COMMITTEE_OFFICER)
    committee.go(risk_path)
    expect(other.locator("#confirmation")).to_contain_text("尚未确认")
    other.click("#confirm-form button[type=submit]")
    expect(other.locator("#confirmation")).to_contain_text(f"已由 {COMMITTEE_OFFICER}")
    expect(other.locator("#confirm-form")).to_have_count(0)
    committee.assert_self_contained()
