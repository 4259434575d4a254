"""Webhook sends pass the outbound guard at connection time: judged, pinned, named.

The receivers are real HTTP(S) servers on loopback. Where a test needs a host name that
resolves in a way the system resolver cannot show (a DNS answer that changes between two
sends, a name with a TLS certificate), the guard is given a resolver of its own: the
lookup is the one thing replaced, the connection and the TLS handshake are real.
"""

from __future__ import annotations

import ipaddress
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest

from crossrisk.delivery.destinations import OutboundGuard
from crossrisk.delivery.webhook import WebhookChannel
from crossrisk.domain.delivery import ChannelKind, Target
from crossrisk.domain.outbound import IPAddress
from tests.certificates import make_certificates
from tests.delivery.builders import SECRET, TIMEOUT, envelope
from tests.delivery.servers import WebhookReceiver
from tests.support import LOOPBACK

QUEUED = "41"
STRICT = OutboundGuard()  # no allow-list: what a platform without the setting does


def target(url: str) -> Target:
    return Target(ChannelKind.WEBHOOK, url, SECRET)


class ChangingDns:
    """A resolver whose answer the test changes, counting the lookups it is asked."""

    def __init__(self, name: str, *addresses: str) -> None:
        self.name = name
        self.answer = [ipaddress.ip_address(a) for a in addresses]
        self.lookups = 0

    def __call__(self, host: str, port: int) -> list[IPAddress]:
        assert host == self.name, host
        self.lookups += 1
        return list(self.answer)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::ffff:127.0.0.1]", "127.1"], ids=str)
def test_without_the_allow_list_a_loopback_receiver_is_never_connected_to(
    receiver: WebhookReceiver, host: str
) -> None:
    url = f"http://{host}:{receiver.port}/hooks/crossrisk"
    outcome = WebhookChannel(timeout=TIMEOUT, guard=STRICT).send(
        envelope(), target(url), message_id=QUEUED
    )
    assert not outcome.ok and outcome.permanent
    assert "loopback address" in outcome.detail
    if host == "localhost":  # what a name resolves to is not told
        assert "127.0.0.1" not in outcome.detail
    assert receiver.received == []


def test_the_allow_list_lets_the_operators_own_receivers_through(
    receiver: WebhookReceiver,
) -> None:
    guard = OutboundGuard(allow=LOOPBACK)
    outcome = WebhookChannel(timeout=TIMEOUT, guard=guard).send(
        envelope(), target(f"http://localhost:{receiver.port}/hooks/crossrisk"), message_id=QUEUED
    )
    assert outcome.ok, outcome.detail
    assert receiver.received[0].headers["host"] == f"localhost:{receiver.port}"


def test_a_name_rebound_to_a_private_address_is_refused_and_the_checked_one_is_pinned(
    receiver: WebhookReceiver,
) -> None:
    dns = ChangingDns("hooks.huangshan.test", "127.0.0.1")
    channel = WebhookChannel(timeout=TIMEOUT, guard=OutboundGuard(allow=LOOPBACK, resolve=dns))
    url = f"http://hooks.huangshan.test:{receiver.port}/hooks/crossrisk"

    first = channel.send(envelope(), target(url), message_id=QUEUED)
    # One lookup per send: the connection went to the checked address, not to a second
    # answer (the system resolver cannot even resolve this name).
    assert first.ok, first.detail
    assert dns.lookups == 1
    assert receiver.received[0].headers["host"] == f"hooks.huangshan.test:{receiver.port}"

    dns.answer = [ipaddress.ip_address("169.254.169.254")]
    second = channel.send(envelope(), target(url), message_id=QUEUED)
    assert not second.ok and second.permanent
    assert "link-local address" in second.detail
    assert dns.lookups == 2 and len(receiver.received) == 1


def test_a_name_with_one_private_address_among_public_ones_is_refused(
    receiver: WebhookReceiver,
) -> None:
    dns = ChangingDns("mixed.test", "8.8.8.8", "10.0.0.7")
    outcome = WebhookChannel(timeout=TIMEOUT, guard=OutboundGuard(resolve=dns)).send(
        envelope(), target(f"http://mixed.test:{receiver.port}/"), message_id=QUEUED
    )
    assert not outcome.ok and outcome.permanent and "private address" in outcome.detail


@pytest.fixture
def https_receiver(tmp_path: Path) -> Iterator[tuple[WebhookReceiver, ssl.SSLContext]]:
    certificates = make_certificates(tmp_path / "tls", "hooks.hangzhou.test")
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(certificates.server_cert, certificates.server_key)
    receiver = WebhookReceiver(tls=server, host="hooks.hangzhou.test")
    client = ssl.create_default_context(cafile=str(certificates.ca))
    yield receiver, client
    receiver.close()


def test_https_to_a_pinned_address_still_names_the_host_for_sni_the_certificate_and_host(
    https_receiver: tuple[WebhookReceiver, ssl.SSLContext],
) -> None:
    receiver, trusted = https_receiver
    dns = ChangingDns("hooks.hangzhou.test", "127.0.0.1")
    guard = OutboundGuard(allow=LOOPBACK, resolve=dns)
    outcome = WebhookChannel(timeout=TIMEOUT, guard=guard, ssl_context=trusted).send(
        envelope(), target(receiver.url), message_id=QUEUED
    )
    assert outcome.ok, outcome.detail
    assert receiver.server_names == ["hooks.hangzhou.test"]
    assert receiver.received[0].headers["host"] == f"hooks.hangzhou.test:{receiver.port}"


def test_https_to_a_name_the_certificate_does_not_carry_fails_verification(
    https_receiver: tuple[WebhookReceiver, ssl.SSLContext],
) -> None:
    receiver, trusted = https_receiver
    dns = ChangingDns("impostor.test", "127.0.0.1")
    guard = OutboundGuard(allow=LOOPBACK, resolve=dns)
    outcome = WebhookChannel(timeout=TIMEOUT, guard=guard, ssl_context=trusted).send(
        envelope(), target(f"https://impostor.test:{receiver.port}/"), message_id=QUEUED
    )
    assert not outcome.ok and "certificate" in outcome.detail.lower()
    assert receiver.received == []
