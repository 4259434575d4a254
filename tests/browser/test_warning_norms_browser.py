"""A province's duty officer, on a phone, reads the report (通报) its city received.

A deliberate release into the Xin'an River (a social-security risk) in Huangshan reaches
Hangzhou as an information report, not a colour warning. Zhejiang's emergency management
department reads the warnings to its cities: its inbox shows the row as 通报, with no
acknowledge button, at 390 px as at 1440 px.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from crossrisk.domain.organisation import Role, system_actor
from crossrisk.domain.risk import RiskCategory
from crossrisk.services import risks, users
from crossrisk.store.db import make_engine
from crossrisk.store.uow import UnitOfWork
from tests.browser.conftest import Visit
from tests.support import XINAN_SPILL, actor, draft
from tests.web.officers import PASSWORD, SEEDED_AT

ZHEJIANG = "browser-province-330000"


@pytest.mark.browser
@pytest.mark.parametrize("width, height", [(390, 844), (1440, 900)], ids=["phone", "desktop"])
def test_zhejiang_reads_hangzhous_report_on_a_phone_and_a_desk(
    visit: Callable[[], Visit], sqlite_url: str, width: int, height: int
) -> None:
    engine = make_engine(sqlite_url)
    uow = UnitOfWork(engine)
    users.add_user(
        uow,
        system_actor(),
        username=ZHEJIANG,
        password=PASSWORD,
        organisation_code="ema-330000",
        role=Role.OFFICER,
        now=SEEDED_AT,
    )
    risk = risks.register_risk(
        uow,
        actor(uow, "ema-341000"),
        draft(**{**XINAN_SPILL, "category": RiskCategory.SOCIAL_SECURITY}, title="新安江投毒"),
        region_code="yrd",
        now=datetime.now(UTC),
    )
    engine.dispose()

    zhejiang = visit()
    zhejiang.page.set_viewport_size({"width": width, "height": height})
    zhejiang.log_in(ZHEJIANG)
    zhejiang.go("/warnings")
    row = zhejiang.page.locator(f'tr[data-warning^="crossrisk-yrd-{risk.id}-330100-"]')
    expect(row).to_contain_text("通报")
    expect(row).to_contain_text("杭州市")
    expect(row).not_to_contain_text("预警[")
    expect(row.locator(".ack-button")).to_have_count(0)
    # Nothing of the row lies off the screen: the table fits or scrolls inside itself.
    page_width = zhejiang.page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= width
    zhejiang.assert_self_contained()
