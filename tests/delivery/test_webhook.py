"""The webhook channel against real HTTP servers on localhost, checked by a stock verifier."""

from __future__ import annotations

import base64
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from crossrisk.delivery.webhook import CONTENT_TYPE, WebhookChannel
from crossrisk.domain.delivery import ChannelKind, Purpose, Target
from crossrisk.services import delivery
from crossrisk.store.uow import UnitOfWork
from tests.delivery.builders import SECRET, TIMEOUT, Clock, configure, envelope, put
from tests.delivery.servers import (
    Received,
    SilentServer,
    TricklingServer,
    WebhookReceiver,
    free_port,
)
from tests.delivery_fixtures import RECEIVERS_GUARD

QUEUED = "41"  # the queue's id of the message a test sends


def target(url: str, secret: str | None = SECRET) -> Target:
    return Target(ChannelKind.WEBHOOK, url, secret)


def verify(secret: str, request: Received) -> None:
    """What a receiver does: the stock library, the registered secret as it is."""
    # The body is CAP XML, not JSON: json_parse=False verifies without parsing it.
    Webhook(secret).verify(request.body, request.headers, json_parse=False)


def test_posts_the_cap_xml_signed_so_a_stock_verifier_accepts_it(
    receiver: WebhookReceiver,
) -> None:
    message = envelope(purpose=Purpose.REMINDER)
    outcome = WebhookChannel(timeout=TIMEOUT, guard=RECEIVERS_GUARD).send(
        message, target(receiver.url + "?city=hz"), message_id=QUEUED
    )

    assert outcome.ok and outcome.detail == "HTTP 200 OK"
    [request] = receiver.received
    assert request.path == "/hooks/crossrisk?city=hz"
    assert request.body == message.cap_xml
    assert request.headers["content-type"] == CONTENT_TYPE
    assert request.headers["x-crossrisk-warning"] == message.warning_id
    assert request.headers["x-crossrisk-purpose"] == "reminder"
    assert request.headers["webhook-id"].startswith(f"msg_{QUEUED}_")
    assert abs(int(request.headers["webhook-timestamp"]) - time.time()) < 60
    assert request.headers["webhook-signature"].startswith("v1,")
    assert "x-crossrisk-signature" not in request.headers
    verify(SECRET, request)
    someone_else = "whsec_" + base64.b64encode(b"someone-elses-secret-key").decode()
    with pytest.raises(WebhookVerificationError, match="No matching signature"):
        verify(someone_else, request)


def test_a_tampered_body_is_rejected(receiver: WebhookReceiver) -> None:
    WebhookChannel(timeout=TIMEOUT, guard=RECEIVERS_GUARD).send(
        envelope(), target(receiver.url), message_id=QUEUED
    )
    [request] = receiver.received
    tampered = request.body.replace("黄色预警".encode(), "蓝色预警".encode())
    assert tampered != request.body

    with pytest.raises(WebhookVerificationError, match="No matching signature"):
        verify(SECRET, Received(request.path, request.headers, tampered))


def test_an_old_timestamp_is_rejected_and_cannot_be_refreshed(
    receiver: WebhookReceiver,
) -> None:
    ten_minutes_ago = WebhookChannel(
        timeout=TIMEOUT, guard=RECEIVERS_GUARD, clock=lambda: time.time() - 600
    )
    ten_minutes_ago.send(envelope(), target(receiver.url), message_id=QUEUED)
    [request] = receiver.received

    with pytest.raises(WebhookVerificationError, match="too old"):
        verify(SECRET, request)
    # A captured request replayed with a fresh timestamp no longer matches its signature.
    replayed = {**request.headers, "webhook-timestamp": str(int(time.time()))}
    with pytest.raises(WebhookVerificationError, match="No matching signature"):
        verify(SECRET, Received(request.path, replayed, request.body))


def test_every_retry_of_a_queued_message_carries_its_one_webhook_id(
    uow: UnitOfWork, receiver: WebhookReceiver, clock: Clock
) -> None:
    configure(uow, ChannelKind.WEBHOOK, receiver.url, secret=SECRET)
    put(uow, envelope("crossrisk-yrd-1-330100-1"))
    put(uow, envelope("crossrisk-yrd-1-330100-2"))
    receiver.answer(503, 503)
    channels = {ChannelKind.WEBHOOK: WebhookChannel(timeout=TIMEOUT, guard=RECEIVERS_GUARD)}

    assert delivery.dispatch_due(uow, channels, now=clock) == 2  # both refused
    clock.advance(2)
    assert delivery.dispatch_due(uow, channels, now=clock) == 2  # both retried

    ids: dict[str, set[str]] = {}
    for request in receiver.received:
        ids.setdefault(request.headers["x-crossrisk-warning"], set()).add(
            request.headers["webhook-id"]
        )
        verify(SECRET, request)
    assert len(receiver.received) == 4
    first, second = ids["crossrisk-yrd-1-330100-1"], ids["crossrisk-yrd-1-330100-2"]
    assert len(first) == 1 and len(second) == 1 and first != second


@pytest.mark.parametrize(
    "secret",
    [
        "whsec_" + base64.b64encode(bytes(range(32))).decode(),  # the usual form
        base64.b64encode(bytes(range(24))).decode(),  # the prefix is optional
        "hangzhou-duty-office-webhook-key",  # free text: base64 skips the dashes
    ],
)
def test_the_registered_secret_goes_to_the_stock_library_unmodified(
    receiver: WebhookReceiver, secret: str
) -> None:
    outcome = WebhookChannel(timeout=TIMEOUT, guard=RECEIVERS_GUARD).send(
        envelope(), target(receiver.url, secret), message_id=QUEUED
    )
    assert outcome.ok
    [request] = receiver.received
    verify(secret, request)


@pytest.mark.parametrize(
    "secret",
    [
        "----------------abcd",  # long enough to register, but a 3-byte key
        "whsec_" + "A" * 21,  # no base64 text has 4n + 1 characters
    ],
)
def test_a_secret_no_verifier_could_share_is_refused_before_sending(
    receiver: WebhookReceiver, secret: str
) -> None:
    outcome = WebhookChannel(timeout=TIMEOUT, guard=RECEIVERS_GUARD).send(
        envelope(), target(receiver.url, secret), message_id=QUEUED
    )
    assert not outcome.ok and outcome.permanent
    assert "Standard Webhooks secret" in outcome.detail
    assert receiver.received == []


def test_server_errors_and_throttling_are_retried_client_errors_are_not(
    receiver: WebhookReceiver,
) -> None:
    channel = WebhookChannel(timeout=TIMEOUT, guard=RECEIVERS_GUARD)
    receiver.answer(500, 503, 429, 408, 404, 410, 301)
    outcomes = [channel.send(envelope(), target(receiver.url), message_id=QUEUED) for _ in range(7)]
    assert [(o.ok, o.permanent) for o in outcomes] == [(False, False)] * 4 + [(False, True)] * 3
    assert outcomes[0].detail == "HTTP 500 Internal Server Error"
    assert outcomes[4].detail == "HTTP 404 Not Found"


def test_a_server_that_never_answers_is_a_timeout_not_a_hang(silent: SilentServer) -> None:
    outcome = WebhookChannel(timeout=TIMEOUT, guard=RECEIVERS_GUARD).send(
        envelope(), target(silent.url), message_id=QUEUED
    )
    assert not outcome.ok and not outcome.permanent
    assert "timed out" in outcome.detail
    assert silent.accepted.is_set()


def test_a_server_that_trickles_its_answer_is_cut_at_the_deadline() -> None:
    server = TricklingServer()
    try:
        with ThreadPoolExecutor(1) as pool:
            # Each byte arrives well within the socket timeout, so only a deadline on the
            # whole exchange ends this; the generous bound only keeps a failure from hanging.
            future = pool.submit(
                WebhookChannel(timeout=TIMEOUT, guard=RECEIVERS_GUARD).send,
                envelope(),
                target(server.url),
                message_id=QUEUED,
            )
            outcome = future.result(timeout=60)
    finally:
        server.close()
    assert not outcome.ok and not outcome.permanent
    assert "timed out" in outcome.detail


def test_nobody_listening_is_a_retryable_failure() -> None:
    outcome = WebhookChannel(timeout=TIMEOUT, guard=RECEIVERS_GUARD).send(
        envelope(), target(f"http://127.0.0.1:{free_port()}/"), message_id=QUEUED
    )
    assert not outcome.ok and not outcome.permanent
    assert "refused" in outcome.detail.lower()


def test_a_webhook_without_secret_is_never_sent_unsigned(receiver: WebhookReceiver) -> None:
    outcome = WebhookChannel(timeout=TIMEOUT, guard=RECEIVERS_GUARD).send(
        envelope(), target(receiver.url, None), message_id=QUEUED
    )
    assert not outcome.ok and outcome.permanent
    assert receiver.received == []
