"""The regional map page."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.web.officers import HANGZHOU_OFFICER, HUANGSHAN_OFFICER
from tests.web.page_parts import page_data
from tests.web.risk_forms import register


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
