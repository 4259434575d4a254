"""The committee's standing work end to end, in the browser, as issue 12 tells it.

The committee drafts a mutual-aid agreement among Hangzhou, Huangshan and Quzhou and
each signs it; the Xin'an flood-wave plan, imported by the committee, is activated when a
Xin'an flood risk is analysed and draws its responsibility list; a meeting convened for
the risk completes the committee's "convene" duty and records a decision that becomes a
duty of Hangzhou, which Hangzhou's officer marks done from "My duties".
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import expect

from crossrisk.domain.duty import DutyStatus
from crossrisk.domain.organisation import system_actor
from crossrisk.domain.responsibility import DutyKind
from crossrisk.domain.risk import RiskCategory
from crossrisk.locale import DISPLAY_ZONE
from crossrisk.services import duties, risks
from crossrisk.store.db import make_engine
from crossrisk.store.uow import UnitOfWork
from tests.browser.conftest import Visit
from tests.browser.test_agreement_flow import QUZHOU_OFFICER, add_quzhou_officer
from tests.support import HUANGSHAN_TUNXI, actor, draft
from tests.web.officers import COMMITTEE_OFFICER, HANGZHOU_OFFICER, HUANGSHAN_OFFICER

PLAN = Path(__file__).parents[2] / "crossrisk" / "data" / "plans" / "examples" / "xinan_flood.yaml"
# Where the README's picture of the meeting's page is written, when asked for.
SCREENSHOT = os.environ.get("CROSSRISK_SCREENSHOT_COMMITTEE")


def register_xinan_flood(database_url: str) -> int:
    engine = make_engine(database_url)
    try:
        uow = UnitOfWork(engine)
        flood = risks.register_risk(
            uow,
            actor(uow, "ema-341000"),
            draft(
                where=HUANGSHAN_TUNXI,
                category=RiskCategory.NATURAL_DISASTER,
                hazard_type="flood_wave",
                title="新安江洪水",
            ),
            region_code="yrd",
            now=datetime.now(UTC),
        )
        assert flood.id is not None
        return flood.id
    finally:
        engine.dispose()


def risk_duties(database_url: str, risk_id: int) -> list[duties.DutyRecord]:
    engine = make_engine(database_url)
    try:
        return duties.duties_of_risk(UnitOfWork(engine), system_actor(), risk_id)
    finally:
        engine.dispose()


def draft_and_sign_the_agreement(visit: Callable[[], Visit]) -> None:
    committee = visit()
    committee.log_in(COMMITTEE_OFFICER)
    committee.go("/committee/agreements")
    page = committee.page
    page.click("#new-agreement")
    page.wait_for_selector("#agreement-form")
    page.fill("#agreement-title", "杭州、黄山、衢州跨域应急互助协议")
    page.fill("#agreement-subject", "新安江—钱塘江沿线城市应急物资互助")
    for code in ("ema-330100", "ema-341000", "ema-330800"):
        page.check(f"#agreement-parties input[value='{code}']")
    page.select_option("select[name=ob_party_0]", "ema-330100")
    page.select_option("select[name=ob_kind_0]", "keep_reserve")
    page.select_option("select[name=ob_item_0]", "sandbag")
    page.fill("input[name=ob_figure_0]", "2000")
    page.click("#submit-agreement")
    page.wait_for_selector("#agreement-state[data-state=signing]")
    address = page.url.removeprefix(committee.base_url)

    for officer in (HANGZHOU_OFFICER, HUANGSHAN_OFFICER, QUZHOU_OFFICER, COMMITTEE_OFFICER):
        party = visit()
        party.log_in(officer)
        party.go(address)
        party.page.click("#sign-agreement")
        party.page.wait_for_selector("#agreement-signatures tr.signed >> nth=0")

    committee.go(address)
    expect(page.locator("#agreement-state")).to_have_attribute("data-state", "in_force")
    expect(page.locator("#agreement-signatures tr.unsigned")).to_have_count(0)
    expect(page.locator("#agreement-signatures tr.signed")).to_have_count(4)
    committee.assert_self_contained()


def test_agreement_plan_and_meeting_as_the_committee_works(
    visit: Callable[[], Visit], sqlite_url: str
) -> None:
    add_quzhou_officer(sqlite_url)
    draft_and_sign_the_agreement(visit)

    # The committee imports the Xin'an flood-wave plan from its YAML.
    committee = visit()
    committee.log_in(COMMITTEE_OFFICER)
    committee.go("/committee/plans")
    page = committee.page
    page.fill("#plan-import-form #plan-document", PLAN.read_text("utf-8"))
    page.click("#plan-import-form button[type=submit]")
    expect(page.locator("#plan-tasks")).to_contain_text("发布新安江水库泄洪预警")

    # A Xin'an flood analysed: the plan is activated and draws the responsibility list.
    risk_id = register_xinan_flood(sqlite_url)
    committee.go(f"/risks/{risk_id}")
    expect(page.locator("#drawing-plan")).to_contain_text("新安江流域洪水区域联动预案")
    drawn = risk_duties(sqlite_url, risk_id)
    spillway = [d for d in drawn if d.task == "spillway-warning"]
    assert [d.organisation_code for d in spillway] == ["ema-341000"]
    assert spillway[0].source.startswith("plan:")
    assert any(
        d.task == "evacuate-riverside" and d.organisation_code == "ema-330100" for d in drawn
    )

    # The committee convenes a meeting for the risk from its page.
    page.click("#convene-meeting")
    page.wait_for_selector("#convene-form")
    page.fill("#meeting-title", "新安江洪水防御会商")
    start = (datetime.now(DISPLAY_ZONE) + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    page.fill("#meeting-start", start)
    page.fill("#meeting-place", "杭州市应急管理局指挥中心")
    page.fill("#meeting-agenda", "通报水情\n研究下游防御措施")
    page.click("#convene-form button[type=submit]")
    expect(page.locator("#meeting-state")).to_be_visible()
    meeting_address = page.url.removeprefix(committee.base_url).split("#")[0]
    (convene,) = [d for d in risk_duties(sqlite_url, risk_id) if d.kind is DutyKind.CONVENE]
    assert convene.status is DutyStatus.DONE and convene.done_via == "meeting.convened"

    # The minutes record a decision owned by Hangzhou: a duty on Hangzhou's list.
    page.fill("#minutes-input", "会议通报了水情，决定杭州市核查沿江取水口。")
    page.click("#minutes-form button[type=submit]")
    expect(page.locator("#minutes-text")).to_contain_text("核查沿江取水口")
    page.fill("#decision-text", "杭州市于三日内核查新安江沿线取水口并报告")
    page.select_option("#decision-owner", "ema-330100")
    page.fill("#decision-due", (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%d"))
    page.click("#decision-form button[type=submit]")
    expect(page.locator("#decision-1")).to_have_attribute("data-status", "open")
    if SCREENSHOT:
        page.screenshot(path=SCREENSHOT, full_page=True)

    hangzhou = visit()
    hangzhou.log_in(HANGZHOU_OFFICER)
    hangzhou.go("/duties")
    action = hangzhou.page.locator("tr.duty-line[data-kind='action']")
    expect(action).to_contain_text("核查新安江沿线取水口")
    action.locator("form.acknowledge-form button[type=submit]").click()
    expect(hangzhou.page.locator("tr.duty-line[data-kind='action']")).to_have_attribute(
        "data-status", "done"
    )
    hangzhou.assert_self_contained()

    committee.go(meeting_address)
    expect(page.locator("#decision-1")).to_have_attribute("data-status", "done")
    committee.assert_self_contained()
