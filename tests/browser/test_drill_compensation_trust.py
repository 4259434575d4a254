"""After a drill, its costs settled and its conduct in trust, in the browser (issue 15).

The committee reads Hangzhou's trust score, then runs the bundled Xin'an styrene drill at
full speed (Hangzhou acknowledges its warning three hours late; the drill closes its
risk). On the drill risk's compensation page Huangshan and Hangzhou record their costs,
the committee draws up a Shapley and a proportional statement side by side and approves
the Shapley one. Hangzhou's trust score is then lower than before, and its evidence lists
the late acknowledgement, marked as the drill's, with links to its journal entries.

The costs: Huangshan's 600,000 yuan of booms at Tunxi protect both cities, Hangzhou's
200,000 yuan switch of its water intake protects Hangzhou alone. Stand alone, Huangshan
needs 600,000 and Hangzhou 800,000 yuan; the joint cost is 800,000.
- Shapley (the airport game): the booms split evenly, the intake Hangzhou's: Huangshan is
  due 300,000, Hangzhou 500,000; Hangzhou pays Huangshan 300,000.
- Proportional to the stand-alone costs, 6 : 8 of 800,000: Huangshan 342,857.14 and
  Hangzhou 457,142.86; Hangzhou pays Huangshan 257,142.86.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from playwright.sync_api import Page, expect

from crossrisk.locale import DISPLAY_ZONE
from tests.browser.conftest import Visit
from tests.browser.test_small_screens import PHONE, assert_no_sideways_scroll
from tests.web.officers import COMMITTEE_OFFICER, HANGZHOU_OFFICER, HUANGSHAN_OFFICER

HANGZHOU = "ema-330100"
HS, HZ = "341000", "330100"


def trust_score(page: Page) -> float:
    score = page.locator("#trust-score").get_attribute("data-score")
    assert score is not None
    return float(score)


def record_cost(page: Page, *, party: str, yuan: str, protects: tuple[str, ...]) -> None:
    form = page.locator("#cost-form")
    form.locator("select[name=party]").select_option(party)
    form.locator("input[name=amount_yuan]").fill(yuan)
    form.locator("select[name=category]").select_option("equipment")
    form.locator("input[name=spent_on]").fill(datetime.now(DISPLAY_ZONE).date().isoformat())
    form.locator("select[name=kind]").select_option("own_response")
    for code in protects:
        form.locator(f"input[name=protects][value='{code}']").check()
    form.locator("textarea[name=evidence]").fill("演练费用清单")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/compensation**")


def propose(page: Page, rule: str) -> None:
    form = page.locator("#settle-form")
    form.locator("select[name=rule]").select_option(rule)
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/compensation**")


def test_after_the_xinan_drill_costs_settle_two_ways_and_hangzhous_trust_falls(
    visit: Callable[[], Visit],
) -> None:
    committee = visit()
    committee.log_in(COMMITTEE_OFFICER)
    page = committee.page

    # Before the drill Hangzhou has no evidence: the prior.
    committee.go(f"/trust/{HANGZHOU}")
    before = trust_score(page)
    expect(page.locator("#no-evidence")).to_be_visible()

    committee.go("/drills")
    page.select_option("#bundled-scenario", "xinan_styrene")
    page.click("#start-drill-button")
    expect(page.locator("#drill-state")).to_have_text("已结束")
    risk_id = page.locator("#drill-risks li[data-risk]").first.get_attribute("data-risk")
    assert risk_id is not None
    compensation = f"/risks/{risk_id}/compensation"

    # Each city records its own cost on the drill risk's page.
    for officer, party, yuan, protects in (
        (HUANGSHAN_OFFICER, HS, "600000", (HS, HZ)),
        (HANGZHOU_OFFICER, HZ, "200000", (HZ,)),
    ):
        city = visit()
        city.log_in(officer)
        city.go(compensation)
        expect(city.page.locator(".drill-banner")).to_contain_text("演练 / DRILL")
        record_cost(city.page, party=party, yuan=yuan, protects=protects)
        expect(city.page.locator("#cost-lines")).to_contain_text(f"{int(yuan):,}.00")
        city.assert_self_contained()

    # The drill closed its risk: the committee draws up both statements and sees them side
    # by side with their figures.
    committee.go(compensation)
    propose(page, "shapley")
    propose(page, "proportional_to_cost")
    statements = page.locator("#statements .side-by-side article.statement")
    expect(statements).to_have_count(2)
    shapley = page.locator("article.statement[data-rule='shapley']")
    proportional = page.locator("article.statement[data-rule='proportional_to_cost']")
    for statement, due_hs, due_hz, paid in (
        (shapley, "300,000.00", "500,000.00", "300,000.00"),
        (proportional, "342,857.14", "457,142.86", "257,142.86"),
    ):
        rows = statement.locator("table.grid").first.locator("tbody tr")
        expect(rows.filter(has_text="黄山市")).to_contain_text("600,000.00")
        expect(rows.filter(has_text="黄山市")).to_contain_text(due_hs)
        expect(rows.filter(has_text="杭州市")).to_contain_text("200,000.00")
        expect(rows.filter(has_text="杭州市")).to_contain_text(due_hz)
        transfer = statement.locator("table.transfers tbody tr")
        expect(transfer).to_have_count(1)
        expect(transfer.locator("td")).to_have_text(["杭州市", "黄山市", paid])
    expect(page.locator("#settlement-chart svg")).to_have_count(1)

    shapley.locator("button.approve").click()
    page.wait_for_url("**/compensation**")
    expect(shapley).to_have_class("statement approved")
    expect(shapley.locator("h3")).to_contain_text("已批准")
    expect(proportional).not_to_have_class("statement approved")
    expect(proportional.locator("h3")).to_contain_text("待批准")
    expect(page.locator("button.approve")).to_have_count(0)
    committee.assert_self_contained()

    # Hangzhou's score fell, and the late acknowledgement is the drill's evidence.
    committee.go(f"/trust/{HANGZHOU}")
    after = trust_score(page)
    assert after < before
    expect(page.locator("#score")).to_have_text(f"{after:.3f}")
    late = page.locator("tr.evidence-item[data-kind='acknowledgement_missed']")
    expect(late).to_have_count(1)
    expect(late).to_have_attribute("data-drill", "1")
    expect(late.locator(".drill-badge")).to_have_text("演练 / DRILL")
    expect(late).to_contain_text("预警逾期确认或未确认")
    source = late.get_attribute("data-source")
    assert source is not None and source.startswith("warning:")
    expect(late.locator(f"a[href='/risks/{risk_id}']")).to_have_count(1)
    entries = late.locator("a.journal-link")
    assert entries.count() >= 2  # issued, acknowledged

    # The record's link opens the warning's journal, its acknowledgement among the entries.
    late.locator("a[href^='/journal?subject=warning']").click()
    expect(page.locator("#journal-entries")).to_contain_text("确认收到预警")
    committee.assert_self_contained()

    # On a phone, in both languages, neither page scrolls sideways.
    page.set_viewport_size(PHONE)
    for language in ("zh_CN", "en"):
        for path in ("/trust", f"/trust/{HANGZHOU}", compensation):
            committee.go(f"/language/{language}?next={path}")
            assert_no_sideways_scroll(page, f"{path} ({language})")
    expect(page.locator(".drill-banner")).to_contain_text("DRILL")
    committee.go(f"/trust/{HANGZHOU}")
    expect(page.locator("tr.evidence-item .drill-badge")).to_have_text("演练 / DRILL")
    expect(page.locator("tr.evidence-item[data-kind='acknowledgement_missed']")).to_contain_text(
        "acknowledged late"
    )
    committee.assert_self_contained()
