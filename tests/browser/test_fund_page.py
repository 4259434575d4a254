"""The regional fund's page in Chromium: the balance chart draws, the committee records a
contribution through its form, and on a phone (390 px) nothing scrolls sideways."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from playwright.sync_api import expect

from crossrisk.domain.organisation import province_organisation_code
from crossrisk.services import fund, in_kind, settlements
from crossrisk.store.db import make_engine
from crossrisk.store.uow import UnitOfWork
from tests.browser.conftest import Visit
from tests.services.test_costs import COMMITTEE, NOW
from tests.services.test_settlements import HS, HZ, close, two_cities_ledger
from tests.support import actor
from tests.web.officers import COMMITTEE_OFFICER

PHONE = {"width": 390, "height": 844}


def kept_fund(database_url: str) -> int:
    """An approved statement, a contribution, a delivery in kind and a payout on it."""
    engine = make_engine(database_url)
    try:
        uow = UnitOfWork(engine)
        risk_id = two_cities_ledger(uow)
        close(uow, risk_id)
        committee = actor(uow, COMMITTEE)
        statement = settlements.propose(uow, committee, risk_id, rule="shapley", now=NOW)
        sid = statement.id or 0
        settlements.approve(uow, committee, sid, now=NOW)
        fund.contribute(
            uow,
            committee,
            "yrd",
            contributor=province_organisation_code("340000"),
            amount_yuan="800000",
            conditions=["仅用于新安江流域"],
            now=NOW,
        )
        in_kind.record_delivery(
            uow,
            committee,
            sid,
            provider=HZ,
            recipient=HS,
            description="应急培训名额",
            quantity=10,
            unit_value_yuan="2000",
            delivered_on=date(2026, 4, 1),
            evidence="培训签到表",
            now=NOW,
        )
        fund.pay_out(
            uow,
            committee,
            "yrd",
            settlement_id=sid,
            payee=HS,
            amount_yuan="100000",
            note="代杭州市先行支付",
            now=NOW,
        )
    finally:
        engine.dispose()
    return sid


def test_the_fund_page_draws_its_chart_and_takes_a_contribution(
    visit: Callable[[], Visit], sqlite_url: str
) -> None:
    sid = kept_fund(sqlite_url)
    committee = visit()
    committee.log_in(COMMITTEE_OFFICER)
    committee.go("/committee")
    committee.page.click('a[href="/committee/fund"]')
    page = committee.page

    expect(page.locator("#fund-chart svg")).to_have_count(1)
    expect(page.locator("#fund-chart")).to_have_attribute("data-drawn", "true")
    expect(page.locator("#fund-balance")).to_contain_text("余额 700,000.00 元")
    expect(page.locator("#payouts-table")).to_contain_text("代杭州市先行支付")
    expect(page.locator(f'#payouts-table a[href$="#statement-{sid}"]')).to_have_count(1)
    expect(page.locator("#deliveries-table")).to_contain_text("应急培训名额")
    expect(page.locator("#dues-table")).to_contain_text("30,000.00")

    page.select_option("#contribution-form select[name=contributor]", "ema-330000")
    page.fill("#contribution-form input[name=amount_yuan]", "200000")
    page.fill("#contribution-form textarea[name=conditions]", "用于钱塘江流域补偿")
    page.click("#contribution-form button[type=submit]")

    expect(page.locator("#fund-balance")).to_contain_text("余额 900,000.00 元")
    expect(page.locator("#contributions-table")).to_contain_text("用于钱塘江流域补偿")
    expect(page.locator("#fund-chart svg")).to_have_count(1)

    page.set_viewport_size(PHONE)  # type: ignore[arg-type]
    page.reload()
    expect(page.locator("#fund-chart svg")).to_have_count(1)
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["inner"], widths
    committee.go("/language/en")
    committee.go("/committee/fund?region=yrd")
    expect(page.locator("#fund-balance")).to_contain_text("balance 900,000.00 yuan")
    expect(page.locator("#fund-chart svg")).to_have_count(1)
    committee.assert_self_contained()
