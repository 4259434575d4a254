"""A border section's water-quality statement on a duty officer's phone (390 px), in
Chinese and English: nothing scrolls sideways, the indicator table scrolls inside itself,
and the committee's Approve button is on the screen."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from crossrisk.services import water_quality
from crossrisk.store.db import make_engine
from crossrisk.store.uow import UnitOfWork
from tests.agreements_support import HANGZHOU, HUANGSHAN
from tests.browser.conftest import Visit
from tests.browser.test_small_screens import PHONE, assert_no_sideways_scroll
from tests.support import actor
from tests.water_quality_support import NOW, SECTION, add_section, feed, water_agreement
from tests.web.officers import COMMITTEE_OFFICER

DIRTY = {"codmn": [3.0], "nh3_n": [0.15], "tp": [0.03], "tn": [1.5]}


def proposed(database_url: str) -> int:
    engine = make_engine(database_url)
    try:
        uow = UnitOfWork(engine)
        add_section(uow)
        agreement = water_agreement(uow)
        feed(uow, DIRTY)
        statement = water_quality.settle_section(
            uow,
            actor(uow, "yrd-committee"),
            agreement.id or 0,
            station=SECTION,
            year=2025,
            upstream=HUANGSHAN,
            downstream=HANGZHOU,
            now=NOW,
        )
    finally:
        engine.dispose()
    assert statement.id is not None
    return statement.id


@pytest.mark.browser
def test_the_statement_fits_a_phone_in_both_languages(
    visit: Callable[[], Visit], sqlite_url: str
) -> None:
    settlement_id = proposed(sqlite_url)
    committee = visit()
    page = committee.page
    page.set_viewport_size(PHONE)
    committee.log_in(COMMITTEE_OFFICER)
    for language, verdict in (("zh", "上游方"), ("en", "the upstream party")):
        committee.go(f"/language/{language}?next=/settlements/{settlement_id}")
        expect(page.locator("#verdict")).to_contain_text(verdict)
        expect(page.locator("#indicators tbody tr")).to_have_count(4)
        assert_no_sideways_scroll(page, f"/settlements/{settlement_id} ({language})")
        button = page.locator("button.approve")
        expect(button).to_be_visible()
        box = button.bounding_box()
        assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    committee.assert_self_contained()
