"""A refusal the warning scripts meet reads as a sentence in the page's language.

The committee keeps a risk's page open while the origin city closes the risk; issuing a
warning from the open page is then refused, and the page says why in Chinese, not the
API's English detail.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Visit
from tests.browser.test_live_warnings import log_in

CYCLE = ("assessed", "treating", "monitoring", "closed")


@pytest.mark.browser
def test_issuing_a_warning_for_a_closed_risk_is_refused_in_chinese(
    visit: Callable[[], Visit], sqlite_template: Any
) -> None:
    committee = visit()
    log_in(committee, "committee")
    api = committee.context.request
    huangshan = {
        "Authorization": f"Bearer {sqlite_template.tokens['huangshan']}",
        "Content-Type": "application/json",
    }
    spill = {
        "category": "accident_disaster",
        "title": "新安江苯乙烯泄漏",
        "hazard_type": "river_spill",
        "hazard_geometry": {"type": "Point", "coordinates": [118.32, 29.71]},
        "parameters": {"substance": "styrene", "mass_kg": 20000, "release_hours": 6},
        "likelihood": 3,
        "consequence": 4,
    }
    created = api.post(committee.base_url + "/api/risks", data=json.dumps(spill), headers=huangshan)
    assert created.status == 201, created.text()
    risk_id = created.json()["id"]
    committee.go(f"/risks/{risk_id}")
    page = committee.page
    expect(page.locator("#live-status")).to_have_attribute("data-state", "live")

    for status in CYCLE:
        moved = api.post(
            f"{committee.base_url}/api/risks/{risk_id}/transitions",
            data=json.dumps({"to": status, "reason": "处置完毕"}),
            headers=huangshan,
        )
        assert moved.ok, moved.text()

    page.select_option("#warning-recipient", "310000")
    page.select_option("#warning-level", "2")
    page.click("#warning-form button[type=submit]")

    message = page.locator("#warnings-message")
    expect(message).to_have_text("该记录已被他人修改：该风险已关闭，请先重新开启再发布预警。")
    assert re.search(r"[A-Za-z]", message.inner_text()) is None
    expect(page.locator("#risk-warnings tr[data-recipient='310000']")).to_have_count(0)
    assert committee.foreign_requests == []  # the 409 itself is the only console error
