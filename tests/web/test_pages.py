"""What every page shares: the static files mounted beside them."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_static_files_are_served(client: TestClient) -> None:
    assert client.get("/static/css/crossrisk.css").status_code == 200
    assert client.get("/static/js/region-map.js").status_code == 200
