"""Page tests without a browser: the app on a fresh SQLite database, driven by TestClient."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from crossrisk.app import create_app
from crossrisk.domain.organisation import system_actor
from crossrisk.services import risks
from crossrisk.store.uow import UnitOfWork
from tests.databases import SqliteTemplate
from tests.support import settings_for_tests
from tests.web.officers import PASSWORD, csrf_token_in


@pytest.fixture
def app(officers_template: SqliteTemplate, tmp_path: Path) -> Iterator[FastAPI]:
    url = officers_template.fresh()
    application = create_app(settings_for_tests(url, tmp_path))
    yield application
    application.state.engine.dispose()
    officers_template.drop(url)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


@pytest.fixture
def log_in(client: TestClient) -> Callable[[str], str]:
    """Log the client in as a test officer; returns the session's CSRF token."""

    def _log_in(username: str) -> str:
        form = client.get("/login")
        response = client.post(
            "/login",
            data={
                "username": username,
                "password": PASSWORD,
                "csrf_token": csrf_token_in(form.text),
                "next": "/risks",
            },
        )
        assert response.status_code == 303, response.text
        return csrf_token_in(client.get("/risks").text)

    return _log_in


@pytest.fixture
def risk_count(app: FastAPI) -> Callable[[], int]:
    """How many risks exist, read through the service as the platform operator."""

    def _count() -> int:
        return len(risks.list_risks(UnitOfWork(app.state.engine), system_actor()))

    return _count
