"""MQTT channel: publishes the CAP message to the recipient jurisdiction's topic."""

from __future__ import annotations

import logging
import os
import secrets
import threading
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from crossrisk.delivery.channel import Deadline, error_text
from crossrisk.delivery.mqtt_login import BrokerLogin
from crossrisk.domain.delivery import ChannelKind, Envelope, Outcome, Target, default_topic

log = logging.getLogger(__name__)

QOS = 1  # at least once: the broker's PUBACK is the delivery receipt


class MqttChannel:
    """Publishes with QoS 1 over one connection per process, kept open and reconnected."""

    kind = ChannelKind.MQTT

    def __init__(
        self,
        *,
        host: str,
        port: int,
        topic_prefix: str,
        timeout: float,
        login: BrokerLogin | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.topic_prefix = topic_prefix
        self.timeout = timeout
        self.login = login or BrokerLogin()
        self._lock = threading.Lock()
        self._client: mqtt.Client | None = None
        self._pid = 0
        self._connected = threading.Event()
        self._last_error = "not connected yet"

    def topic_for(self, envelope: Envelope, target: Target) -> str:
        """The configured topic, or the recipient jurisdiction's warnings topic."""
        return target.address or default_topic(self.topic_prefix, envelope)

    def send(self, envelope: Envelope, target: Target, *, message_id: str = "") -> Outcome:
        """Publish once and wait for the broker's PUBACK within the timeout."""
        deadline = Deadline(self.timeout)
        topic = self.topic_for(envelope, target)
        try:
            client = self._client_for_this_process()
            if not self._connected.wait(deadline.remaining()):
                return Outcome(
                    False, f"broker {self.host}:{self.port} unreachable: {self._last_error}"
                )
            # Never retained: a late subscriber must not take an old warning for a new one.
            info = client.publish(topic, payload=envelope.cap_xml, qos=QOS, retain=False)
            if info.rc != mqtt.MQTT_ERR_SUCCESS:
                return Outcome(False, f"publish to {topic} failed: {mqtt.error_string(info.rc)}")
            info.wait_for_publish(deadline.remaining())
            if info.is_published():
                return Outcome(True, f"PUBACK for message {info.mid} on {topic}")
            return Outcome(False, f"no PUBACK on {topic} within {self.timeout:g} s")
        except Exception as error:  # a channel reports, it never raises
            return Outcome(False, f"publish to {topic} failed: {error_text(error)}")

    def close(self) -> None:
        """Disconnect and stop the network thread."""
        with self._lock:
            client, self._client = self._client, None
            self._connected.clear()
        if client is not None and self._pid == os.getpid():
            client.disconnect()
            client.loop_stop()

    def _client_for_this_process(self) -> mqtt.Client:
        with self._lock:
            # A client made before a fork belongs to the parent: its socket and network
            # thread did not come along, so the child starts its own.
            if self._client is None or self._pid != os.getpid():
                self._client = self._start()
                self._pid = os.getpid()
            return self._client

    def _start(self) -> mqtt.Client:
        self._connected.clear()
        client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=f"crossrisk-delivery-{os.getpid()}-{secrets.token_hex(4)}",
            clean_session=True,
            protocol=mqtt.MQTTv311,
        )
        client.connect_timeout = self.timeout
        self.login.apply(client)
        client.reconnect_delay_set(min_delay=1, max_delay=30)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_connect_fail = self._on_connect_fail
        # The network thread connects, and reconnects after any loss, by itself.
        client.connect_async(self.host, self.port, keepalive=30)
        client.loop_start()
        return client

    def _on_connect(
        self, _client: mqtt.Client, _userdata: Any, _flags: Any, reason: Any, _props: Any
    ) -> None:
        if reason.is_failure:
            self._last_error = f"connection refused: {reason}"
            self._connected.clear()
        else:
            self._last_error = ""
            self._connected.set()

    def _on_disconnect(
        self, _client: mqtt.Client, _userdata: Any, _flags: Any, reason: Any, _props: Any
    ) -> None:
        self._connected.clear()
        # The broker drops a refused login right after its CONNACK; the refusal says more.
        if not self._last_error.startswith("connection refused"):
            self._last_error = f"disconnected: {reason}"
        log.info("MQTT broker %s:%s disconnected: %s", self.host, self.port, reason)

    def _on_connect_fail(self, _client: mqtt.Client, _userdata: Any) -> None:
        self._last_error = "connection failed"
