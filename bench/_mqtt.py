"""MQTT for the benchmarks: a QoS 1 publisher, paced publishing, and a bare subscriber.

The bare subscriber (`sink`) does only what no MQTT ingest can avoid: receive each
message, decode its JSON and acknowledge it. Run in its own process, it shows what the
broker and paho carry on this machine, the ceiling under any MQTT ingest.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

HOST, PORT = "127.0.0.1", 1883
PUBLISH_CHUNK = 50
# Mosquitto queues at most 1,000 messages for a subscriber by default (max_queued_messages)
# and silently drops what comes over, QoS 1 or not. A real gateway trickles; the benchmark
# keeps its backlog under that bound instead of bursting.
BROKER_BACKLOG = 600


def _client(client_id: str, *, clean_session: bool = True, manual_ack: bool = False) -> mqtt.Client:
    return mqtt.Client(
        callback_api_version=CallbackAPIVersion.VERSION2,
        client_id=client_id,
        clean_session=clean_session,
        protocol=mqtt.MQTTv311,
        manual_ack=manual_ack,
    )


class Publisher:
    """A QoS 1 publisher that waits for the broker's PUBACK of everything it sent."""

    def __init__(self, client_id: str) -> None:
        self.client = _client(client_id)
        self.client.max_inflight_messages_set(1000)
        self.client.max_queued_messages_set(0)
        self.client.connect(HOST, PORT, keepalive=30)
        self.client.loop_start()

    def publish_all(self, messages: Sequence[tuple[str, bytes]]) -> None:
        infos = [self.client.publish(topic, payload, qos=1) for topic, payload in messages]
        for info in infos:
            info.wait_for_publish(60)

    def publish_paced(
        self, messages: Sequence[tuple[str, bytes]], handled: Callable[[], int]
    ) -> None:
        """Publish all, never more than BROKER_BACKLOG ahead of the messages `handled()`."""
        infos = []
        for i in range(0, len(messages), PUBLISH_CHUNK):
            while i - handled() > BROKER_BACKLOG:
                time.sleep(0.002)
            infos += [self.client.publish(t, p, qos=1) for t, p in messages[i : i + PUBLISH_CHUNK]]
        for info in infos:
            info.wait_for_publish(60)

    def close(self) -> None:
        # Disconnect first: the network thread then ends at once, where loop_stop() alone
        # waits out its one-second select.
        self.client.disconnect()
        self.client.loop_stop()


def forget_session(client_id: str) -> None:
    """Drop a persistent session, so benchmark runs leave nothing behind at the broker."""
    client = _client(client_id, clean_session=True)
    client.connect(HOST, PORT, keepalive=10)
    client.loop_start()
    time.sleep(0.2)
    client.disconnect()
    client.loop_stop()


def _sink(topic: str, client_id: str) -> None:
    """Receive, decode and acknowledge; print "ready", then the count every few messages."""
    client = _client(client_id)
    received = 0

    def on_message(_client: mqtt.Client, _userdata: object, message: mqtt.MQTTMessage) -> None:
        nonlocal received
        json.loads(message.payload)  # paho acknowledges QoS 1 when this returns
        received += 1
        if received % 10 == 0:
            print(received, flush=True)

    def on_subscribe(*_args: object) -> None:
        print("ready", flush=True)

    client.on_message = on_message
    client.on_subscribe = on_subscribe
    client.connect(HOST, PORT, keepalive=30)
    client.subscribe(topic, qos=1)
    client.loop_forever()


def transport_rate(prefix: str, messages: Sequence[tuple[str, bytes]]) -> float:
    """Messages/s the bare subscriber receives, decodes and acknowledges, paced as the ingest.

    Its own process, like the ingest's, so it shares no interpreter lock with the publisher.
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "bench._mqtt", f"{prefix}/#", f"{prefix}-sink"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    lines = process.stdout
    if lines.readline().strip() != "ready":
        process.kill()
        raise RuntimeError("the bare MQTT subscriber did not subscribe")
    received = 0

    def follow() -> None:
        nonlocal received
        for line in lines:
            received = int(line)

    threading.Thread(target=follow, daemon=True).start()
    publisher = Publisher(f"{prefix}-sink-publisher")
    try:
        started = time.perf_counter()
        publisher.publish_paced(messages, lambda: received)
        while received < len(messages) - 9:  # the sink prints every tenth
            if time.perf_counter() - started > 120:
                raise RuntimeError(f"the bare subscriber got {received} of {len(messages)}")
            time.sleep(0.002)
        return len(messages) / (time.perf_counter() - started)
    finally:
        publisher.close()
        process.terminate()
        process.wait(5)


if __name__ == "__main__":
    _sink(sys.argv[1], sys.argv[2])
