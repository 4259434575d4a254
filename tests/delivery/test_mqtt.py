"""The MQTT channel against the real Mosquitto broker at 127.0.0.1:1883."""

from __future__ import annotations

import queue
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from crossrisk.delivery.mqtt import MqttChannel
from crossrisk.domain.delivery import ChannelKind, Target
from tests.delivery.builders import TIMEOUT, envelope
from tests.delivery.servers import free_port

WAIT = 30  # seconds to wait for a message before calling it lost (not a timing check)


class Subscriber:
    """A separate MQTT client that collects what arrives on a topic."""

    def __init__(self, host: str, port: int, topic: str) -> None:
        self.messages: queue.Queue[mqtt.MQTTMessage] = queue.Queue()
        subscribed = threading.Event()
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=f"test-sub-{uuid.uuid4().hex[:8]}"
        )
        self.client.on_message = lambda _c, _u, message: self.messages.put(message)
        self.client.on_subscribe = lambda *_args: subscribed.set()

        def on_connect(client: mqtt.Client, *_args: Any) -> None:
            client.subscribe(topic, qos=1)

        self.client.on_connect = on_connect
        self.client.connect(host, port)
        self.client.loop_start()
        assert subscribed.wait(WAIT), "the subscription was not confirmed"

    def next(self) -> mqtt.MQTTMessage:
        return self.messages.get(timeout=WAIT)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


@pytest.fixture
def channel(mqtt_broker: tuple[str, int], topic_prefix: str) -> Iterator[MqttChannel]:
    host, port = mqtt_broker
    made = MqttChannel(host=host, port=port, topic_prefix=topic_prefix, timeout=5)
    yield made
    made.close()


def test_publishes_the_exact_cap_bytes_to_the_jurisdictions_topic(
    mqtt_broker: tuple[str, int], channel: MqttChannel, topic_prefix: str
) -> None:
    topic = f"{topic_prefix}/yrd/warnings/330100"
    subscriber = Subscriber(*mqtt_broker, topic)
    try:
        message = envelope()
        outcome = channel.send(message, Target(ChannelKind.MQTT, ""))
        received = subscriber.next()
    finally:
        subscriber.close()
    assert outcome.ok, outcome.detail
    assert received.topic == topic
    assert received.payload == message.cap_xml
    assert received.qos == 1
    assert not received.retain


def test_a_configured_topic_replaces_the_default_and_the_connection_is_reused(
    mqtt_broker: tuple[str, int], channel: MqttChannel, topic_prefix: str
) -> None:
    topic = f"{topic_prefix}/hangzhou-ema/inbox"
    subscriber = Subscriber(*mqtt_broker, topic)
    try:
        first = channel.send(envelope("w-1"), Target(ChannelKind.MQTT, topic))
        client = channel._client
        second = channel.send(envelope("w-2"), Target(ChannelKind.MQTT, topic))
        payloads = {subscriber.next().payload, subscriber.next().payload}
    finally:
        subscriber.close()
    assert first.ok and second.ok
    assert channel._client is client
    assert payloads == {envelope("w-1").cap_xml, envelope("w-2").cap_xml}


def test_an_unreachable_broker_is_a_retryable_failure() -> None:
    channel = MqttChannel(host="127.0.0.1", port=free_port(), topic_prefix="x", timeout=TIMEOUT)
    try:
        outcome = channel.send(envelope(), Target(ChannelKind.MQTT, ""))
    finally:
        channel.close()
    assert not outcome.ok and not outcome.permanent
    assert "unreachable" in outcome.detail
