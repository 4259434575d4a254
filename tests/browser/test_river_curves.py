"""A spill's concentration curves and a flood wave's hydrographs drawn on the risk page.

The river models are replaced by reaches of known figures (tests/web/risks/river_reaches),
so the chart is checked on what the test chose: a log axis spanning the spill's orders of
magnitude, the limit drawn as a line of its own, a legend by city, on a 390 px phone.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from playwright.sync_api import expect

from crossrisk.domain.risk import RiskCategory
from crossrisk.services import analysis, risks
from crossrisk.store.db import make_engine
from crossrisk.store.uow import UnitOfWork
from tests.browser.conftest import Visit
from tests.browser.test_small_screens import PHONE, assert_no_sideways_scroll
from tests.support import XINAN_SPILL, actor, draft
from tests.web.officers import HUANGSHAN_OFFICER
from tests.web.risks.river_reaches import fake_compute_reach

# Where to save the phone's chart for a look by eye (CROSSRISK_CURVES_PNG=/tmp/curves.png).
SCREENSHOTS = os.environ.get("CROSSRISK_CURVES_PNG")


@pytest.fixture(autouse=True)
def river_models(monkeypatch: pytest.MonkeyPatch) -> None:
    # The live server runs in this process, so it computes with the fake reaches too.
    monkeypatch.setattr(analysis, "compute_reach", fake_compute_reach)


def registered(database_url: str, **changes: Any) -> int:
    engine = make_engine(database_url)
    try:
        uow = UnitOfWork(engine)
        risk = risks.register_risk(
            uow,
            actor(uow, "ema-341000"),
            draft(**{**XINAN_SPILL, **changes}),
            region_code="yrd",
            now=datetime.now(UTC),
        )
    finally:
        engine.dispose()
    assert risk.id is not None
    return risk.id


@pytest.mark.browser
def test_spill_curves_are_readable_on_a_phone(visit: Callable[[], Visit], sqlite_url: str) -> None:
    risk_id = registered(
        sqlite_url, parameters={"substance": "styrene", "mass_kg": 20000, "release_hours": 2}
    )
    huangshan = visit()
    page = huangshan.page
    page.set_viewport_size({"width": PHONE["width"], "height": PHONE["height"]})
    huangshan.log_in(HUANGSHAN_OFFICER)
    huangshan.go(f"/risks/{risk_id}")

    chart = page.locator("#river-curves")
    expect(chart.locator("svg")).to_have_count(1)
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box is not None and box["width"] <= PHONE["width"] and box["height"] >= 300
    # Legend by city and the limit as an entry of its own; the log axis counts in decades.
    for text in ("黄山市", "杭州市", "限值 0.02 毫克/升"):
        expect(chart.get_by_text(text, exact=True).first).to_be_attached()
    labels = chart.locator("svg text").all_text_contents()
    assert {"0.01", "1", "100"} <= set(labels), labels
    assert_no_sideways_scroll(page, f"/risks/{risk_id}")
    huangshan.assert_self_contained()
    if SCREENSHOTS:
        chart.screenshot(path=SCREENSHOTS)


@pytest.mark.browser
def test_flood_hydrographs_are_drawn_with_base_flow(
    visit: Callable[[], Visit], sqlite_url: str
) -> None:
    risk_id = registered(
        sqlite_url,
        category=RiskCategory.NATURAL_DISASTER,
        hazard_type="flood_wave",
        parameters={"peak_discharge_m3_s": 2000},
    )
    huangshan = visit()
    huangshan.log_in(HUANGSHAN_OFFICER)
    huangshan.go(f"/risks/{risk_id}")
    chart = huangshan.page.locator("#river-curves")
    expect(chart.locator("svg")).to_have_count(1)
    expect(chart.get_by_text("杭州市", exact=True).first).to_be_attached()
    huangshan.assert_self_contained()
