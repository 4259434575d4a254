"""The committee drafts a mutual-aid agreement among Hangzhou, Huangshan and Quzhou in the
form on a phone, and each city's officer signs it until it is in force."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from crossrisk.domain.organisation import Role, system_actor
from crossrisk.services import users
from crossrisk.store.db import make_engine
from crossrisk.store.uow import UnitOfWork
from tests.browser.conftest import Visit
from tests.browser.test_small_screens import PHONE, assert_no_sideways_scroll
from tests.web.officers import COMMITTEE_OFFICER, HANGZHOU_OFFICER, HUANGSHAN_OFFICER, PASSWORD

QUZHOU_OFFICER = "officer-330800"


def add_quzhou_officer(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        users.add_user(
            UnitOfWork(engine),
            system_actor(),
            username=QUZHOU_OFFICER,
            password=PASSWORD,
            organisation_code="ema-330800",
            role=Role.OFFICER,
            now=datetime.now(UTC),
        )
    finally:
        engine.dispose()


def test_drafted_on_a_phone_and_signed_by_each_city(
    visit: Callable[[], Visit], sqlite_url: str
) -> None:
    add_quzhou_officer(sqlite_url)
    committee = visit()
    committee.page.set_viewport_size(PHONE)
    committee.log_in(COMMITTEE_OFFICER)
    committee.go("/committee/agreements")
    committee.page.click("#new-agreement")
    page = committee.page
    page.wait_for_selector("#agreement-form")
    assert_no_sideways_scroll(page, "the draft form")
    page.fill("#agreement-title", "杭州、黄山、衢州跨域应急互助协议")
    page.fill("#agreement-subject", "新安江—钱塘江沿线城市应急物资互助")
    for code in ("ema-330100", "ema-341000", "ema-330800"):
        page.check(f"#agreement-parties input[value='{code}']")
    page.select_option("select[name=ob_party_0]", "ema-330100")
    page.select_option("select[name=ob_kind_0]", "keep_reserve")
    page.select_option("select[name=ob_item_0]", "sandbag")
    page.fill("input[name=ob_figure_0]", "2000")
    page.select_option("select[name=ob_party_1]", "ema-330800")
    page.select_option("select[name=ob_kind_1]", "answer_aid_within")
    page.fill("input[name=ob_figure_1]", "4")
    page.click("#submit-agreement")
    page.wait_for_selector("#agreement-state[data-state=signing]")
    assert_no_sideways_scroll(page, "the agreement page")
    address = page.url.removeprefix(committee.base_url)

    for officer in (HANGZHOU_OFFICER, HUANGSHAN_OFFICER, QUZHOU_OFFICER, COMMITTEE_OFFICER):
        city = visit()
        city.page.set_viewport_size(PHONE)
        city.log_in(officer)
        city.go(address)
        city.page.click("#sign-agreement")
        city.page.wait_for_selector("#agreement-signatures tr.signed >> nth=0")
        city.assert_self_contained()

    committee.go(address)
    page.wait_for_selector("#agreement-state[data-state=in_force]")
    assert page.locator("#agreement-signatures tr.unsigned").count() == 0
    assert page.locator("#agreement-obligations .obligation-unmet").count() == 1
    assert_no_sideways_scroll(page, "the agreement in force")
    committee.go(f"{address}/document")
    assert_no_sideways_scroll(page, "the document")
    committee.assert_self_contained()
