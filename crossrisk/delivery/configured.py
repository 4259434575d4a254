"""The delivery channels as the settings configure them: one of each kind, closed together.

This module sits above the channels (they import crossrisk.delivery.channel, which must not
import them back), so code that only needs the Channel interface, such as the worker, does
not load the MQTT and HTTP libraries.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from crossrisk.alerts.ack_link import ack_url
from crossrisk.delivery.channel import Channel
from crossrisk.delivery.destinations import OutboundGuard
from crossrisk.delivery.mqtt import MqttChannel
from crossrisk.delivery.mqtt_login import BrokerLogin
from crossrisk.delivery.smtp import EmailChannel
from crossrisk.delivery.webhook import WebhookChannel
from crossrisk.domain.delivery import ChannelKind
from crossrisk.settings import Settings


def channels_from_settings(settings: Settings) -> dict[ChannelKind, Channel]:
    """One channel of each kind, set up from the settings; close them with close_all."""
    return {
        ChannelKind.WEBHOOK: WebhookChannel(
            timeout=settings.delivery_timeout, guard=OutboundGuard.from_settings(settings)
        ),
        ChannelKind.EMAIL: EmailChannel(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_sender,
            timeout=settings.delivery_timeout,
            ack_link=partial(ack_url, settings.base_url, settings.secret_key),
        ),
        ChannelKind.MQTT: MqttChannel(
            host=settings.mqtt_host,
            port=settings.mqtt_port,
            topic_prefix=settings.mqtt_topic_prefix,
            timeout=settings.delivery_timeout,
            login=BrokerLogin.from_settings(settings),
        ),
    }


def close_all(channels: Mapping[ChannelKind, Channel]) -> None:
    """Close every channel of a set."""
    for channel in channels.values():
        channel.close()
