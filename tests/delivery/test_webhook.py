"""The webhook channel against real HTTP servers on localhost."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from crossrisk.delivery.webhook import CONTENT_TYPE, WebhookChannel
from crossrisk.domain.delivery import ChannelKind, Purpose, Target, verify_webhook_signature
from tests.delivery.builders import SECRET, TIMEOUT, envelope
from tests.delivery.servers import SilentServer, TricklingServer, WebhookReceiver, free_port


def target(url: str, secret: str | None = SECRET) -> Target:
    return Target(ChannelKind.WEBHOOK, url, secret)


def test_posts_the_cap_xml_signed_so_the_receiver_can_verify_it(
    receiver: WebhookReceiver,
) -> None:
    message = envelope(purpose=Purpose.REMINDER)
    outcome = WebhookChannel(timeout=TIMEOUT).send(message, target(receiver.url + "?city=hz"))

    assert outcome.ok and outcome.detail == "HTTP 200 OK"
    [request] = receiver.received
    assert request.path == "/hooks/crossrisk?city=hz"
    assert request.body == message.cap_xml
    assert request.headers["content-type"] == CONTENT_TYPE
    assert request.headers["x-crossrisk-warning"] == message.warning_id
    assert request.headers["x-crossrisk-purpose"] == "reminder"
    assert verify_webhook_signature(
        SECRET,
        request.headers["x-crossrisk-timestamp"],
        request.body,
        request.headers["x-crossrisk-signature"],
        now=int(time.time()),
    )
    assert not verify_webhook_signature(
        "someone-elses-secret-key",
        request.headers["x-crossrisk-timestamp"],
        request.body,
        request.headers["x-crossrisk-signature"],
        now=int(time.time()),
    )


def test_server_errors_and_throttling_are_retried_client_errors_are_not(
    receiver: WebhookReceiver,
) -> None:
    channel = WebhookChannel(timeout=TIMEOUT)
    receiver.answer(500, 503, 429, 408, 404, 410, 301)
    outcomes = [channel.send(envelope(), target(receiver.url)) for _ in range(7)]
    assert [(o.ok, o.permanent) for o in outcomes] == [(False, False)] * 4 + [(False, True)] * 3
    assert outcomes[0].detail == "HTTP 500 Internal Server Error"
    assert outcomes[4].detail == "HTTP 404 Not Found"


def test_a_server_that_never_answers_is_a_timeout_not_a_hang(silent: SilentServer) -> None:
    outcome = WebhookChannel(timeout=TIMEOUT).send(envelope(), target(silent.url))
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
                WebhookChannel(timeout=TIMEOUT).send, envelope(), target(server.url)
            )
            outcome = future.result(timeout=60)
    finally:
        server.close()
    assert not outcome.ok and not outcome.permanent
    assert "timed out" in outcome.detail


def test_nobody_listening_is_a_retryable_failure() -> None:
    outcome = WebhookChannel(timeout=TIMEOUT).send(
        envelope(), target(f"http://127.0.0.1:{free_port()}/")
    )
    assert not outcome.ok and not outcome.permanent
    assert "refused" in outcome.detail.lower()


def test_a_webhook_without_secret_is_never_sent_unsigned(receiver: WebhookReceiver) -> None:
    outcome = WebhookChannel(timeout=TIMEOUT).send(envelope(), target(receiver.url, None))
    assert not outcome.ok and outcome.permanent
    assert receiver.received == []
