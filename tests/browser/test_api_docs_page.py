"""The API documentation page works with no host but the platform reachable."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Visit


@pytest.mark.browser
def test_api_docs_render_operations_offline(visit: Callable[[], Visit]) -> None:
    reader = visit()
    page = reader.page
    reader.go("/api/docs")
    # Swagger UI drew the document: its title and the operations of the risks collection.
    # Parsing a document of some two hundred operations takes seconds on a busy machine,
    # longer than expect's five by default.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("crossrisk", timeout=30_000)
    expect(page.locator(".opblock-summary-path[data-path='/api/risks']").first).to_be_visible()
    # A document of this size is drawn as the reader scrolls: every collection comes in turn.
    drawn: set[str] = set()
    for _ in range(100):
        drawn |= set(
            page.locator(".opblock-summary-path").evaluate_all(
                "els => els.map(e => e.dataset.path)"
            )
        )
        if page.evaluate("window.scrollY + window.innerHeight >= document.body.scrollHeight - 2"):
            break
        page.mouse.wheel(0, 1200)
        page.wait_for_timeout(150)
    assert len(drawn) > 60, sorted(drawn)
    assert {"/api/risks", "/api/agreements", "/api/meetings", "/api/plans"} <= drawn
    reader.assert_self_contained()
