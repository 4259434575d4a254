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
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("crossrisk")
    expect(page.locator(".opblock-summary-path[data-path='/api/risks']").first).to_be_visible()
    assert page.locator(".opblock").count() > 20
    reader.assert_self_contained()
