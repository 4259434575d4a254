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
