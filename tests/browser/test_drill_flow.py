"""A drill to its consequences, in the browser, as issue 14 tells it.

The committee runs the bundled Xin'an styrene drill at full speed; on the drill's page its
after-action review lists the accountability case of Hangzhou, which acknowledged its
warning three hours late; the committee reviews the case, Hangzhou's officer files its
statement, and Hangzhou's scorecard shows the case with the statement filed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from playwright.sync_api import expect

from crossrisk.locale import DISPLAY_ZONE
from tests.browser.conftest import Visit
from tests.web.officers import COMMITTEE_OFFICER, HANGZHOU_OFFICER


def test_the_xinan_drill_opens_hangzhous_case_which_answers_and_its_scorecard_shows_it(
    visit: Callable[[], Visit],
) -> None:
    committee = visit()
    committee.log_in(COMMITTEE_OFFICER)
    committee.go("/drills")
    page = committee.page
    page.select_option("#bundled-scenario", "xinan_styrene")
    page.click("#start-drill-button")
    expect(page.locator("#drill-banner")).to_contain_text("演练 / DRILL")
    expect(page.locator("#drill-state")).to_have_text("已结束")

    # The review's figures come from the record, and Hangzhou's late acknowledgement is a case.
    review = page.locator("#drill-review")
    expect(review.locator("tr[data-metric='ack_in_time_share']")).to_contain_text("0%")
    hangzhou_case = page.locator("#drill-cases li", has_text="杭州市应急管理局")
    expect(hangzhou_case).to_have_count(1)
    expect(hangzhou_case).to_contain_text("职责逾期完成")
    case_id = hangzhou_case.get_attribute("data-case")
    assert case_id is not None
    risk_id = page.locator("#drill-risks li[data-risk]").first.get_attribute("data-risk")

    # The risk's own review draws the parties' comparison with the served ECharts.
    committee.go(f"/risks/{risk_id}/review")
    expect(page.locator("#party-chart svg")).to_have_count(1)
    expect(page.locator(".chart svg.metric-chart").first).to_be_visible()

    committee.go(f"/committee/cases/{case_id}")
    expect(page.locator("#case-party")).to_contain_text("杭州市应急管理局")
    page.fill("#review-text", "杭州市在演练中迟报确认三小时，请说明原因")
    page.click("#review-form button[type=submit]")
    expect(page.locator("#case-review")).to_contain_text("迟报确认三小时")
    committee.assert_self_contained()

    # Hangzhou's officer answers on the case's page.
    hangzhou = visit()
    hangzhou.log_in(HANGZHOU_OFFICER)
    hangzhou.go(f"/committee/cases/{case_id}")
    answer = hangzhou.page
    answer.fill("#statement-text", "值班电话线路故障，已启用备用线路")
    answer.click("#statement-form button[type=submit]")
    expect(answer.locator("#case-statement")).to_contain_text("备用线路")
    expect(answer.locator("#case-state")).to_contain_text("已陈述申辩")

    # Its scorecard over the last month carries the drill's case with the statement filed.
    today = datetime.now(DISPLAY_ZONE).date()
    start = today - timedelta(days=30)
    hangzhou.go(f"/evaluation/scorecards/ema-330100?from={start}&to={today}")
    cases = answer.locator("#record-cases")
    expect(cases.locator(f"a[data-case='{case_id}']")).to_have_count(1)
    expect(cases).to_contain_text("已陈述申辩")
    expect(cases).to_contain_text("演练")
    expect(answer.locator("#trend-chart svg")).to_have_count(1)
    hangzhou.assert_self_contained()
