"""Delivery channels of recipient organisations (webhook, e-mail, MQTT)."""

from __future__ import annotations

import sys

import click

from crossrisk.cli.support import now, settings_or_fail, uow_for
from crossrisk.delivery.destinations import OutboundGuard
from crossrisk.domain.delivery import ChannelConfig
from crossrisk.domain.organisation import system_actor
from crossrisk.services import delivery as delivery_service


@click.group()
def channels() -> None:
    """Delivery channels of recipient organisations (webhook, e-mail, MQTT)."""


@channels.command("add")
@click.argument("organisation")
@click.argument("kind")
@click.argument("address", default="")
@click.option("--secret", default=None, help="The webhook's signing key (16+ characters).")
@click.option("--secret-stdin", is_flag=True, help="Read the signing key from standard input.")
def channels_add(
    organisation: str, kind: str, address: str, secret: str | None, secret_stdin: bool
) -> None:
    """Add a channel: KIND webhook (URL), email (address) or mqtt (topic; '' = default)."""
    settings = settings_or_fail()
    if secret_stdin:
        secret = sys.stdin.readline().rstrip("\n")
    channel = delivery_service.add_channel(
        uow_for(settings),
        system_actor(),
        organisation_code=organisation,
        kind=kind,
        address=address,
        secret=secret,
        guard=OutboundGuard.from_settings(settings),
        topic_prefix=settings.mqtt_topic_prefix,
        now=now(),
    )
    click.echo(
        f"channel {channel.id} added to {channel.organisation_code}: {_channel_line(channel)}"
    )


@channels.command("list")
@click.argument("organisation")
def channels_list(organisation: str) -> None:
    """List an organisation's channels (secrets as fingerprints)."""
    found = delivery_service.list_channels(
        uow_for(settings_or_fail()), system_actor(), organisation
    )
    if not found:
        click.echo(f"{organisation} has no delivery channel")
    for channel in found:
        click.echo(f"{channel.id:>5}  {_channel_line(channel)}")


@channels.command("remove")
@click.argument("channel_id", type=int)
def channels_remove(channel_id: int) -> None:
    """Remove a channel; messages still waiting for it are not sent."""
    channel = delivery_service.remove_channel(
        uow_for(settings_or_fail()), system_actor(), channel_id, now=now()
    )
    click.echo(f"channel {channel.id} removed from {channel.organisation_code}")


def _channel_line(channel: ChannelConfig) -> str:
    address = channel.address or "(the jurisdiction's default topic)"
    secret = f"  secret {channel.secret_fingerprint}" if channel.secret_fingerprint else ""
    return f"{channel.kind.value:<8} {address}{secret}"
