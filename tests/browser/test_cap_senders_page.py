"""The CAP sender registry page on a phone (390 px) and a desk (1440 px): no sideways
scroll, the committee registers a sender with its certificate file and allows it a city."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Visit
from tests.browser.test_small_screens import DESKTOP, PHONE, assert_no_sideways_scroll
from tests.cap_signing import signing_key
from tests.web.officers import COMMITTEE_OFFICER


@pytest.mark.browser
@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone-390", "desktop-1440"])
def test_the_committee_keeps_its_cap_senders_on_any_screen(
    visit: Callable[[], Visit], tmp_path: Path, size: dict[str, int]
) -> None:
    certificate = tmp_path / "hsqx.pem"
    certificate.write_text(signing_key().certificate_pem, "ascii")
    committee = visit()
    page = committee.page
    page.set_viewport_size(size)
    committee.log_in(COMMITTEE_OFFICER)

    committee.go("/cap/senders")
    assert_no_sideways_scroll(page, "/cap/senders")
    page.fill("#sender", "hsqx.huangshan-meteorological-service")
    page.fill("#sender-name", "黄山市气象局")
    page.set_input_files("#certificate", str(certificate))
    page.click("#add-sender-form button[type=submit]")
    row = page.locator("#sender-list tr.sender-row")
    expect(row).to_have_count(1)
    expect(row.locator("code.fingerprint")).to_be_visible()
    page.fill("#url", "https://hsqx.example.cn/cap/an/index/of/alerts/with/a/long/path.atom")
    page.fill("#feed-name", "黄山气象 CAP")
    page.click("#add-feed-form button[type=submit]")
    expect(page.locator("#feed-list tr.feed-row")).to_have_count(1)

    page.select_option("#sender-list select[name=deliverer]", "organisation:ema-341000")
    page.click("#sender-list form.allow-form button")
    expect(row.locator(".deliverer")).to_have_count(1)
    assert_no_sideways_scroll(page, "/cap/senders with a sender and a feed")
    button = row.locator("button.danger")
    box = button.bounding_box()
    assert box is not None and box["x"] + box["width"] <= size["width"], box
