"""Delivering warnings: channel configuration, the outbox, and the dispatcher.

Messages are stored with the change that caused them (`enqueue`, inside the caller's
transaction) and sent afterwards by `dispatch_due`, which any number of processes may run
against the same database: each claims due deliveries in a short transaction, sends them
in parallel without holding a transaction open, and records each result in its own.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from datetime import datetime, timedelta
from typing import Any, Protocol

from crossrisk.delivery.destinations import OutboundGuard
from crossrisk.domain.delivery import (
    ChannelConfig,
    ChannelKind,
    Delivery,
    DeliveryStatus,
    Envelope,
    Outcome,
    RetryPolicy,
    Target,
    after_attempt,
    check_envelope,
    check_own_topic,
    check_target,
    message_subject,
    own_topic_roots,
    parse_channel_kind,
    redacted,
)
from crossrisk.domain.errors import NotFound, NotPermitted
from crossrisk.domain.organisation import Actor, Organisation, OrganisationKind, system_actor
from crossrisk.domain.permissions.channels import can_configure_channels, can_see_channel_addresses
from crossrisk.domain.permissions.regions import require_read_region
from crossrisk.store.repositories.deliveries import CHANNEL_REMOVED
from crossrisk.store.repositories.delivery_claims import ClaimedDelivery
from crossrisk.store.uow import Transaction, UnitOfWork

log = logging.getLogger(__name__)

DISPATCHER = system_actor("delivery")
# Long enough for every claimed send to end by its own timeout; a dispatcher that dies
# holding a claim delays that delivery by at most this much.
DEFAULT_LEASE = timedelta(minutes=2)
DEFAULT_POLICY = RetryPolicy()


class Sender(Protocol):
    """What the dispatcher needs of a channel (crossrisk.delivery.channel.Channel)."""

    def send(self, envelope: Envelope, target: Target, *, message_id: str) -> Outcome: ...


OnDelivered = Callable[[Transaction, Envelope, datetime], None]


# Channel configuration ------------------------------------------------------------------


def add_channel(
    uow: UnitOfWork,
    actor: Actor,
    *,
    organisation_code: str,
    kind: ChannelKind | str,
    address: str,
    secret: str | None,
    guard: OutboundGuard,
    topic_prefix: str,
    now: datetime,
) -> ChannelConfig:
    """Configure one more way to reach an organisation.

    A webhook's host must resolve to public addresses (or ones the guard allows), and an
    MQTT topic must lie under the organisation's own prefix.
    """
    with uow.read_only() as tx:
        organisation, regions = require_configure(tx, actor, organisation_code)
        target = check_target(parse_channel_kind(str(kind)), address, secret or None)
        if target.kind is ChannelKind.MQTT:
            check_own_topic(target.address, own_topic_roots(topic_prefix, organisation, regions))
    if target.kind is ChannelKind.WEBHOOK:
        # Resolved with no transaction open, and only for someone who may add the channel.
        guard.check_url(target.address)
    with uow as tx:
        require_configure(tx, actor, organisation_code)
        channel = tx.deliveries.add_channel(
            organisation_code=organisation_code, target=target, now=now
        )
        tx.record(
            actor,
            "channel.added",
            subject=f"organisation:{organisation_code}",
            payload=channel_payload(channel),
            region_code=None,
            now=now,
        )
        tx.commit()
    return channel


def remove_channel(
    uow: UnitOfWork,
    actor: Actor,
    channel_id: int,
    *,
    now: datetime,
    organisation_code: str | None = None,
) -> ChannelConfig:
    """Remove a channel; deliveries still waiting for it are stopped and marked failed."""
    with uow as tx:
        channel = tx.deliveries.channel(channel_id)
        if organisation_code is not None and channel.organisation_code != organisation_code:
            raise NotFound(
                f"{organisation_code} has no channel {channel_id}", key="channel-not-found"
            )
        require_configure(tx, actor, channel.organisation_code)
        stopped = tx.deliveries.remove_channel(channel_id, now=now)
        tx.record(
            actor,
            "channel.removed",
            subject=f"organisation:{channel.organisation_code}",
            payload={**channel_payload(channel), "deliveries_stopped": stopped},
            region_code=None,
            now=now,
        )
        tx.commit()
    return channel


def list_channels(uow: UnitOfWork, actor: Actor, organisation_code: str) -> list[ChannelConfig]:
    """The organisation's channels (secrets appear only as fingerprints)."""
    with uow.read_only() as tx:
        require_configure(tx, actor, organisation_code)
        return tx.deliveries.channels_of(organisation_code)


def require_configure(
    tx: Transaction, actor: Actor, organisation_code: str
) -> tuple[Organisation, set[str]]:
    """The organisation and its regions, unless the actor may not configure its channels."""
    organisation, regions = _with_regions(tx, organisation_code)
    if not can_configure_channels(actor, organisation, regions):
        raise NotPermitted(
            f"{actor.organisation.code} ({actor.role}) may not configure the delivery "
            f"channels of {organisation_code}",
            key="channel-not-permitted",
            params={"organisation": organisation_code},
        )
    return organisation, regions


def _with_regions(tx: Transaction, organisation_code: str) -> tuple[Organisation, set[str]]:
    organisation = tx.organisations.get(organisation_code)
    return organisation, regions_of_organisation(tx, organisation)


def regions_of_organisation(tx: Transaction, organisation: Organisation) -> set[str]:
    """The regions an organisation belongs to: a city's, or the one a body serves."""
    if organisation.kind is OrganisationKind.JURISDICTION and organisation.jurisdiction_code:
        return set(tx.regions.regions_of(organisation.jurisdiction_code))
    return {organisation.region_code} if organisation.region_code else set()


def channel_payload(channel: ChannelConfig) -> dict[str, Any]:
    """What the journal keeps of a channel (its secret only as a fingerprint)."""
    return {
        "channel": channel.id,
        "organisation": channel.organisation_code,
        "kind": channel.kind.value,
        "address": channel.address,
        "secret_fingerprint": channel.secret_fingerprint,
    }


# The outbox -----------------------------------------------------------------------------


def enqueue(tx: Transaction, envelope: Envelope, *, organisation_code: str, now: datetime) -> int:
    """Store a message for every enabled channel of the organisation, in the caller's open tx.

    Nothing is sent and nothing committed here: the message is written in the same
    transaction as the warning it carries, so there is never one without the other.
    Returns the number of deliveries created (0 when the organisation has no channel).
    """
    check_envelope(envelope)
    tx.organisations.get(organisation_code)  # NotFound before anything is written
    return tx.deliveries.enqueue(envelope, organisation_code=organisation_code, now=now)


def deliveries_of(uow: UnitOfWork, actor: Actor, warning_id: str) -> list[Delivery]:
    """Every delivery of a warning's messages with each attempt, for whoever reads its region.

    Deliveries to an organisation whose addresses the actor may not see come without the
    address and the replies (crossrisk.domain.permissions.channels.can_see_channel_addresses).
    """
    with uow.read_only() as tx:
        for region_code in sorted(tx.deliveries.region_codes_of_warning(warning_id)):
            require_read_region(actor, region_code)
        found = tx.deliveries.of_warning(warning_id)
        visible = {
            code: can_see_channel_addresses(actor, *_with_regions(tx, code))
            for code in {item.organisation_code for item in found}
        }
    return [item if visible[item.organisation_code] else redacted(item) for item in found]


# The dispatcher -------------------------------------------------------------------------


def dispatch_due(
    uow: UnitOfWork,
    channels: Mapping[ChannelKind, Sender],
    *,
    now: Callable[[], datetime],
    policy: RetryPolicy = DEFAULT_POLICY,
    limit: int = 50,
    on_delivered: OnDelivered | None = None,
    lease: timedelta = DEFAULT_LEASE,
    reap: bool = True,
) -> int:
    """Send the deliveries that are due by these channels once each; returns attempts made.

    Safe to run in several processes at once: each delivery is claimed by one dispatcher
    per attempt. A claim is a lease, so deliveries of a dispatcher that died become due
    again once it ends. Each send is bounded by its channel's timeout and runs beside the
    others, so a hanging recipient delays nobody else.
    """
    # Results are recorded from several threads at once, each in a unit of work of its own.
    new_uow = uow.fresh
    try:
        if reap:  # a long-running worker reaps on a timer of its own instead
            _reap_abandoned(new_uow, policy=policy, now=now, limit=limit)
    except Exception:
        # Abandoned claims wait for the next pass; the due deliveries need not.
        log.exception("could not take back abandoned delivery claims")
    kinds = frozenset(channels)
    if not kinds:
        return 0
    token = uuid.uuid4().hex
    with new_uow() as tx:
        started = now()
        claimed = tx.deliveries.claim(
            kinds=kinds, now=started, lease_until=started + lease, token=token, limit=limit
        )
        tx.commit()
    if not claimed:
        return 0
    pool = ThreadPoolExecutor(max_workers=len(claimed), thread_name_prefix="delivery")
    try:
        futures: dict[Future[Outcome], ClaimedDelivery] = {
            pool.submit(_send, channels[item.kind], item): item for item in claimed
        }
        # Results are recorded as they come, so a quick e-mail is on record while a slow
        # webhook is still waiting for its timeout.
        for future in as_completed(futures, timeout=lease.total_seconds()):
            _record(new_uow, futures[future], future.result(), policy, now, on_delivered)
    except TimeoutError:
        # Only a channel that ignores its own timeout gets here; its claims stay until
        # their lease ends and are then retried.
        log.error("delivery sends still running when their lease ended; left to the lease")
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return len(claimed)


def _send(channel: Sender, item: ClaimedDelivery) -> Outcome:
    if item.target is None:
        return Outcome(False, CHANNEL_REMOVED, permanent=True)
    try:
        return channel.send(item.envelope, item.target, message_id=str(item.delivery_id))
    except Exception as error:  # channels should not raise; if one does, it is one failure
        log.exception("channel %s raised instead of reporting", item.kind)
        return Outcome(False, f"{type(error).__name__}: {error}")


def _record(
    new_uow: Callable[[], UnitOfWork],
    item: ClaimedDelivery,
    outcome: Outcome,
    policy: RetryPolicy,
    now: Callable[[], datetime],
    on_delivered: OnDelivered | None,
) -> None:
    try:
        with new_uow() as tx:
            at = now()
            tx.deliveries.finish_attempt(item.delivery_id, item.attempt, outcome, finished_at=at)
            status, next_at = after_attempt(outcome, attempt=item.attempt, policy=policy, at=at)
            held = tx.deliveries.settle(
                item.delivery_id,
                claim_token=item.claim_token,
                status=status,
                next_attempt_at=next_at,
                detail=outcome.detail,
                delivered_at=at if status is DeliveryStatus.DELIVERED else None,
            )
            # A claim lost to the lease belongs to whoever took it over; only the attempt's
            # own record is kept from this late result.
            if held and status is DeliveryStatus.DELIVERED and on_delivered is not None:
                _call_on_delivered(tx, on_delivered, item.envelope, at)
            if held and status is DeliveryStatus.FAILED:
                _give_up(
                    tx,
                    delivery_id=item.delivery_id,
                    warning_id=item.envelope.warning_id,
                    region_code=item.envelope.region_code,
                    organisation_code=item.organisation_code,
                    kind=item.kind,
                    address=item.address,
                    attempts=item.attempt,
                    detail=outcome.detail,
                    permanent=outcome.permanent,
                    now=at,
                )
            tx.commit()
    except Exception:
        # Unrecorded, the claim stays until its lease ends and the delivery is retried then.
        log.exception("could not record attempt %s of delivery %s", item.attempt, item.delivery_id)


def _call_on_delivered(
    tx: Transaction, on_delivered: OnDelivered, envelope: Envelope, at: datetime
) -> None:
    # In a savepoint: if the follow-up fails, the delivery is still recorded as made,
    # rather than being sent again after the lease only to fail the same way.
    try:
        with tx.savepoint():
            on_delivered(tx, envelope, at)
    except Exception:
        log.exception("on_delivered failed for warning %s", envelope.warning_id)


def _reap_abandoned(
    new_uow: Callable[[], UnitOfWork],
    *,
    policy: RetryPolicy,
    now: Callable[[], datetime],
    limit: int,
) -> None:
    """Close attempts whose dispatcher's lease ended: retry them at once, or give up."""
    with new_uow() as tx:
        at = now()
        for item in tx.deliveries.abandoned(now=at, limit=limit):
            detail = (
                f"abandoned: no result recorded for attempt {item.attempt} before its lease ended"
            )
            give_up = policy.delay_after(item.attempt) is None
            settled = tx.deliveries.settle(
                item.delivery_id,
                claim_token=item.claim_token,
                status=DeliveryStatus.FAILED if give_up else DeliveryStatus.PENDING,
                next_attempt_at=None if give_up else at,
                detail=detail,
                delivered_at=None,
                expired_by=at,
            )
            if not settled:
                continue
            tx.deliveries.finish_attempt(
                item.delivery_id, item.attempt, Outcome(False, detail), finished_at=at
            )
            if give_up:
                _give_up(
                    tx,
                    delivery_id=item.delivery_id,
                    warning_id=item.warning_id,
                    region_code=item.region_code,
                    organisation_code=item.organisation_code,
                    kind=item.kind,
                    address=item.address,
                    attempts=item.attempt,
                    detail=detail,
                    permanent=False,
                    now=at,
                )
        tx.commit()


def _give_up(
    tx: Transaction,
    *,
    delivery_id: int,
    warning_id: str,
    region_code: str,
    organisation_code: str,
    kind: ChannelKind,
    address: str,
    attempts: int,
    detail: str,
    permanent: bool,
    now: datetime,
) -> None:
    subject = message_subject(warning_id)
    payload = {
        "delivery": delivery_id,
        "organisation": organisation_code,
        "kind": kind.value,
        "address": address,
        "attempts": attempts,
        "permanent": permanent,
        "detail": detail,
    }
    tx.record(
        DISPATCHER,
        "delivery.given_up",
        subject=subject,
        payload=payload,
        region_code=region_code,
        now=now,
    )
