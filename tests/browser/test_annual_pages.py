"""The annual items' year view and an item's page on a phone (390 px) and a desk: the
committee adds an item, the page shows it in its quarter; no sideways scroll, offline."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Visit
from tests.browser.test_small_screens import DESKTOP, PHONE, assert_no_sideways_scroll
from tests.web.officers import COMMITTEE_OFFICER


@pytest.mark.browser
@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone-390", "desktop-1440"])
def test_the_committee_adds_an_item_on_any_screen(
    visit: Callable[[], Visit], size: dict[str, int]
) -> None:
    committee = visit()
    page = committee.page
    page.set_viewport_size(size)
    committee.log_in(COMMITTEE_OFFICER)

    committee.go("/committee/annual?year=2027")
    assert_no_sideways_scroll(page, "empty year")
    page.fill("#add-title", "长三角跨界水污染联防联控年度演练（杭州、黄山、湖州三市联合）")
    page.select_option("#add-kind", "cooperation")
    page.select_option("#add-owner", "ema-330100")
    page.fill("#add-due", "2027-06-30")
    page.click("#annual-add-form button[type=submit]")

    expect(page.locator("#quarter-2 .annual-line")).to_have_count(1)
    expect(page.locator("#count-open")).to_have_text("1")
    assert_no_sideways_scroll(page, "year with an item")
    page.click("#quarter-2 .annual-line a")
    expect(page.locator("#item-status")).to_have_text("已计划")
    assert_no_sideways_scroll(page, "item page")
    page.click("#done-form button")
    expect(page.locator("#item-status")).to_have_text("已完成")
    committee.assert_self_contained()
