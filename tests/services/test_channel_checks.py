"""Channel tests, disabling and the last deliveries, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from crossrisk.delivery.mqtt import MqttChannel
from crossrisk.delivery.smtp import EmailChannel
from crossrisk.delivery.webhook import WebhookChannel
from crossrisk.domain.delivery import ChannelKind, DeliveryStatus, Purpose
from crossrisk.domain.errors import NotFound, NotPermitted
from crossrisk.domain.organisation import Role
from crossrisk.services import channels, delivery
from crossrisk.store.uow import UnitOfWork
from tests.delivery.builders import SECRET
from tests.delivery.servers import SmtpServer, WebhookReceiver
from tests.delivery.test_mqtt import Subscriber
from tests.delivery_fixtures import RECEIVERS_GUARD
from tests.support import T0, actor

ORG = "ema-341000"


def journal_length(uow: UnitOfWork) -> int:
    with uow.read_only() as tx:
        return sum(1 for _ in tx.journal.entries())


def add_webhook(uow: UnitOfWork, url: str) -> int:
    return delivery.add_channel(
        uow,
        actor(uow, ORG),
        organisation_code=ORG,
        kind="webhook",
        address=url,
        secret=SECRET,
        guard=RECEIVERS_GUARD,
        topic_prefix="crossrisk",
        now=T0,
    ).id


def senders() -> dict[ChannelKind, WebhookChannel]:
    return {ChannelKind.WEBHOOK: WebhookChannel(timeout=5, guard=RECEIVERS_GUARD)}


def test_a_test_message_goes_through_the_real_webhook_and_is_on_record(
    uow: UnitOfWork, receiver: WebhookReceiver
) -> None:
    channel_id = add_webhook(uow, receiver.url)
    sent = channels.send_test_message(
        uow,
        actor(uow, ORG),
        channel_id,
        organisation_code=ORG,
        senders=senders(),
        clock=lambda: T0,
    )
    assert (sent.status, sent.purpose, sent.channel_id) == (
        DeliveryStatus.DELIVERED,
        Purpose.TEST,
        channel_id,
    )
    (received,) = receiver.received
    assert b"<status>Test</status>" in received.body
    assert "webhook-signature" in received.headers
    receiver.answer(503)
    failed = channels.send_test_message(
        uow,
        actor(uow, ORG),
        channel_id,
        organisation_code=ORG,
        senders=senders(),
        clock=lambda: T0 + timedelta(minutes=1),
    )
    assert failed.status is DeliveryStatus.FAILED and "503" in failed.last_detail
    latest = channels.latest_deliveries(uow, actor(uow, ORG), ORG)
    assert [d.id for d in latest] == [failed.id, sent.id]
    with uow.read_only() as tx:
        tested = [
            e for e in tx.journal.about(f"organisation:{ORG}") if e.action == "channel.tested"
        ]
    assert [e.payload["ok"] for e in tested] == [True, False]


def test_a_disabled_channel_gets_no_new_warnings_until_enabled(
    uow: UnitOfWork, receiver: WebhookReceiver
) -> None:
    channel_id = add_webhook(uow, receiver.url)
    off = channels.set_channel_enabled(
        uow, actor(uow, ORG), channel_id, organisation_code=ORG, enabled=False, now=T0
    )
    assert off.enabled is False
    with uow.read_only() as tx:
        assert [c.enabled for c in tx.deliveries.channels_of(ORG)] == [False]
        assert tx.journal.about(f"organisation:{ORG}")[-1].action == "channel.disabled"
    on = channels.set_channel_enabled(
        uow, actor(uow, ORG), channel_id, organisation_code=ORG, enabled=True, now=T0
    )
    assert on.enabled is True


@pytest.mark.parametrize("organisation, role", [("ema-330100", Role.OFFICER), (ORG, Role.VIEWER)])
def test_another_city_and_a_viewer_neither_test_nor_disable_and_nothing_is_sent(
    uow: UnitOfWork, receiver: WebhookReceiver, organisation: str, role: Role
) -> None:
    channel_id = add_webhook(uow, receiver.url)
    before = journal_length(uow)
    refused = actor(uow, organisation, role)
    with pytest.raises(NotPermitted):
        channels.send_test_message(
            uow, refused, channel_id, organisation_code=ORG, senders=senders(), clock=lambda: T0
        )
    with pytest.raises(NotPermitted):
        channels.set_channel_enabled(
            uow, refused, channel_id, organisation_code=ORG, enabled=False, now=T0
        )
    with pytest.raises(NotPermitted):
        channels.latest_deliveries(uow, refused, ORG)
    assert receiver.received == []
    assert journal_length(uow) == before
    with uow.read_only() as tx:
        assert [c.enabled for c in tx.deliveries.channels_of(ORG)] == [True]


def test_a_channel_of_another_organisation_is_not_found_through_this_one(
    uow: UnitOfWork, receiver: WebhookReceiver
) -> None:
    channel_id = add_webhook(uow, receiver.url)
    with pytest.raises(NotFound):
        channels.set_channel_enabled(
            uow,
            actor(uow, "ema-330100"),
            channel_id,
            organisation_code="ema-330100",
            enabled=False,
            now=T0,
        )


def test_a_test_message_goes_by_e_mail_and_by_mqtt_too(
    uow: UnitOfWork, smtp_server: SmtpServer, mqtt_broker: tuple[str, int], topic_prefix: str
) -> None:
    officer = actor(uow, ORG)
    address = f"duty-{uuid.uuid4().hex[:8]}@ema.huangshan.example"
    mail = delivery.add_channel(
        uow,
        officer,
        organisation_code=ORG,
        kind="email",
        address=address,
        secret=None,
        guard=RECEIVERS_GUARD,
        topic_prefix=topic_prefix,
        now=T0,
    )
    topic = delivery.add_channel(
        uow,
        officer,
        organisation_code=ORG,
        kind="mqtt",
        address="",
        secret=None,
        guard=RECEIVERS_GUARD,
        topic_prefix=topic_prefix,
        now=T0,
    )
    real = {
        ChannelKind.EMAIL: EmailChannel(
            host="127.0.0.1", port=smtp_server.port, sender="crossrisk@example.org", timeout=5
        ),
        ChannelKind.MQTT: MqttChannel(
            host=mqtt_broker[0], port=mqtt_broker[1], topic_prefix=topic_prefix, timeout=5
        ),
    }
    subscriber = Subscriber(*mqtt_broker, f"{topic_prefix}/yrd/warnings/341000")
    try:
        by_mail = channels.send_test_message(
            uow, officer, mail.id, organisation_code=ORG, senders=real, clock=lambda: T0
        )
        by_mqtt = channels.send_test_message(
            uow, officer, topic.id, organisation_code=ORG, senders=real, clock=lambda: T0
        )
        published = subscriber.next()
    finally:
        subscriber.close()
        for channel in real.values():
            channel.close()
    assert by_mail.status is DeliveryStatus.DELIVERED, by_mail.last_detail
    assert by_mqtt.status is DeliveryStatus.DELIVERED, by_mqtt.last_detail
    [message] = smtp_server.messages_to(address)
    assert "测试消息" in str(message["Subject"])
    assert b"<status>Test</status>" in published.payload
