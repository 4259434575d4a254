"""An origin city registers and moves a risk on the pages; a neighbouring city only reads it."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Visit
from tests.browser.maps import click_map_at
from tests.support import HUANGSHAN_TUNXI
from tests.web.officers import HANGZHOU_OFFICER, HUANGSHAN_OFFICER

TITLE = "新安江苯乙烯泄漏"
REASON = "现场会商研判完成，确认影响下游千岛湖水源"


@pytest.mark.browser
def test_origin_city_registers_and_moves_a_risk_that_another_city_only_reads(
    visit: Callable[[], Visit],
) -> None:
    huangshan = visit()
    page = huangshan.page
    huangshan.log_in(HUANGSHAN_OFFICER)

    # Register by the form, placing the hazard source by a click on the map.
    huangshan.go("/risks/new")
    page.wait_for_selector("#hazard-picker[data-ready='true']")
    page.select_option("#category", "accident_disaster")
    page.fill("#title", TITLE)
    page.fill("#description", "槽罐车侧翻，约 20 吨苯乙烯流入新安江。")
    page.select_option("#likelihood", "3")
    page.select_option("#consequence", "4")
    longitude, latitude = HUANGSHAN_TUNXI
    click_map_at(page, "hazard-picker", longitude, latitude)
    expect(page.locator("#hazard-picker-status")).to_contain_text("黄山市")
    assert abs(float(page.input_value("#longitude")) - longitude) < 0.01
    assert abs(float(page.input_value("#latitude")) - latitude) < 0.01
    page.click("#risk-form button[type=submit]")
    page.wait_for_url(re.compile(r"/risks/\d+$"))
    risk_path = page.url.removeprefix(huangshan.base_url)
    expect(page.locator("#risk-title")).to_have_text(TITLE)
    expect(page.locator("#risk-status")).to_contain_text("已识别")
    page.wait_for_selector("#reach-map[data-ready='true']")

    # It is on the regional map, and its marker leads to its page.
    huangshan.go("/map")
    page.wait_for_selector("#region-map[data-ready='true']")
    marker = page.locator("path.risk-marker")
    expect(marker).to_have_count(1)
    marker.click()
    page.wait_for_url(huangshan.base_url + risk_path)

    # It is in the register.
    huangshan.go("/risks")
    expect(page.locator("table.register tbody")).to_contain_text(TITLE)

    # Identified → assessed, with the reason; the history shows who, when and why.
    huangshan.go(risk_path)
    page.select_option("#transition-to", "assessed")
    page.fill("#transition-reason", REASON)
    page.click("#transition-form button[type=submit]")
    expect(page.locator("#risk-status")).to_contain_text("已评估")
    latest = page.locator("#history tbody tr").last
    expect(latest).to_contain_text("已识别 → 已评估")
    expect(latest).to_contain_text(REASON)
    expect(latest).to_contain_text("黄山市应急管理局")

    # A click on the city shows its facts and the risk that originates there.
    huangshan.go("/map")
    page.wait_for_selector("#region-map[data-ready='true']")
    click_map_at(page, "region-map", 118.0, 30.05)  # western Huangshan, away from the marker
    panel = page.locator("#city-panel")
    expect(panel).to_contain_text("黄山市")
    expect(panel).to_contain_text("341000")
    expect(panel.locator(".neighbours a").first).to_be_visible()
    expect(panel).to_contain_text(TITLE)
    huangshan.assert_self_contained()

    # Hangzhou reads the risk but is offered no way to change it, and a crafted POST fails.
    hangzhou = visit()
    other = hangzhou.page
    hangzhou.log_in(HANGZHOU_OFFICER)
    hangzhou.go(risk_path)
    expect(other.locator("#risk-title")).to_have_text(TITLE)
    expect(other.locator("#transition-form")).to_have_count(0)
    expect(other.locator("#reassess-form")).to_have_count(0)
    expect(other.locator("#read-only-note")).to_be_visible()
    token = other.locator("form.logout input[name=csrf_token]").input_value()
    response = other.request.post(
        hangzhou.base_url + risk_path + "/transition",
        form={"csrf_token": token, "to": "treating", "reason": "越权尝试"},
    )
    assert response.status == 403
    other.reload()
    expect(other.locator("#risk-status")).to_contain_text("已评估")
    hangzhou.assert_self_contained()
