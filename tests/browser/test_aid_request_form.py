"""The new-request form in a browser: the committee's choice of city fills the point."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Visit
from tests.web.officers import COMMITTEE_OFFICER


@pytest.mark.browser
def test_choosing_the_city_fills_each_lines_point_unless_typed(
    visit: Callable[[], Visit],
) -> None:
    committee = visit()
    committee.go("/login")
    committee.log_in(COMMITTEE_OFFICER)
    committee.go("/aid/requests")
    page = committee.page

    page.select_option("#req-city", "341000")
    huangshan_lon = page.input_value("#req-lon-0")
    assert huangshan_lon and abs(float(huangshan_lon) - 118.3) < 0.6
    page.fill("#req-lon-1", "118.0")
    page.fill("#req-lat-1", "29.7")
    page.select_option("#req-city", "330100")

    hangzhou_lon = float(page.input_value("#req-lon-0"))
    assert abs(hangzhou_lon - 119.9) < 0.8 and str(hangzhou_lon) != huangshan_lon
    expect(page.locator("#req-lon-1")).to_have_value("118.0")  # typed: kept
    committee.assert_self_contained()
