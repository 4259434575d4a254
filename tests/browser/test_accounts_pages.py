"""In the browser: changing one's password, managing users and a city's channels."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import expect

from crossrisk.domain.organisation import Role, system_actor
from crossrisk.services import users
from crossrisk.store.db import make_engine
from crossrisk.store.uow import UnitOfWork
from tests.browser.conftest import Visit
from tests.browser.test_small_screens import DESKTOP, PHONE, assert_no_sideways_scroll
from tests.delivery.builders import SECRET
from tests.delivery.servers import WebhookReceiver
from tests.web.officers import HUANGSHAN_OFFICER, PASSWORD, SEEDED_AT

NEW_PASSWORD = "a new and long passphrase"


@pytest.fixture
def hook() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver()
    yield server
    server.close()


def assert_offline(visit: Visit) -> None:
    """Nothing came from another host and no script failed; refusals answer 4xx on purpose."""
    assert visit.foreign_requests == []
    assert [error for error in visit.errors if "status of 4" not in error] == []


def make_admin(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        users.add_user(
            UnitOfWork(engine),
            system_actor(),
            username="hs-admin",
            password=PASSWORD,
            organisation_code="ema-341000",
            role=Role.OFFICER,
            display_name="黄山管理员",
            admin=True,
            now=SEEDED_AT,
        )
    finally:
        engine.dispose()


@pytest.mark.browser
def test_an_officer_changes_the_password_and_the_other_browser_is_logged_out(
    visit: Callable[[], Visit],
) -> None:
    here, elsewhere = visit(), visit()
    here.log_in(HUANGSHAN_OFFICER)
    elsewhere.log_in(HUANGSHAN_OFFICER)
    here.go("/account/password")
    page = here.page
    page.fill("#current_password", "not my password")
    page.fill("#new_password", NEW_PASSWORD)
    page.fill("#confirm_password", NEW_PASSWORD)
    page.click("#password-form button[type=submit]")
    expect(page.locator(".alert-error")).to_contain_text("当前密码不正确。")
    page.fill("#current_password", PASSWORD)
    page.fill("#new_password", NEW_PASSWORD)
    page.fill("#confirm_password", NEW_PASSWORD)
    page.click("#password-form button[type=submit]")
    expect(page.locator("#password-changed")).to_contain_text("已结束其他 1 个会话")
    # This browser goes on; the other one is sent to log in.
    here.go("/warnings")
    assert page.url.endswith("/warnings")
    elsewhere.go("/warnings")
    assert "/login" in elsewhere.page.url
    assert_offline(here)


@pytest.mark.browser
def test_an_admin_adds_renames_and_disables_a_user_and_the_header_shows_names(
    visit: Callable[[], Visit], sqlite_url: str
) -> None:
    make_admin(sqlite_url)
    admin = visit()
    admin.log_in("hs-admin")
    page = admin.page
    expect(page.locator(".who .username")).to_have_text("黄山管理员")
    page.locator(".user-menu a[href='/users']").click()
    page.wait_for_url(admin.base_url + "/organisations/ema-341000/users")
    page.fill("#username", "hs-duty")
    page.fill("#display_name", "值班员甲")
    page.fill("#password", PASSWORD)
    page.click("#add-user-form button[type=submit]")
    row = page.locator("tr.user-row[data-username='hs-duty']")
    expect(row).to_contain_text("已启用")
    row.locator("input[name=display_name]").fill("张三")
    row.locator("form[action$='/rename'] button").click()
    expect(page.locator("#users-done")).to_contain_text("张三")
    page.set_viewport_size(PHONE)
    assert_no_sideways_scroll(page, "the users page on a phone")
    page.set_viewport_size(DESKTOP)
    duty = visit()
    duty.log_in("hs-duty")
    expect(duty.page.locator(".who .username")).to_have_text("张三")
    page.locator("tr.user-row[data-username='hs-duty'] form[action$='/disable'] button").click()
    expect(page.locator("tr.user-row[data-username='hs-duty'] .user-status")).to_have_text("已停用")
    duty.go("/warnings")
    assert "/login" in duty.page.url
    # The last administrator is told, in Chinese, why they cannot disable themself.
    page.locator("tr.user-row[data-username='hs-admin'] form[action$='/disable'] button").click()
    expect(page.locator(".alert-error")).to_contain_text("最后一名管理员")
    assert_offline(admin)


@pytest.mark.browser
def test_a_city_adds_tests_disables_and_removes_a_webhook(
    visit: Callable[[], Visit], hook: WebhookReceiver
) -> None:
    officer = visit()
    officer.log_in(HUANGSHAN_OFFICER)
    page = officer.page
    page.locator(".user-menu a[href='/channels']").click()
    page.wait_for_url(officer.base_url + "/organisations/ema-341000/channels")
    # A private address is refused in a Chinese sentence, and nothing is added.
    page.fill("#address", "http://10.1.2.3/hook")
    page.fill("#secret", SECRET)
    page.click("#add-channel-form button[type=submit]")
    expect(page.locator(".alert-error")).to_contain_text("Webhook 只能发往公网地址")
    expect(page.locator("tr.channel-row")).to_have_count(0)
    page.fill("#address", hook.url)
    page.fill("#secret", SECRET)
    page.click("#add-channel-form button[type=submit]")
    row = page.locator("tr.channel-row")
    expect(row).to_have_count(1)
    row.locator("button[value=test]").click()
    expect(page.locator("#test-result")).to_contain_text("测试消息已送达")
    assert len(hook.received) == 1
    expect(page.locator("tr.delivery-row .delivery-status")).to_have_text(["已送达"])
    # With a channel and a delivery listed, the page still fits a phone.
    page.set_viewport_size(PHONE)
    assert_no_sideways_scroll(page, "the channels page on a phone")
    page.set_viewport_size(DESKTOP)
    page.locator("tr.channel-row button[value=disable]").click()
    expect(page.locator("tr.channel-row")).to_have_attribute("data-enabled", "false")
    page.locator("tr.channel-row button[value=remove]").click()
    expect(page.locator("tr.channel-row")).to_have_count(0)
    # The delivery stays on record after its channel is gone.
    expect(page.locator("tr.delivery-row")).to_have_count(1)
    assert_offline(officer)
