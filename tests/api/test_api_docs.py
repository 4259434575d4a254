"""/api/docs is served from the platform's own files: nothing from another host."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_api_docs_reference_only_the_platforms_own_files(client: TestClient) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.text
    references = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sorted(references) == [
        "/static/vendor/swagger-ui/favicon-32x32.png",
        "/static/vendor/swagger-ui/swagger-ui-bundle.js",
        "/static/vendor/swagger-ui/swagger-ui.css",
    ]
    # No host at all, neither in an attribute nor in the script (the validator badge).
    assert re.search(r"https?://", html) is None
    assert "url: '/api/openapi.json'" in html
    assert '"validatorUrl": null' in html
    for reference in references:
        served = client.get(reference)
        assert served.status_code == 200, reference
        assert len(served.content) > 500


def test_the_default_cdn_docs_route_is_gone(client: TestClient) -> None:
    routes = [getattr(route, "path", "") for route in client.app.routes]  # type: ignore[attr-defined]
    assert routes.count("/api/docs") == 1
    assert "/docs" not in routes
    assert "cdn.jsdelivr.net" not in client.get("/api/docs").text
