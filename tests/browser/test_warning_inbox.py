"""The warning inbox as a duty desk uses it: what and where from, live updates, notices.

A spill on the Xin'an River in Huangshan reaches Hangzhou downstream; Hangzhou's duty
officer keeps the inbox open while the risk is registered and then raised through the API.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Visit
from tests.support import TEST_PASSWORD

HANGZHOU_CODE = "330100"
SPILL = {
    "category": "accident_disaster",
    "title": "新安江苯乙烯泄漏（蓝色）",
    "hazard_type": "river_spill",
    "hazard_geometry": {"type": "Point", "coordinates": [118.32, 29.71]},
    # 100 kg exceed styrene's limit at Hangzhou less than threefold, half a day downstream:
    # blue. Twenty tonnes are far above it within the day: orange.
    "parameters": {"release_hours": 0.5, "mass_kg": 100, "substance": "苯乙烯"},
    "likelihood": 1,
    "consequence": 1,
}


def log_in(visit: Visit, username: str) -> None:
    visit.go("/login")
    visit.page.fill("#username", username)
    visit.page.fill("#password", TEST_PASSWORD)
    visit.page.click("#login-form button[type=submit]")
    visit.page.wait_for_url(visit.base_url + "/map")


def api(visit: Visit, token: str, method: str, path: str, body: dict[str, Any]) -> Any:
    response = visit.context.request.fetch(
        visit.base_url + path,
        method=method,
        data=json.dumps(body),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert response.ok, response.text()
    return response.json()


def hangzhou_row(visit: Visit) -> Any:
    return visit.page.locator(f"#warning-inbox tr.warning-row[data-recipient='{HANGZHOU_CODE}']")


@pytest.mark.browser
def test_a_raised_risk_changes_the_rows_title_and_level_without_reload(
    visit: Callable[[], Visit], sqlite_template: Any
) -> None:
    hangzhou = visit()
    log_in(hangzhou, "hangzhou")
    hangzhou.go("/warnings")
    page = hangzhou.page
    expect(page.locator("#live-status")).to_have_attribute("data-state", "live")
    token = sqlite_template.tokens["huangshan"]
    risk = api(hangzhou, token, "POST", "/api/risks", SPILL)

    row = hangzhou_row(hangzhou)
    expect(row).to_have_count(1)
    expect(row.locator("td.risk")).to_contain_text("（蓝色）")
    expect(row.locator(".warning-level")).to_have_text("蓝色预警[Ⅳ级/一般]")
    # What and where from: the origin city, the hazard and how it travels, the lead time.
    expect(row.locator("td.origin")).to_have_text("黄山市")
    expect(row.locator("td.hazard .hazard-name")).to_have_text("水体污染：苯乙烯")
    expect(row.locator("td.hazard .pathway")).to_have_text("河网，污染物随水流向下游输移")
    expect(row.locator("td.arrival .lead-time")).to_have_text(re.compile(r"^\d+ 小时 \d+ 分钟后$"))
    before = row.locator(".warning-level").get_attribute("class")
    page.evaluate("window.__notReloaded = true")

    api(
        hangzhou,
        token,
        "PATCH",
        f"/api/risks/{risk['id']}",
        {
            "title": "新安江苯乙烯泄漏（红色）",
            "parameters": {"mass_kg": 20000},
            "reason": "泄漏量核实为 20 吨",
        },
    )
    expect(row.locator("td.risk")).to_contain_text("（红色）")
    expect(row.locator(".warning-level")).not_to_have_attribute("class", before or "")
    expect(row.locator(".warning-level")).to_have_text("橙色预警[Ⅱ级/严重]")
    expect(row.locator(".msg-type")).to_have_text("更新")
    assert page.evaluate("window.__notReloaded") is True
    hangzhou.assert_self_contained()


# Observes what the page asks of the platform: every Notification it constructs and every
# tone it starts. The real Notification and AudioContext still do their work.
OBSERVE_NOTICES = """
(() => {
  window.__notices = [];
  window.__tones = 0;
  const Real = window.Notification;
  if (Real) {
    const Observed = function (title, options) {
      window.__notices.push({ title: title, body: (options && options.body) || "" });
      return new Real(title, options);
    };
    Object.defineProperty(Observed, "permission", { get: () => Real.permission });
    Observed.requestPermission = (...args) => Real.requestPermission(...args);
    window.Notification = Observed;
  }
  const Audio = window.AudioContext;
  if (Audio) {
    const create = Audio.prototype.createOscillator;
    Audio.prototype.createOscillator = function () {
      window.__tones += 1;
      return create.call(this);
    };
  }
})();
"""


@pytest.mark.browser
def test_the_duty_desk_counts_new_warnings_in_the_title_and_notices_them_when_opted_in(
    visit: Callable[[], Visit], sqlite_template: Any
) -> None:
    hangzhou = visit()
    hangzhou.context.grant_permissions(["notifications"], origin=hangzhou.base_url)
    hangzhou.context.add_init_script(OBSERVE_NOTICES)
    log_in(hangzhou, "hangzhou")
    hangzhou.go("/warnings")
    page = hangzhou.page
    expect(page.locator("#live-status")).to_have_attribute("data-state", "live")
    title = page.title()
    assert title.startswith("预警收件箱")

    # The officer opts in to both; the choice outlives the page.
    page.check("#notice-sound")
    page.check("#notice-desktop")
    expect(page.locator("#notice-desktop")).to_be_checked()
    page.reload()
    expect(page.locator("#live-status")).to_have_attribute("data-state", "live")
    expect(page.locator("#notice-sound")).to_be_checked()
    expect(page.locator("#notice-desktop")).to_be_checked()
    assert page.evaluate("window.__tones") == 0
    assert page.evaluate("window.__notices") == []

    token = sqlite_template.tokens["huangshan"]
    api(hangzhou, token, "POST", "/api/risks", SPILL)
    row = hangzhou_row(hangzhou)
    expect(row).to_have_count(1)
    expect(page).to_have_title(f"(1) {title}")
    page.wait_for_function("window.__notices.length === 1")
    [notice] = page.evaluate("window.__notices")
    assert notice["title"] == "新预警: 蓝色预警[Ⅳ级/一般]"
    assert "杭州市" in notice["body"] and "黄山市" in notice["body"]
    assert "新安江苯乙烯泄漏（蓝色）" in notice["body"]
    assert page.evaluate("window.__tones") > 0

    # Acknowledged, it no longer counts.
    row.locator("button.ack-button").click()
    expect(row.locator("td.status-cell")).to_have_text("已确认")
    expect(page).to_have_title(title)
    hangzhou.assert_self_contained()


@pytest.mark.browser
def test_without_opting_in_the_desk_only_counts(
    visit: Callable[[], Visit], sqlite_template: Any
) -> None:
    hangzhou = visit()
    hangzhou.context.add_init_script(OBSERVE_NOTICES)
    log_in(hangzhou, "hangzhou")
    hangzhou.go("/warnings")
    page = hangzhou.page
    expect(page.locator("#live-status")).to_have_attribute("data-state", "live")
    title = page.title()
    api(hangzhou, sqlite_template.tokens["huangshan"], "POST", "/api/risks", SPILL)
    expect(hangzhou_row(hangzhou)).to_have_count(1)
    expect(page).to_have_title(f"(1) {title}")
    assert page.evaluate("window.__notices") == []
    assert page.evaluate("window.__tones") == 0
    hangzhou.assert_self_contained()
