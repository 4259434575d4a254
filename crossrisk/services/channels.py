"""What the channels page does beyond adding and removing: disable, test, recent deliveries.

Adding and removing channels, and queueing warnings for them, are in services/delivery.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from crossrisk.alerts.cap.probe import HEADLINE_EN, HEADLINE_ZH, render_test_alert
from crossrisk.domain.cap_sender import region_cap_sender
from crossrisk.domain.delivery import (
    TEST_MESSAGE_PREFIX,
    ChannelConfig,
    ChannelKind,
    Delivery,
    Envelope,
    Outcome,
    Purpose,
)
from crossrisk.domain.errors import NotFound
from crossrisk.domain.organisation import Actor, Organisation, OrganisationKind
from crossrisk.domain.permissions.channels import can_configure_channels
from crossrisk.services.delivery import (
    Sender,
    channel_payload,
    regions_of_organisation,
    require_configure,
)
from crossrisk.store.uow import Transaction, UnitOfWork

LATEST_LIMIT = 20


def set_channel_enabled(
    uow: UnitOfWork,
    actor: Actor,
    channel_id: int,
    *,
    organisation_code: str,
    enabled: bool,
    now: datetime,
) -> ChannelConfig:
    """Disable a channel (new warnings skip it; it is kept) or enable it again."""
    with uow as tx:
        channel = _channel_of(tx, actor, channel_id, organisation_code)
        tx.deliveries.set_enabled(channel_id, enabled)
        tx.record(
            actor,
            "channel.enabled" if enabled else "channel.disabled",
            subject=f"organisation:{organisation_code}",
            payload=channel_payload(channel),
            region_code=None,
            now=now,
        )
        tx.commit()
        return tx.deliveries.channel(channel_id)


def send_test_message(
    uow: UnitOfWork,
    actor: Actor,
    channel_id: int,
    *,
    organisation_code: str,
    senders: Mapping[ChannelKind, Sender],
    clock: Callable[[], datetime],
) -> Delivery:
    """Send a CAP test alert through the real channel now, and record how it went.

    Sent while the officer waits, with no transaction open, bounded by the channel's own
    timeout; a disabled channel may be tested too, so it can be fixed before it is enabled.
    """
    started = clock()
    with uow.read_only() as tx:
        channel = _channel_of(tx, actor, channel_id, organisation_code)
        target = tx.deliveries.target_of(channel_id)
        organisation, regions = require_configure(tx, actor, organisation_code)
        region_code = _region_for(tx, organisation, regions)
    identifier = f"{TEST_MESSAGE_PREFIX}{channel_id}-{started.strftime('%Y%m%dT%H%M%S%f')}"
    envelope = Envelope(
        warning_id=identifier,
        purpose=Purpose.TEST,
        region_code=region_code,
        jurisdiction_code=organisation.jurisdiction_code or "",
        subject=f"{HEADLINE_ZH} / {HEADLINE_EN}",
        body=f"{HEADLINE_ZH}\n\n{HEADLINE_EN}\n",
        cap_xml=render_test_alert(
            identifier=identifier, sender=region_cap_sender(region_code), sent=started
        ),
        ack_url=None,
    )
    sender = senders.get(channel.kind)
    if sender is None:
        outcome = Outcome(False, f"no {channel.kind} channel is configured on this server")
    else:
        try:
            outcome = sender.send(envelope, target, message_id=identifier)
        except Exception as error:  # a channel should report, not raise; if it does, it failed
            outcome = Outcome(False, f"{type(error).__name__}: {error}")
    finished = clock()
    with uow as tx:
        _channel_of(tx, actor, channel_id, organisation_code)
        delivery_id = tx.deliveries.record_sent(
            envelope,
            organisation_code=organisation_code,
            channel=channel,
            outcome=outcome,
            started_at=started,
            finished_at=finished,
        )
        tx.record(
            actor,
            "channel.tested",
            subject=f"organisation:{organisation_code}",
            payload={
                **channel_payload(channel),
                "delivery": delivery_id,
                "ok": outcome.ok,
                "detail": outcome.detail,
            },
            region_code=None,
            now=finished,
        )
        tx.commit()
        latest = tx.deliveries.latest_of_organisation(organisation_code, limit=10)
    return next(delivery for delivery in latest if delivery.id == delivery_id)


def latest_deliveries(
    uow: UnitOfWork, actor: Actor, organisation_code: str, *, limit: int = LATEST_LIMIT
) -> list[Delivery]:
    """The organisation's most recent deliveries by any channel, newest first."""
    with uow.read_only() as tx:
        require_configure(tx, actor, organisation_code)
        return tx.deliveries.latest_of_organisation(organisation_code, limit=limit)


def configurable_organisations(uow: UnitOfWork, actor: Actor) -> list[Organisation]:
    """The organisations whose channels the actor configures, by code."""
    with uow.read_only() as tx:
        return [
            organisation
            for organisation in tx.organisations.all()
            if organisation.kind is not OrganisationKind.SYSTEM
            and can_configure_channels(
                actor, organisation, regions_of_organisation(tx, organisation)
            )
        ]


def _channel_of(
    tx: Transaction, actor: Actor, channel_id: int, organisation_code: str
) -> ChannelConfig:
    channel = tx.deliveries.channel(channel_id)
    if channel.organisation_code != organisation_code:
        raise NotFound(f"{organisation_code} has no channel {channel_id}", key="channel-not-found")
    require_configure(tx, actor, organisation_code)
    return channel


def _region_for(tx: Transaction, organisation: Organisation, regions: set[str]) -> str:
    """The region a test message is filed under: the organisation's, else the first one."""
    if regions:
        return sorted(regions)[0]
    # The central office belongs to no region; its test is filed under any one.
    return sorted(region.code for region in tx.regions.all())[0]
