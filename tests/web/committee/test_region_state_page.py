"""The region's state page and every page's header: the committee switches with a reason,
the strip shows on other pages, a city sees no switch and its post is refused."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.web.officers import COMMITTEE_OFFICER, HANGZHOU_OFFICER, csrf_token_in
from tests.web.page_parts import section


def test_the_committee_switches_to_emergency_and_every_page_says_so(
    client: TestClient, log_in: Callable[[str], str]
) -> None:
    log_in(COMMITTEE_OFFICER)
    page = client.get("/committee/state")
    assert page.status_code == 200
    assert 'id="region-state"' in page.text and "常态" in section(page.text, "region-state")
    normal = client.get("/risks").text
    assert "region-state-strip is-normal" in normal and "is-emergency" not in normal

    switched = client.post(
        "/committee/state",
        data={
            "csrf_token": csrf_token_in(page.text),
            "region": "yrd",
            "state": "emergency",
            "reason": "新安江突发苯乙烯泄漏",
        },
    )
    assert switched.status_code == 303
    shown = client.get("/committee/state")
    assert "应急态" in section(shown.text, "region-state")
    assert "新安江突发苯乙烯泄漏" in section(shown.text, "state-history")
    assert "恢复常态" in section(shown.text, "switch")
    register = client.get("/risks").text
    assert "region-state-strip is-emergency" in register and "新安江突发苯乙烯泄漏" in register
    client.get("/language/en?next=/risks")
    english = client.get("/risks").text
    assert "Emergency state" in english and "Yangtze River Delta" in english


def test_a_city_sees_the_state_but_no_switch_and_its_post_changes_nothing(
    client: TestClient, log_in: Callable[[str], str]
) -> None:
    csrf = log_in(HANGZHOU_OFFICER)
    page = client.get("/committee/state")
    assert page.status_code == 200 and 'id="switch-form"' not in page.text
    refused = client.post(
        "/committee/state",
        data={"csrf_token": csrf, "region": "yrd", "state": "emergency", "reason": "想切换"},
    )
    assert refused.status_code == 403
    assert "只有本区域协调机构的工作人员可以切换区域状态" in refused.text
    assert "常态" in section(client.get("/committee/state").text, "region-state")


def test_an_unknown_state_or_empty_reason_is_shown_on_the_form(
    client: TestClient, log_in: Callable[[str], str]
) -> None:
    csrf = log_in(COMMITTEE_OFFICER)
    for data, words in (
        ({"state": "martial", "reason": "x"}, "不是区域状态"),
        ({"state": "emergency", "reason": ""}, "理由不能为空"),
    ):
        answer = client.post("/committee/state", data={"csrf_token": csrf, "region": "yrd", **data})
        assert answer.status_code == 422
        assert 'class="alert' in answer.text and words in answer.text
    assert "常态" in section(client.get("/committee/state").text, "region-state")
