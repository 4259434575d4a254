"""The demand factors page on a phone (390 px) and a desk: no sideways scroll, and the
committee saves a new version from the form."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Visit
from tests.browser.test_small_screens import DESKTOP, PHONE, assert_no_sideways_scroll
from tests.web.officers import COMMITTEE_OFFICER


@pytest.mark.browser
@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone-390", "desktop-1440"])
def test_the_committee_saves_a_version_on_any_screen(
    visit: Callable[[], Visit], size: dict[str, int]
) -> None:
    committee = visit()
    page = committee.page
    page.set_viewport_size(size)
    committee.log_in(COMMITTEE_OFFICER)

    committee.go("/aid/demand-factors")
    expect(page.locator("#factor-table tr.aid-row")).to_have_count(4)
    assert_no_sideways_scroll(page, "/aid/demand-factors")
    page.fill("#amount-water", "20")
    page.fill("#factor-reason", "高温期间提高供水标准")
    button = page.locator("#factor-form button[type=submit]")
    box = button.bounding_box()
    assert box is not None and box["x"] + box["width"] <= size["width"], box
    button.click()

    expect(page.locator("#factors-version-number")).to_contain_text("1")
    expect(page.locator("#factors-reason")).to_have_text("高温期间提高供水标准")
    expect(page.locator("#factor-table tr[data-factor=water]")).to_contain_text("20 L")
    assert_no_sideways_scroll(page, "/aid/demand-factors after saving")
