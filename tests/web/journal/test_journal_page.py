"""The journal page."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.web.officers import HUANGSHAN_OFFICER
from tests.web.risk_forms import register


def test_journal_page_reports_an_intact_chain(
    client: TestClient, log_in: Callable[[str], str]
) -> None:
    register(client, log_in(HUANGSHAN_OFFICER))
    page = client.get("/journal")
    assert page.status_code == 200
    assert "日志链完好" in page.text
    assert re.search(r'<code class="hash">[0-9a-f]{64}</code>', page.text)
    # The tab's title is the page's name, and the entries are shown once.
    assert re.search(r"<title>日志核验 · [^<]+</title>", page.text)
    assert page.text.count('id="entries"') == 1


def test_journal_page_filters_entries_and_pages_back(
    client: TestClient, log_in: Callable[[str], str]
) -> None:
    risk_id = register(client, log_in(HUANGSHAN_OFFICER))
    page = client.get("/journal", params={"subject": f"risk:{risk_id}"})
    assert page.status_code == 200
    shown = page.text.count(f'<a href="/risks/{risk_id}">risk:{risk_id}</a>')
    assert shown >= 2  # registered and analysed at least
    first = client.get("/journal", params={"limit": "1"})
    found = re.search(r'id="journal-next-page" href="([^"]+)"', first.text)
    assert found is not None and "before=" in found.group(1)
    refused = client.get("/journal", params={"since": "tomorrow"})
    assert refused.status_code == 400
    assert "日期请按" in refused.text


def test_journal_extract_exports_the_filtered_entries(
    client: TestClient, log_in: Callable[[str], str]
) -> None:
    risk_id = register(client, log_in(HUANGSHAN_OFFICER))
    exported = client.get("/journal/export.csv", params={"subject": f"risk:{risk_id}"})
    assert exported.status_code == 200
    lines = exported.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("条目,时间,")
    assert len(lines) >= 3 and all(f"risk:{risk_id}" in line for line in lines[1:])
