"""The teams, equipment and shelters pages on a phone (390 px) and a desk (1440 px): no
sideways scroll, the add form submits, a shelter opens from its card."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from crossrisk.domain.aid.base_record import Location
from crossrisk.domain.aid.shelter import ShelterDraft
from crossrisk.services import aid_resources
from crossrisk.store.db import make_engine
from crossrisk.store.uow import UnitOfWork
from tests.browser.conftest import Visit
from tests.browser.test_small_screens import DESKTOP, PHONE, assert_no_sideways_scroll
from tests.support import actor
from tests.web.officers import HUANGSHAN_OFFICER


def seed_shelter(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        uow = UnitOfWork(engine)
        aid_resources.record_shelter(
            uow,
            actor(uow, "ema-341000"),
            ShelterDraft(
                jurisdiction_code="341000",
                name="屯溪区体育中心应急避难场所",
                class_code="fixed_medium",
                capacity=5000,
                available=5000,
                location=Location(118.32, 29.71),
                contact="0559-2345678",
            ),
            region_code="yrd",
            now=datetime.now(UTC),
        )
    finally:
        engine.dispose()


@pytest.mark.browser
@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone-390", "desktop-1440"])
def test_a_city_keeps_its_teams_and_shelters_on_any_screen(
    visit: Callable[[], Visit], sqlite_url: str, size: dict[str, int]
) -> None:
    seed_shelter(sqlite_url)
    huangshan = visit()
    page = huangshan.page
    page.set_viewport_size(size)
    huangshan.log_in(HUANGSHAN_OFFICER)

    huangshan.go("/aid/teams")
    page.fill("#add-name", "黄山市水上救援队")
    page.select_option("#add-kind", "flood_rescue")
    page.select_option("#add-type", "3")
    page.fill("#add-headcount", "20")
    page.fill("#add-readiness", "2")
    page.fill("#add-capability-boats", "3")
    page.fill("#add-lon", "118.3")
    page.fill("#add-lat", "29.7")
    page.click("#add-team-form button[type=submit]")
    expect(page.locator("#team-list tr.aid-row")).to_have_count(1)
    assert_no_sideways_scroll(page, "/aid/teams")

    huangshan.go("/aid/equipment")
    assert_no_sideways_scroll(page, "/aid/equipment")

    huangshan.go("/aid/shelters")
    assert_no_sideways_scroll(page, "/aid/shelters")
    button = page.locator("#shelter-list form.state-form button")
    box = button.bounding_box()
    assert box is not None and box["x"] + box["width"] <= size["width"], box
    button.click()
    expect(page.locator("#shelter-list tr.aid-row")).to_have_attribute("data-state", "open")
    assert_no_sideways_scroll(page, "/aid/shelters after opening")
