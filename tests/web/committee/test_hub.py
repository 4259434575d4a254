"""The committee's front page, reached from the navigation, in both languages."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.web.officers import HANGZHOU_OFFICER
from tests.web.page_parts import section


def test_the_hub_links_each_part_of_the_standing_work(
    client: TestClient, log_in: Callable[[str], str]
) -> None:
    log_in(HANGZHOU_OFFICER)

    zh = client.get("/committee")
    client.get("/language/en?next=/committee")
    en = client.get("/committee")

    assert 'href="/committee" aria-current="page"' in zh.text
    parts = section(zh.text, "committee-sections")
    for path in ("agreements", "plans", "annual", "meetings"):
        assert f'href="/committee/{path}"' in parts
    assert "跨域风险治理协议" in parts and "跨域协调会议" in parts
    assert "Governance agreements" in section(en.text, "committee-sections")
