"""Fixtures of the delivery tests: real receivers, the broker, a clock and the API."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from crossrisk.api.app import create_app
from crossrisk.settings import Settings
from tests.delivery.builders import Clock
from tests.delivery.servers import (
    SilentServer,
    SmtpServer,
    WebhookReceiver,
    answers,
    unavailable,
)

MQTT_HOST, MQTT_PORT = "127.0.0.1", 1883


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver()
    yield server
    server.close()


@pytest.fixture
def silent() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.close()


@pytest.fixture(scope="session")
def smtp_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SmtpServer]:
    try:
        import aiosmtpd  # noqa: F401
    except ImportError:
        unavailable("aiosmtpd is not installed")
    server = SmtpServer(tmp_path_factory.mktemp("maildir") / "mail")
    yield server
    server.close()


@pytest.fixture(scope="session")
def mqtt_broker() -> tuple[str, int]:
    if not answers(MQTT_HOST, MQTT_PORT):
        unavailable(f"no MQTT broker answers at {MQTT_HOST}:{MQTT_PORT}")
    return MQTT_HOST, MQTT_PORT


@pytest.fixture
def topic_prefix() -> str:
    """A prefix of its own per test, so tests sharing the broker never see each other."""
    return f"crossrisk-test-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def client(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=tmp_path,
        database_url=database_url,
        host="127.0.0.1",
        port=8000,
        secret_key="test-secret",
        demo=False,
        worker=False,
    )
    app = create_app(settings)
    with TestClient(app) as test_client:
        yield test_client
    app.state.engine.dispose()
