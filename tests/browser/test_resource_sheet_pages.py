"""The base-information import page on a phone (390 px) and a desk (1440 px): reached from
the teams list, a bad file's problems listed without sideways scroll."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Visit
from tests.browser.test_small_screens import DESKTOP, PHONE, assert_no_sideways_scroll
from tests.web.officers import HUANGSHAN_OFFICER

BAD = (
    "辖区,队伍名称,队伍类别,分级,人数,集结时间（小时）,经度,纬度,舟艇（艘）\n"
    "341000,黄山市水上救援队,flood_rescue,1,20,2,118.3,29.7,3\n"
    "330100,西湖队,flood_rescue,4,6,1,120,30,1\n"
)


@pytest.mark.browser
@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone-390", "desktop-1440"])
def test_a_bad_teams_file_lists_its_problems_on_any_screen(
    visit: Callable[[], Visit], size: dict[str, int], tmp_path: Path
) -> None:
    sheet = tmp_path / "队伍.csv"
    sheet.write_text(BAD, "utf-8-sig")
    huangshan = visit()
    page = huangshan.page
    page.set_viewport_size(size)
    huangshan.log_in(HUANGSHAN_OFFICER)

    huangshan.go("/aid/teams")
    page.click("#sheet-link")
    expect(page).to_have_url(huangshan.base_url + "/aid/teams/import?region=yrd")
    assert_no_sideways_scroll(page, "/aid/teams/import")

    page.set_input_files("#sheet-file", str(sheet))
    page.click("form.stack button[type=submit]")
    expect(page.locator("#sheet-problems tbody tr")).to_have_count(2)
    assert_no_sideways_scroll(page, "/aid/teams/import with problems")
