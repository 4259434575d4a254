"""Fixtures of every test that delivers: real receivers, an SMTP server, the broker, a clock.

A pytest plugin of the root conftest, so the delivery channels' tests, the services'
and the API's share them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from crossrisk.delivery.destinations import OutboundGuard
from tests.delivery.builders import Clock
from tests.delivery.servers import (
    SilentServer,
    SmtpServer,
    WebhookReceiver,
    answers,
    unavailable,
)
from tests.support import LOOPBACK

MQTT_HOST, MQTT_PORT = "127.0.0.1", 1883
# The tests' own receivers listen on loopback, which the platform refuses unless the
# operator allows it (CROSSRISK_OUTBOUND_ALLOW); tests/support.py's settings allow it too.
RECEIVERS_GUARD = OutboundGuard(allow=LOOPBACK)


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
