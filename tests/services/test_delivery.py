"""The dispatcher on SQLite and PostgreSQL: claims, retries, give-ups, races and leases."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

from crossrisk.delivery.configured import channels_from_settings, close_all
from crossrisk.delivery.webhook import WebhookChannel
from crossrisk.domain.delivery import ChannelKind, DeliveryStatus, Envelope, RetryPolicy
from crossrisk.domain.events import Event
from crossrisk.domain.organisation import system_actor
from crossrisk.services import delivery
from crossrisk.store.db import make_engine
from crossrisk.store.uow import Transaction, UnitOfWork
from tests.delivery.builders import (
    SECRET,
    TIMEOUT,
    Clock,
    by_kind,
    configure,
    deliveries,
    envelope,
    put,
)
from tests.delivery.servers import SilentServer, SmtpServer, WebhookReceiver
from tests.delivery.test_mqtt import Subscriber
from tests.delivery_fixtures import RECEIVERS_GUARD
from tests.support import T0, settings_for_tests

WEBHOOK = {ChannelKind.WEBHOOK: WebhookChannel(timeout=TIMEOUT, guard=RECEIVERS_GUARD)}


def test_enqueue_makes_one_pending_delivery_per_enabled_channel(
    uow: UnitOfWork, receiver: WebhookReceiver
) -> None:
    configure(uow, ChannelKind.WEBHOOK, receiver.url, secret=SECRET)
    configure(uow, ChannelKind.EMAIL, "duty@ema.hangzhou.example")
    configure(uow, ChannelKind.MQTT, "")
    assert put(uow, envelope()) == 3
    assert put(uow, envelope("crossrisk-yrd-1-341000-1"), organisation="ema-341000") == 0

    found = deliveries(uow, "crossrisk-yrd-1-330100-1")
    assert sorted(d.kind for d in found) == sorted(ChannelKind)
    assert {(d.status, d.attempts, d.next_attempt_at) for d in found} == {
        (DeliveryStatus.PENDING, 0, T0)
    }


def test_500_then_200_is_retried_and_delivered_with_both_attempts_recorded(
    uow: UnitOfWork, receiver: WebhookReceiver, clock: Clock
) -> None:
    configure(uow, ChannelKind.WEBHOOK, receiver.url, secret=SECRET)
    put(uow, envelope())
    receiver.answer(500, 200)
    delivered: list[tuple[str, datetime]] = []

    def on_delivered(inner: Transaction, message: Envelope, at: datetime) -> None:
        assert inner.session.is_active  # called inside the recording transaction
        delivered.append((message.warning_id, at))

    assert delivery.dispatch_due(uow, WEBHOOK, now=clock, on_delivered=on_delivered) == 1
    [first] = deliveries(uow, "crossrisk-yrd-1-330100-1")
    assert (first.status, first.attempts) == (DeliveryStatus.PENDING, 1)
    assert first.next_attempt_at == T0 + timedelta(seconds=2)
    assert delivery.dispatch_due(uow, WEBHOOK, now=clock) == 0  # not due yet

    clock.advance(2)
    assert delivery.dispatch_due(uow, WEBHOOK, now=clock, on_delivered=on_delivered) == 1

    [done] = deliveries(uow, "crossrisk-yrd-1-330100-1")
    assert done.status is DeliveryStatus.DELIVERED
    assert done.delivered_at == clock()
    assert [(a.number, a.ok, a.detail) for a in done.attempt_log] == [
        (1, False, "HTTP 500 Internal Server Error"),
        (2, True, "HTTP 200 OK"),
    ]
    assert delivered == [("crossrisk-yrd-1-330100-1", clock())]
    assert len(receiver.received) == 2


def test_404_fails_at_once_and_the_give_up_is_journaled_and_announced(
    uow: UnitOfWork, receiver: WebhookReceiver, clock: Clock
) -> None:
    configure(uow, ChannelKind.WEBHOOK, receiver.url, secret=SECRET)
    put(uow, envelope())
    receiver.answer(404)
    seen: list[Event] = []
    uow.bus.subscribe(seen.append)

    delivery.dispatch_due(uow, WEBHOOK, now=clock)
    clock.advance(3600)
    assert delivery.dispatch_due(uow, WEBHOOK, now=clock) == 0

    [failed] = deliveries(uow, "crossrisk-yrd-1-330100-1")
    assert (failed.status, failed.attempts) == (DeliveryStatus.FAILED, 1)
    assert len(receiver.received) == 1
    with uow.read_only() as tx:
        [entry] = tx.journal.about("warning:crossrisk-yrd-1-330100-1")
    assert entry.action == "delivery.given_up"
    assert entry.payload["permanent"] is True
    assert entry.payload["detail"] == "HTTP 404 Not Found"
    assert entry.payload["organisation"] == "ema-330100"
    assert [(e.name, e.subject, e.region_code) for e in seen] == [
        ("delivery.given_up", "warning:crossrisk-yrd-1-330100-1", "yrd")
    ]


def test_retry_schedule_follows_the_policy_until_it_gives_up(
    uow: UnitOfWork, receiver: WebhookReceiver, clock: Clock
) -> None:
    configure(uow, ChannelKind.WEBHOOK, receiver.url, secret=SECRET)
    put(uow, envelope())
    receiver.default_status = 503
    policy = RetryPolicy(max_attempts=4, first_delay_seconds=10, factor=3, max_delay_seconds=60)

    due_times = []
    for _ in range(4):
        assert delivery.dispatch_due(uow, WEBHOOK, now=clock, policy=policy) == 1
        [current] = deliveries(uow, "crossrisk-yrd-1-330100-1")
        due_times.append(current.next_attempt_at)
        if current.next_attempt_at is not None:
            clock.advance(1)  # one second early: nothing is due
            assert delivery.dispatch_due(uow, WEBHOOK, now=clock, policy=policy) == 0
            clock.moment = current.next_attempt_at

    assert due_times == [
        T0 + timedelta(seconds=10),
        T0 + timedelta(seconds=10 + 30),
        T0 + timedelta(seconds=10 + 30 + 60),
        None,
    ]
    [given_up] = deliveries(uow, "crossrisk-yrd-1-330100-1")
    assert (given_up.status, given_up.attempts) == (DeliveryStatus.FAILED, 4)
    assert [a.number for a in given_up.attempt_log] == [1, 2, 3, 4]
    assert len(receiver.received) == 4
    with uow.read_only() as tx:
        [entry] = tx.journal.about("warning:crossrisk-yrd-1-330100-1")
    assert (entry.action, entry.payload["attempts"], entry.payload["permanent"]) == (
        "delivery.given_up",
        4,
        False,
    )


def test_two_dispatchers_racing_send_each_delivery_exactly_once(
    database_url: str, uow: UnitOfWork, receiver: WebhookReceiver, clock: Clock
) -> None:
    configure(uow, ChannelKind.WEBHOOK, receiver.url, secret=SECRET)
    expected = [f"crossrisk-yrd-{n}-330100-1" for n in range(1, 31)]
    for warning_id in expected:
        put(uow, envelope(warning_id))
    start = threading.Barrier(2)
    made: list[int] = []

    def dispatcher() -> None:
        # Each with its own engine and connections, as separate processes would have.
        engine = make_engine(database_url)
        channels = {ChannelKind.WEBHOOK: WebhookChannel(timeout=TIMEOUT, guard=RECEIVERS_GUARD)}
        start.wait()
        try:
            while (
                count := delivery.dispatch_due(UnitOfWork(engine), channels, now=clock, limit=4)
            ) > 0:
                made.append(count)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=dispatcher) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not any(thread.is_alive() for thread in threads)
    assert Counter(receiver.warnings()) == Counter(expected)  # each exactly once
    assert sum(made) == len(expected)
    for warning_id in expected:
        [done] = deliveries(uow, warning_id)
        assert (done.status, done.attempts, len(done.attempt_log)) == (
            DeliveryStatus.DELIVERED,
            1,
            1,
        )


def test_a_claim_abandoned_by_a_dead_dispatcher_is_retried_after_its_lease(
    uow: UnitOfWork, receiver: WebhookReceiver, clock: Clock
) -> None:
    configure(uow, ChannelKind.WEBHOOK, receiver.url, secret=SECRET)
    put(uow, envelope())
    with uow as tx:  # a dispatcher claims, then dies before sending
        claimed = tx.deliveries.claim(
            kinds=frozenset({ChannelKind.WEBHOOK}),
            now=T0,
            lease_until=T0 + timedelta(seconds=120),
            token="dead-dispatcher",
            limit=10,
        )
        tx.commit()
    assert len(claimed) == 1

    clock.advance(119)
    assert delivery.dispatch_due(uow, WEBHOOK, now=clock) == 0
    assert receiver.received == []

    clock.advance(1)
    assert delivery.dispatch_due(uow, WEBHOOK, now=clock) == 1

    [done] = deliveries(uow, "crossrisk-yrd-1-330100-1")
    assert done.status is DeliveryStatus.DELIVERED
    assert [(a.number, a.ok) for a in done.attempt_log] == [(1, False), (2, True)]
    assert done.attempt_log[0].detail.startswith("abandoned")
    assert len(receiver.received) == 1


def test_an_abandoned_last_attempt_is_given_up_and_journaled(
    uow: UnitOfWork, receiver: WebhookReceiver, clock: Clock
) -> None:
    configure(uow, ChannelKind.WEBHOOK, receiver.url, secret=SECRET)
    put(uow, envelope())
    with uow as tx:
        tx.deliveries.claim(
            kinds=frozenset({ChannelKind.WEBHOOK}),
            now=T0,
            lease_until=T0 + timedelta(seconds=60),
            token="dead-dispatcher",
            limit=10,
        )
        tx.commit()
    clock.advance(60)

    policy = RetryPolicy(max_attempts=1)
    assert delivery.dispatch_due(uow, WEBHOOK, now=clock, policy=policy) == 0

    [failed] = deliveries(uow, "crossrisk-yrd-1-330100-1")
    assert (failed.status, failed.attempts) == (DeliveryStatus.FAILED, 1)
    assert receiver.received == []
    with uow.read_only() as tx:
        [entry] = tx.journal.about("warning:crossrisk-yrd-1-330100-1")
    assert entry.action == "delivery.given_up"


def test_a_removed_channel_stops_its_waiting_deliveries(
    uow: UnitOfWork, receiver: WebhookReceiver, clock: Clock
) -> None:
    channel = configure(uow, ChannelKind.WEBHOOK, receiver.url, secret=SECRET)
    put(uow, envelope())
    delivery.remove_channel(uow, system_actor(), channel.id, now=T0)
    assert delivery.dispatch_due(uow, WEBHOOK, now=clock) == 0

    [stopped] = deliveries(uow, "crossrisk-yrd-1-330100-1")
    assert (stopped.status, stopped.channel_id, stopped.address) == (
        DeliveryStatus.FAILED,
        None,
        receiver.url,
    )
    assert receiver.received == []


def test_a_hanging_webhook_does_not_hold_back_email_and_mqtt(
    uow: UnitOfWork,
    silent: SilentServer,
    smtp_server: SmtpServer,
    mqtt_broker: tuple[str, int],
    topic_prefix: str,
    clock: Clock,
    tmp_path: Path,
) -> None:
    settings = settings_for_tests(
        "sqlite://",
        tmp_path,
        smtp_port=smtp_server.port,
        smtp_sender="warnings@crossrisk.example",
        mqtt_host=mqtt_broker[0],
        mqtt_port=mqtt_broker[1],
        mqtt_topic_prefix=topic_prefix,
        # Room for the broker and the mail server on a busy machine; the webhook hangs anyway.
        delivery_timeout=3.0,
    )
    configure(uow, ChannelKind.WEBHOOK, silent.url, secret=SECRET)
    configure(uow, ChannelKind.EMAIL, "duty@ema.hangzhou.example")
    configure(uow, ChannelKind.MQTT, "")
    put(uow, envelope())
    subscriber = Subscriber(*mqtt_broker, f"{topic_prefix}/yrd/warnings/330100")
    channels = channels_from_settings(settings)
    try:
        assert delivery.dispatch_due(uow, channels, now=clock) == 3
        received = subscriber.next()
    finally:
        subscriber.close()
        close_all(channels)

    found = by_kind(uow, "crossrisk-yrd-1-330100-1")
    assert found[ChannelKind.EMAIL].status is DeliveryStatus.DELIVERED
    assert found[ChannelKind.MQTT].status is DeliveryStatus.DELIVERED
    assert received.payload == envelope().cap_xml
    assert len(smtp_server.messages_to("duty@ema.hangzhou.example")) >= 1
    hung = found[ChannelKind.WEBHOOK]
    assert hung.status is DeliveryStatus.PENDING
    [attempt] = hung.attempt_log
    assert attempt.ok is False and "timed out" in attempt.detail
