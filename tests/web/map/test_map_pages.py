"""The regional map page and the journal page."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.web.accounts import HANGZHOU_OFFICER, HUANGSHAN_OFFICER, csrf_token_in
from tests.web.risk_forms import register


def page_data(html: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="page-data">(.*?)</script>', html, re.S)
    assert found
    return dict(json.loads(found.group(1)))


def test_map_page_carries_open_risks_for_the_map_script(
    client: TestClient, log_in: Callable[[str], str]
) -> None:
    risk_id = register(client, log_in(HUANGSHAN_OFFICER), title="新安江<苯乙烯>泄漏")
    page = client.get("/map")
    assert page.status_code == 200
    assert "/static/vendor/leaflet/leaflet.js" in page.text
    assert "新安江&lt;苯乙烯&gt;泄漏" in page.text  # escaped in the list
    data = page_data(page.text)
    assert data["boundariesUrl"] == "/api/regions/yrd/jurisdictions"
    assert data["ownJurisdiction"] == "341000"
    [risk] = data["risks"]
    assert risk["id"] == risk_id and risk["origins"] == ["341000"]
    assert risk["levelLabel"] == "II 重大"


def test_map_page_is_readable_by_another_city(
    client: TestClient, log_in: Callable[[str], str]
) -> None:
    register(client, log_in(HUANGSHAN_OFFICER))
    log_in(HANGZHOU_OFFICER)
    data = page_data(client.get("/map").text)
    assert data["ownJurisdiction"] == "330100"
    assert len(data["risks"]) == 1


def test_journal_page_reports_an_intact_chain(
    client: TestClient, log_in: Callable[[str], str]
) -> None:
    register(client, log_in(HUANGSHAN_OFFICER))
    page = client.get("/journal")
    assert page.status_code == 200
    assert "日志链完好" in page.text
    assert re.search(r'<code class="hash">[0-9a-f]{64}</code>', page.text)


def test_static_files_are_served(client: TestClient) -> None:
    assert client.get("/static/css/crossrisk.css").status_code == 200
    assert client.get("/static/js/region-map.js").status_code == 200


def test_login_csrf_token_changes_with_the_session(client: TestClient) -> None:
    first = csrf_token_in(client.get("/login").text)
    client.cookies.clear()
    assert csrf_token_in(client.get("/login").text) != first
