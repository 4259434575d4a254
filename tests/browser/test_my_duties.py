"""My duties: Hangzhou's duty officer acknowledges the warning and the duty shows done, live.

One window keeps My duties open; the worker's reminder is said on it as it is sent. In
another window the officer acknowledges the warning from the inbox. The duty's line turns
from owed to done without reloading, and the risk's page shows the same status on its
responsibility list.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from crossrisk.services import duty_reminders, risks
from crossrisk.store.db import make_engine
from crossrisk.store.uow import UnitOfWork
from tests.browser.conftest import Visit
from tests.support import XINAN_SPILL, actor, draft
from tests.web.officers import HANGZHOU_OFFICER


def register_spill(database_url: str) -> int:
    engine = make_engine(database_url)
    try:
        uow = UnitOfWork(engine)
        risk = risks.register_risk(
            uow,
            actor(uow, "ema-341000"),
            draft(**XINAN_SPILL),
            region_code="yrd",
            now=datetime.now(UTC),
        )
        assert risk.id is not None
        return risk.id
    finally:
        engine.dispose()


@pytest.mark.browser
def test_acknowledging_the_warning_shows_the_duty_done(
    visit: Callable[[], Visit], sqlite_url: str
) -> None:
    risk_id = register_spill(sqlite_url)
    desk = visit()
    desk.log_in(HANGZHOU_OFFICER)
    desk.go("/duties")
    line = desk.page.locator("#duties-table tr.duty-line[data-kind='prepare_and_acknowledge']")
    expect(line).to_have_count(1)
    expect(line).to_have_attribute("data-status", "open")
    expect(line).to_contain_text(f"风险 {risk_id}")
    expect(desk.page.locator("#live-status")).to_have_attribute("data-state", "live")
    expect(desk.page.locator("nav.primary a[href='/duties']")).to_have_attribute(
        "aria-current", "page"
    )

    # The worker reminds the open duties whose time has come; the page says so at once.
    engine = make_engine(sqlite_url)
    try:
        assert duty_reminders.send_reminders(
            UnitOfWork(engine), now=datetime.now(UTC) + timedelta(days=1)
        )
    finally:
        engine.dispose()
    expect(desk.page.locator("#duty-message")).to_be_visible()
    expect(desk.page.locator("#duty-message")).to_contain_text("即将到期")

    inbox = visit()
    inbox.log_in(HANGZHOU_OFFICER)
    inbox.go("/warnings")
    inbox.page.locator("#warning-inbox button.ack-button").click()
    expect(inbox.page.locator("#warning-inbox tr.warning-row")).to_have_attribute(
        "data-status", "acknowledged"
    )

    # The duties page hears the duty.done event and swaps its table in.
    line = desk.page.locator("#duties-table tr.duty-line[data-kind='prepare_and_acknowledge']")
    expect(line).to_have_attribute("data-status", "done")
    expect(line.locator(".duty-status")).to_have_text("已完成")

    desk.go(f"/risks/{risk_id}")
    expect(
        desk.page.locator("#responsibility-list td.duty-state[data-status='done']")
    ).to_have_count(1)
    desk.assert_self_contained()
    inbox.assert_self_contained()
