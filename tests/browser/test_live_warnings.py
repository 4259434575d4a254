"""Live picture: a gauge over its level warns Hangzhou, who acknowledges; all without reloading.

Two officers watch their warning inbox: Hangzhou's duty officer and the coordination office.
A reading of the Tunxi gauge (Huangshan, Xin'an River) over its yellow level is posted to
the API as a gateway would; the rule opens a risk by itself, whose flood wave reaches
Hangzhou downstream. Hangzhou's inbox shows the new warning and its officer acknowledges
it; the coordination office's inbox shows it acknowledged, and its regional map the new
risk and Hangzhou shaded in the warning's colour. No page is reloaded.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from crossrisk.store.db import make_engine
from crossrisk.store.uow import UnitOfWork
from tests.browser.conftest import Visit
from tests.monitoring_support import TUNXI_YELLOW, load_bundled_stations
from tests.support import TEST_PASSWORD

HANGZHOU_CODE = "330100"
# Where to save Hangzhou's inbox after the acknowledgement, for the README (off by default).
SCREENSHOT = os.environ.get("CROSSRISK_SCREENSHOT_WARNINGS")
# The map shades a warned city in its warning's colour (static/js/region-map.js).
WARNING_FILL = {"1": "#c8161d", "2": "#ef7d0e", "3": "#e0b90b", "4": "#1f6fb5"}


def log_in(visit: Visit, username: str) -> None:
    """Log in as one of the test users (tests/support.py TEST_USERS)."""
    visit.go("/login")
    visit.page.fill("#username", username)
    visit.page.fill("#password", TEST_PASSWORD)
    visit.page.click("#login-form button[type=submit]")
    visit.page.wait_for_url(visit.base_url + "/map")


def post_reading(visit: Visit, token: str, value: float) -> dict[str, Any]:
    """One reading of the Tunxi gauge, sent to the API as the monitoring gateway sends it."""
    reading = {
        "station": "tunxi",
        "time": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "value": value,
        "unit": "m",
    }
    response = visit.context.request.post(
        visit.base_url + "/api/observations",
        data=json.dumps(reading) + "\n",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/x-ndjson"},
    )
    assert response.ok, response.text()
    report: dict[str, Any] = response.json()
    return report


@pytest.mark.browser
def test_a_gauge_over_its_level_warns_hangzhou_live_and_the_committee_sees_the_ack(
    visit: Callable[[], Visit], sqlite_url: str, sqlite_template: Any
) -> None:
    # The live server serves this same database file; its gauges are the bundled ones.
    engine = make_engine(sqlite_url)
    load_bundled_stations(UnitOfWork(engine))
    engine.dispose()

    hangzhou = visit()
    log_in(hangzhou, "hangzhou")
    hangzhou.go("/warnings")
    committee = visit()
    log_in(committee, "committee")
    committee.go("/warnings")
    # The coordination office also keeps the regional map open, in another window.
    situation = visit()
    log_in(situation, "committee")
    for watcher in (hangzhou, committee, situation):
        expect(watcher.page.locator("#live-status")).to_have_attribute("data-state", "live")
    for watcher in (hangzhou, committee):
        expect(watcher.page.locator("#warning-inbox tr.warning-row")).to_have_count(0)
    expect(situation.page.locator("#region-map")).to_have_attribute("data-ready", "true")
    expect(situation.page.locator("#risk-list li[data-risk]")).to_have_count(0)
    expect(situation.page.locator("#map-warnings li[data-jurisdiction]")).to_have_count(0)

    report = post_reading(hangzhou, sqlite_template.tokens["huangshan"], TUNXI_YELLOW + 0.3)
    [fired] = report["fired"]
    assert fired["action"] == "opened"
    risk_id = fired["risk_id"]

    # Hangzhou's inbox shows the new warning, with its national tag and the risk.
    page = hangzhou.page
    row = page.locator(f"#warning-inbox tr.warning-row[data-recipient='{HANGZHOU_CODE}']")
    expect(row).to_have_count(1)
    expect(row.locator(".warning-level")).to_have_text(
        re.compile(r"^(红|橙|黄|蓝)色预警\[.+级/.+\]$")
    )
    expect(row.locator("td.risk a")).to_have_attribute("href", f"/risks/{risk_id}")
    expect(row.locator("td.status-cell")).to_have_text(re.compile("已发布|已送达"))

    # The committee sees the same warning, without a button: it is not the recipient.
    committee_row = committee.page.locator(
        f"#warning-inbox tr.warning-row[data-recipient='{HANGZHOU_CODE}']"
    )
    expect(committee_row).to_have_count(1)
    expect(committee_row.locator("button.ack-button")).to_have_count(0)

    row.locator("button.ack-button").click()
    expect(page.locator("#inbox-message")).to_have_text("已确认收到。")
    expect(row.locator("td.status-cell")).to_have_text("已确认")
    expect(row.locator("td.acknowledged")).to_contain_text("hangzhou")
    expect(row.locator("button.ack-button")).to_have_count(0)

    # The coordination office's page shows it acknowledged by Hangzhou, unreloaded.
    expect(committee_row.locator("td.status-cell")).to_have_text("已确认")
    expect(committee_row.locator("td.acknowledged")).to_contain_text("hangzhou")
    expect(committee_row.locator("td.acknowledged")).to_contain_text("在页面上")

    # The map shows the new risk, and Hangzhou shaded in its warning's colour.
    map_page = situation.page
    expect(map_page.locator(f"#risk-list li[data-risk='{risk_id}']")).to_have_count(1)
    expect(map_page.locator("#open-risk-count")).to_have_text("1")
    warned = map_page.locator(f"#map-warnings li[data-jurisdiction='{HANGZHOU_CODE}']")
    expect(warned).to_have_count(1)
    badge_class = row.locator(".warning-level").get_attribute("class") or ""
    level = re.search(r"warning-level-(\d)", badge_class)
    assert level is not None
    expect(warned).to_have_attribute("data-level", level.group(1))
    fill = WARNING_FILL[level.group(1)]
    expect(map_page.locator(f"#region-map path.city[fill='{fill}']")).not_to_have_count(0)

    if SCREENSHOT:
        Path(SCREENSHOT).parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOT, full_page=True)
    for watcher in (hangzhou, committee, situation):
        watcher.assert_self_contained()


@pytest.mark.browser
def test_the_committee_issues_a_warning_by_hand_on_the_risk_page(
    visit: Callable[[], Visit], sqlite_template: Any
) -> None:
    committee = visit()
    log_in(committee, "committee")
    spill = {
        "category": "accident_disaster",
        "title": "新安江苯乙烯泄漏",
        "hazard_type": "river_spill",
        "hazard_geometry": {"type": "Point", "coordinates": [118.32, 29.71]},
        "parameters": {"substance": "styrene", "mass_kg": 20000, "release_hours": 6},
        "likelihood": 3,
        "consequence": 4,
    }
    created = committee.context.request.post(
        committee.base_url + "/api/risks",
        data=json.dumps(spill),
        headers={
            "Authorization": f"Bearer {sqlite_template.tokens['huangshan']}",
            "Content-Type": "application/json",
        },
    )
    assert created.status == 201, created.text()
    risk_id = created.json()["id"]

    committee.go(f"/risks/{risk_id}")
    page = committee.page
    expect(page.locator("#live-status")).to_have_attribute("data-state", "live")
    hangzhou = page.locator(f"#risk-warnings tr[data-recipient='{HANGZHOU_CODE}']")
    expect(hangzhou.locator("a.cap-link")).to_have_attribute(
        "href", re.compile(rf"^/api/warnings/crossrisk-yrd-{risk_id}-{HANGZHOU_CODE}-1/cap$")
    )
    expect(page.locator("#risk-warnings tr[data-recipient='310000']")).to_have_count(0)

    page.select_option("#warning-recipient", "310000")
    page.select_option("#warning-level", "1")
    page.fill("#warning-instructions", "请立即关闭黄浦江取水口")
    page.click("#warning-form button[type=submit]")

    expect(page.locator("#warnings-message")).to_have_text("预警已发布。")
    shanghai = page.locator("#risk-warnings tr[data-recipient='310000']")
    expect(shanghai.locator(".warning-level")).to_have_text("红色预警[Ⅰ级/特别严重]")
    expect(shanghai.locator("details.instructions")).to_contain_text("请立即关闭黄浦江取水口")
    committee.assert_self_contained()
