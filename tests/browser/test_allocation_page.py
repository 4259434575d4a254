"""The allocation page on a phone (390 px) and a desk: the committee proposes for an open
request, sees the flows on the map, edits a quantity and approves; no sideways scroll."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine

from crossrisk.store.uow import UnitOfWork
from tests.browser.conftest import Visit
from tests.browser.test_small_screens import DESKTOP, PHONE, assert_no_sideways_scroll
from tests.services.test_allocations import SHANGHAI, SUZHOU, add_stock, request
from tests.web.officers import COMMITTEE_OFFICER


@pytest.mark.browser
@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone-390", "desktop-1440"])
def test_the_committee_proposes_and_approves_on_any_screen(
    visit: Callable[[], Visit], sqlite_url: str, size: dict[str, int]
) -> None:
    engine = create_engine(sqlite_url)
    uow = UnitOfWork(engine)
    at = datetime.now(UTC)
    add_stock(uow, SUZHOU, "tent", 300, at=at)
    add_stock(uow, SHANGHAI, "tent", 200, at=at)
    request_id = request(uow, 600, at=at)
    engine.dispose()
    committee = visit()
    page = committee.page
    page.set_viewport_size(size)
    committee.log_in(COMMITTEE_OFFICER)

    committee.go("/aid/allocations/new")
    page.check(f"#request-{request_id}")
    assert_no_sideways_scroll(page, "/aid/allocations/new")
    page.click("#propose-allocation")

    # The city boundaries are a large document: a loaded machine takes its time.
    expect(page.locator("#allocation-map[data-ready=true]")).to_have_count(1, timeout=30_000)
    expect(page.locator("#allocation-map path.flow")).to_have_count(2)
    expect(page.locator("#unmet-lines li")).to_have_count(1)
    assert_no_sideways_scroll(page, "allocation page")
    page.locator("#allocation-lines tr[data-donor='320500'] input.quantity").fill("250")
    button = page.locator("#approve-allocation")
    box = button.bounding_box()
    assert box is not None and box["x"] + box["width"] <= size["width"], box
    button.click()

    expect(page.locator("#allocation-state")).to_have_text("已批准")
    expect(page.locator("#allocation-lines tr[data-donor='320500']")).to_contain_text("250")
    assert_no_sideways_scroll(page, "approved allocation")
    committee.assert_self_contained()
