"""Mutual aid end to end, in the browser, as issue 11 tells it.

Hangzhou asks for 5,000 tents for a flood; Shanghai and Suzhou offer; the committee runs
the allocation and approves it; each donor sees its commitment on its own page and
dispatches; Hangzhou records 3,000 and 1,800 received: Shanghai's commitment is honoured,
Suzhou's shows partial, and the request line has 4,800 received.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from crossrisk.domain.organisation import Role, system_actor
from crossrisk.domain.risk import RiskCategory
from crossrisk.services import risks, users
from crossrisk.store.db import make_engine
from crossrisk.store.uow import UnitOfWork
from tests.browser.conftest import Visit
from tests.services.test_allocations import SHANGHAI, SUZHOU, add_stock
from tests.support import actor, draft
from tests.web.officers import COMMITTEE_OFFICER, HANGZHOU_OFFICER, PASSWORD

SHANGHAI_OFFICER, SUZHOU_OFFICER = f"officer-{SHANGHAI}", f"officer-{SUZHOU}"
# Where the README's picture of the approved allocation is written, when asked for.
SCREENSHOT = os.environ.get("CROSSRISK_SCREENSHOT_AID")


def prepare(database_url: str) -> int:
    """The flood in Hangzhou, the donors' tents and their officers; the risk's id."""
    engine = make_engine(database_url)
    try:
        uow = UnitOfWork(engine)
        now = datetime.now(UTC)
        for username, city in ((SHANGHAI_OFFICER, SHANGHAI), (SUZHOU_OFFICER, SUZHOU)):
            users.add_user(
                uow,
                system_actor(),
                username=username,
                password=PASSWORD,
                organisation_code=f"ema-{city}",
                role=Role.OFFICER,
                now=now,
            )
        add_stock(uow, SHANGHAI, "tent", 3000, at=now)
        add_stock(uow, SUZHOU, "tent", 2000, at=now)
        flood = risks.register_risk(
            uow,
            actor(uow, "ema-330100"),
            draft(
                where=(120.2, 30.25),
                category=RiskCategory.NATURAL_DISASTER,
                title="钱塘江杭州段洪水",
                parameters={"radius_km": 10},
            ),
            region_code="yrd",
            now=now,
        )
        assert flood.id is not None
        return flood.id
    finally:
        engine.dispose()


def offer(visit: Callable[[], Visit], username: str, request_id: int, quantity: int) -> None:
    donor = visit()
    donor.log_in(username)
    donor.go(f"/aid/requests/{request_id}")
    line = donor.page.locator("tr.request-line").first.get_attribute("data-line")
    donor.page.locator(f"#offers-line-{line} details.offer-make summary").click()
    donor.page.fill(f"#offer-quantity-{line}", str(quantity))
    donor.page.fill(f"#offer-cost-{line}", "60000")
    donor.page.locator(f"#offer-form-{line} button[type=submit]").click()
    expect(donor.page.locator("#offers")).to_contain_text(f"{quantity:,}")
    donor.assert_self_contained()


def dispatch(visit: Callable[[], Visit], username: str, quantity: int) -> None:
    """The donor finds its commitment on its own page and dispatches all of it."""
    donor = visit()
    donor.log_in(username)
    donor.go("/aid/commitments")
    rows = donor.page.locator("#commitment-list tr.commitment-row")
    expect(rows).to_have_count(1)  # its own commitment, not the other donor's
    expect(rows).to_contain_text(f"{quantity:,}")
    commitment = rows.get_attribute("data-commitment")
    rows.locator("a").first.click()
    donor.page.fill(f"#dispatch-reference-{commitment}", f"浙A·{commitment}2345")
    donor.page.locator(f"#dispatch-form-{commitment} button[type=submit]").click()
    expect(donor.page.locator(f"#commitment-{commitment} tr.shipment")).to_have_count(1)
    donor.assert_self_contained()


@pytest.mark.browser
def test_hangzhou_asks_for_tents_the_committee_allocates_and_receipt_shows_partial(
    visit: Callable[[], Visit], sqlite_url: str
) -> None:
    flood = prepare(sqlite_url)

    # Hangzhou asks for 5,000 tents for the flood and submits the request.
    hangzhou = visit()
    hangzhou.log_in(HANGZHOU_OFFICER)
    hangzhou.go("/aid/requests")
    page = hangzhou.page
    page.fill("#req-risk", str(flood))
    page.select_option("#req-item-0", "tent")
    page.fill("#req-quantity-0", "5000")
    page.select_option("#req-priority-0", "life_sustaining")
    page.fill("#req-destination-0", "萧山区物资集结点")
    page.locator("#new-request-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/aid/requests/\d+"))
    request_id = int(page.url.rsplit("/", 1)[1].split("?")[0].split("#")[0])
    page.locator("#submit-form button").click()
    expect(page.locator("#request-head")).to_have_attribute("data-state", "submitted")

    committee = visit()
    committee.log_in(COMMITTEE_OFFICER)
    committee.go(f"/aid/requests/{request_id}")
    committee.page.locator("#approve-form button").click()
    expect(committee.page.locator("#request-head")).to_have_attribute("data-state", "approved")

    # Two cities offer what they hold.
    offer(visit, SHANGHAI_OFFICER, request_id, 3000)
    offer(visit, SUZHOU_OFFICER, request_id, 2000)

    # The committee runs the allocation and approves it.
    committee.go("/aid/allocations/new")
    committee.page.check(f"#request-{request_id}")
    committee.page.click("#propose-allocation")
    expect(committee.page.locator("#allocation-map[data-ready=true]")).to_have_count(
        1, timeout=30_000
    )
    expect(committee.page.locator("#allocation-map path.flow")).to_have_count(2)
    committee.page.click("#approve-allocation")
    expect(committee.page.locator("#allocation-state")).to_have_text("已批准")
    if SCREENSHOT:
        Path(SCREENSHOT).parent.mkdir(parents=True, exist_ok=True)
        committee.page.set_viewport_size({"width": 1440, "height": 900})
        expect(committee.page.locator("#allocation-map[data-ready=true]")).to_have_count(
            1, timeout=30_000
        )
        committee.page.wait_for_timeout(500)  # the flows' fade-in
        committee.page.screenshot(path=SCREENSHOT, full_page=True)
    committee.go(f"/aid/requests/{request_id}")
    expect(committee.page.locator("#request-head")).to_have_attribute(
        "data-state", "fully_committed"
    )
    committee.assert_self_contained()

    # Each donor sees its own commitment, and dispatches it.
    dispatch(visit, SHANGHAI_OFFICER, 3000)
    dispatch(visit, SUZHOU_OFFICER, 2000)

    # Hangzhou records what arrived: all of Shanghai's, 1,800 of Suzhou's 2,000.
    hangzhou.go(f"/aid/requests/{request_id}")
    for donor, received in ((SHANGHAI, "3000"), (SUZHOU, "1800")):
        commitment = page.locator(f"#commitments article.commitment[data-donor='{donor}']")
        shipment = commitment.locator("tr.shipment").get_attribute("data-shipment")
        page.fill(f"#receipt-quantity-{shipment}", received)
        page.locator(f"#receipt-form-{shipment} button[type=submit]").click()
        page.wait_for_load_state()

    shanghai = page.locator(f"#commitments article.commitment[data-donor='{SHANGHAI}']")
    suzhou = page.locator(f"#commitments article.commitment[data-donor='{SUZHOU}']")
    expect(shanghai).to_have_attribute("data-outcome", "honoured")
    expect(suzhou).to_have_attribute("data-outcome", "partial")
    expect(suzhou.locator(".discrepancy-badge")).to_contain_text("200")
    expect(page.locator("tr.request-line").first).to_contain_text("4,800")
    hangzhou.assert_self_contained()
