"""Delivery channels, outgoing messages, and claiming and recording deliveries.

Several processes dispatch from the same database, so every change of a delivery's
state is a conditional UPDATE: a claim takes only rows still pending and due (and, on
PostgreSQL, skips rows another dispatcher has locked), and a result is recorded only by
the dispatcher whose claim token is still on the row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, Result, and_, select, update
from sqlalchemy.orm import Session

from crossrisk.domain.delivery import (
    ChannelConfig,
    ChannelKind,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    Envelope,
    Outcome,
    Purpose,
    Target,
    secret_fingerprint,
)
from crossrisk.domain.errors import Conflict, NotFound
from crossrisk.store.models import (
    DeliveryAttemptRow,
    DeliveryChannelRow,
    DeliveryMessageRow,
    DeliveryRow,
)

NO_SYNC = {"synchronize_session": False}
CHANNEL_REMOVED = "the channel was removed before the message could be delivered"


@dataclass(frozen=True, slots=True)
class ClaimedDelivery:
    """A delivery this dispatcher holds until `claimed_until`, with what it sends."""

    delivery_id: int
    attempt: int
    claim_token: str
    organisation_code: str
    kind: ChannelKind
    address: str
    envelope: Envelope
    target: Target | None  # None: the channel is gone, nothing to send to


@dataclass(frozen=True, slots=True)
class AbandonedDelivery:
    """A claim whose lease ran out before its dispatcher recorded a result."""

    delivery_id: int
    attempt: int
    claim_token: str
    organisation_code: str
    warning_id: str
    region_code: str
    kind: ChannelKind
    address: str


class DeliveryRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # Channels ---------------------------------------------------------------------------

    def add_channel(
        self,
        *,
        organisation_code: str,
        target: Target,
        now: datetime,
    ) -> ChannelConfig:
        """Insert a channel, refusing a second one with the same kind and address."""
        existing = self.session.scalars(
            select(DeliveryChannelRow.id).where(
                DeliveryChannelRow.organisation_code == organisation_code,
                DeliveryChannelRow.kind == target.kind.value,
                DeliveryChannelRow.address == target.address,
            )
        ).first()
        if existing is not None:
            raise Conflict(
                f"{organisation_code} already has the {target.kind} channel "
                f"{target.address or '(default topic)'!r} (channel {existing})",
                key="channel-exists",
                params={"channel": existing},
            )
        row = DeliveryChannelRow(
            organisation_code=organisation_code,
            kind=target.kind.value,
            address=target.address,
            secret=target.secret,
            enabled=True,
            created_at=now,
        )
        self.session.add(row)
        self.session.flush()
        return _channel(row)

    def channel(self, channel_id: int) -> ChannelConfig:
        """The channel with this id, or NotFound."""
        row = self.session.get(DeliveryChannelRow, channel_id)
        if row is None:
            raise NotFound(f"channel {channel_id} does not exist", key="channel-not-found")
        return _channel(row)

    def channels_of(self, organisation_code: str) -> list[ChannelConfig]:
        """The organisation's channels, oldest first."""
        rows = self.session.scalars(
            select(DeliveryChannelRow)
            .where(DeliveryChannelRow.organisation_code == organisation_code)
            .order_by(DeliveryChannelRow.id)
        )
        return [_channel(row) for row in rows]

    def remove_channel(self, channel_id: int, *, now: datetime) -> int:
        """Delete a channel; its unsent deliveries fail. Returns how many were stopped."""
        stopped = _changed(
            self.session.execute(
                update(DeliveryRow)
                .where(
                    DeliveryRow.channel_id == channel_id,
                    DeliveryRow.status == DeliveryStatus.PENDING.value,
                )
                .values(
                    status=DeliveryStatus.FAILED.value,
                    next_attempt_at=None,
                    last_detail=CHANNEL_REMOVED,
                ),
                execution_options=NO_SYNC,
            )
        )
        # Past deliveries keep their kind and address; only the link goes.
        self.session.execute(
            update(DeliveryRow).where(DeliveryRow.channel_id == channel_id).values(channel_id=None),
            execution_options=NO_SYNC,
        )
        row = self.session.get(DeliveryChannelRow, channel_id)
        if row is not None:
            self.session.delete(row)
        self.session.flush()
        return stopped

    def set_enabled(self, channel_id: int, enabled: bool) -> None:
        """Enable or disable a channel: a disabled one is left out of new deliveries."""
        self.session.execute(
            update(DeliveryChannelRow)
            .where(DeliveryChannelRow.id == channel_id)
            .values(enabled=enabled),
            execution_options=NO_SYNC,
        )

    def target_of(self, channel_id: int) -> Target:
        """Where a channel sends, with its secret (for a send, never for display)."""
        row = self.session.get(DeliveryChannelRow, channel_id)
        if row is None:
            raise NotFound(f"channel {channel_id} does not exist", key="channel-not-found")
        return Target(ChannelKind(row.kind), row.address, row.secret)

    # Messages ---------------------------------------------------------------------------

    def enqueue(self, envelope: Envelope, *, organisation_code: str, now: datetime) -> int:
        """Store the message and one pending delivery per enabled channel; returns how many."""
        message = DeliveryMessageRow(
            warning_id=envelope.warning_id,
            purpose=envelope.purpose.value,
            organisation_code=organisation_code,
            region_code=envelope.region_code,
            jurisdiction_code=envelope.jurisdiction_code,
            subject=envelope.subject,
            body=envelope.body,
            cap_xml=envelope.cap_xml,
            ack_url=envelope.ack_url,
            created_at=now,
        )
        self.session.add(message)
        self.session.flush()
        channels = self.session.scalars(
            select(DeliveryChannelRow)
            .where(
                DeliveryChannelRow.organisation_code == organisation_code,
                DeliveryChannelRow.enabled.is_(True),
            )
            .order_by(DeliveryChannelRow.id)
        ).all()
        for channel in channels:
            self.session.add(
                DeliveryRow(
                    message_id=message.id,
                    channel_id=channel.id,
                    kind=channel.kind,
                    address=channel.address,
                    status=DeliveryStatus.PENDING.value,
                    attempts=0,
                    next_attempt_at=now,
                    last_detail="",
                    created_at=now,
                )
            )
        self.session.flush()
        return len(channels)

    def record_sent(
        self,
        envelope: Envelope,
        *,
        organisation_code: str,
        channel: ChannelConfig,
        outcome: Outcome,
        started_at: datetime,
        finished_at: datetime,
    ) -> int:
        """Store a message sent at once by one channel, with its one attempt; the delivery id.

        A channel test is sent while the officer waits, not queued: only its record is kept
        here, so it shows among the channel's deliveries like any other.
        """
        message = DeliveryMessageRow(
            warning_id=envelope.warning_id,
            purpose=envelope.purpose.value,
            organisation_code=organisation_code,
            region_code=envelope.region_code,
            jurisdiction_code=envelope.jurisdiction_code,
            subject=envelope.subject,
            body=envelope.body,
            cap_xml=envelope.cap_xml,
            ack_url=envelope.ack_url,
            created_at=started_at,
        )
        self.session.add(message)
        self.session.flush()
        status = DeliveryStatus.DELIVERED if outcome.ok else DeliveryStatus.FAILED
        delivery = DeliveryRow(
            message_id=message.id,
            channel_id=channel.id,
            kind=channel.kind.value,
            address=channel.address,
            status=status.value,
            attempts=1,
            next_attempt_at=None,
            last_detail=outcome.detail,
            delivered_at=finished_at if outcome.ok else None,
            created_at=started_at,
        )
        self.session.add(delivery)
        self.session.flush()
        self.session.add(
            DeliveryAttemptRow(
                delivery_id=delivery.id,
                number=1,
                started_at=started_at,
                finished_at=finished_at,
                ok=outcome.ok,
                detail=outcome.detail,
            )
        )
        self.session.flush()
        return delivery.id

    # Dispatching ------------------------------------------------------------------------

    def claim(
        self,
        *,
        kinds: frozenset[ChannelKind],
        now: datetime,
        lease_until: datetime,
        token: str,
        limit: int,
    ) -> list[ClaimedDelivery]:
        """Take up to `limit` due deliveries of these kinds for one attempt each."""
        due = and_(
            DeliveryRow.status == DeliveryStatus.PENDING.value,
            DeliveryRow.next_attempt_at <= now,
            DeliveryRow.kind.in_(sorted(kinds)),
        )
        # SKIP LOCKED lets concurrent PostgreSQL dispatchers take different rows instead of
        # queueing behind each other; SQLite ignores it and serialises whole transactions.
        ids = list(
            self.session.scalars(
                select(DeliveryRow.id)
                .where(due)
                .order_by(DeliveryRow.next_attempt_at, DeliveryRow.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        )
        if not ids:
            return []
        # The condition is checked again by the UPDATE itself, so a row another dispatcher
        # claimed meanwhile is not taken twice; the token tells which rows this one got.
        self.session.execute(
            update(DeliveryRow)
            .where(DeliveryRow.id.in_(ids), due)
            .values(
                status=DeliveryStatus.SENDING.value,
                claim_token=token,
                claimed_until=lease_until,
                attempts=DeliveryRow.attempts + 1,
            ),
            execution_options=NO_SYNC,
        )
        rows = self.session.execute(
            select(DeliveryRow, DeliveryMessageRow, DeliveryChannelRow)
            .join(DeliveryMessageRow, DeliveryMessageRow.id == DeliveryRow.message_id)
            .outerjoin(DeliveryChannelRow, DeliveryChannelRow.id == DeliveryRow.channel_id)
            .where(DeliveryRow.claim_token == token)
            .order_by(DeliveryRow.id)
        ).all()
        claimed = []
        for delivery, message, channel in rows:
            self.session.add(
                DeliveryAttemptRow(
                    delivery_id=delivery.id,
                    number=delivery.attempts,
                    started_at=now,
                    finished_at=None,
                    ok=None,
                    detail="",
                )
            )
            target = (
                None
                if channel is None
                else Target(ChannelKind(channel.kind), channel.address, channel.secret)
            )
            claimed.append(
                ClaimedDelivery(
                    delivery_id=delivery.id,
                    attempt=delivery.attempts,
                    claim_token=token,
                    organisation_code=message.organisation_code,
                    kind=ChannelKind(delivery.kind),
                    address=delivery.address,
                    envelope=_envelope(message),
                    target=target,
                )
            )
        self.session.flush()
        return claimed

    def abandoned(self, *, now: datetime, limit: int) -> list[AbandonedDelivery]:
        """Deliveries whose claim's lease ran out without a recorded result."""
        rows = self.session.execute(
            select(DeliveryRow, DeliveryMessageRow)
            .join(DeliveryMessageRow, DeliveryMessageRow.id == DeliveryRow.message_id)
            .where(
                DeliveryRow.status == DeliveryStatus.SENDING.value,
                DeliveryRow.claimed_until <= now,
            )
            .order_by(DeliveryRow.claimed_until, DeliveryRow.id)
            .limit(limit)
            .with_for_update(of=DeliveryRow, skip_locked=True)
        ).all()
        return [
            AbandonedDelivery(
                delivery_id=delivery.id,
                attempt=delivery.attempts,
                claim_token=delivery.claim_token or "",
                organisation_code=message.organisation_code,
                warning_id=message.warning_id,
                region_code=message.region_code,
                kind=ChannelKind(delivery.kind),
                address=delivery.address,
            )
            for delivery, message in rows
        ]

    def finish_attempt(
        self,
        delivery_id: int,
        attempt: int,
        outcome: Outcome,
        *,
        finished_at: datetime,
    ) -> None:
        """Record how one attempt ended.

        Kept even if the claim was lost meanwhile: a late result replaces the
        "abandoned" note, so the record says what really happened to that attempt.
        """
        self.session.execute(
            update(DeliveryAttemptRow)
            .where(
                DeliveryAttemptRow.delivery_id == delivery_id,
                DeliveryAttemptRow.number == attempt,
            )
            .values(finished_at=finished_at, ok=outcome.ok, detail=outcome.detail),
            execution_options=NO_SYNC,
        )

    def settle(
        self,
        delivery_id: int,
        *,
        claim_token: str,
        status: DeliveryStatus,
        next_attempt_at: datetime | None,
        detail: str,
        delivered_at: datetime | None,
        expired_by: datetime | None = None,
    ) -> bool:
        """Move a claimed delivery on, if the claim is still this one; True when it was.

        With expired_by, only a claim whose lease had ended by then is settled.
        """
        condition: ColumnElement[bool] = and_(
            DeliveryRow.id == delivery_id,
            DeliveryRow.status == DeliveryStatus.SENDING.value,
            DeliveryRow.claim_token == claim_token,
        )
        if expired_by is not None:
            condition = and_(condition, DeliveryRow.claimed_until <= expired_by)
        result = self.session.execute(
            update(DeliveryRow)
            .where(condition)
            .values(
                status=status.value,
                next_attempt_at=next_attempt_at,
                claim_token=None,
                claimed_until=None,
                last_detail=detail,
                delivered_at=delivered_at,
            ),
            execution_options=NO_SYNC,
        )
        return _changed(result) == 1

    # Reading ----------------------------------------------------------------------------

    def region_codes_of_warning(self, warning_id: str) -> set[str]:
        """The regions of the messages sent for a warning (empty if none were)."""
        return set(
            self.session.scalars(
                select(DeliveryMessageRow.region_code)
                .where(DeliveryMessageRow.warning_id == warning_id)
                .distinct()
            )
        )

    def of_warning(self, warning_id: str) -> list[Delivery]:
        """Every delivery of every message of a warning, with their attempts."""
        rows = self.session.execute(
            select(DeliveryRow, DeliveryMessageRow)
            .join(DeliveryMessageRow, DeliveryMessageRow.id == DeliveryRow.message_id)
            .where(DeliveryMessageRow.warning_id == warning_id)
            .order_by(DeliveryMessageRow.id, DeliveryRow.id)
        ).all()
        return self._with_attempts(rows)

    def latest_of_organisation(self, organisation_code: str, *, limit: int) -> list[Delivery]:
        """The organisation's `limit` most recent deliveries by any channel, newest first."""
        rows = self.session.execute(
            select(DeliveryRow, DeliveryMessageRow)
            .join(DeliveryMessageRow, DeliveryMessageRow.id == DeliveryRow.message_id)
            .where(DeliveryMessageRow.organisation_code == organisation_code)
            .order_by(DeliveryRow.id.desc())
            .limit(limit)
        ).all()
        return self._with_attempts(rows)

    def _with_attempts(self, rows: Any) -> list[Delivery]:
        attempts: dict[int, list[DeliveryAttempt]] = {}
        if rows:
            for attempt in self.session.scalars(
                select(DeliveryAttemptRow)
                .where(DeliveryAttemptRow.delivery_id.in_([d.id for d, _m in rows]))
                .order_by(DeliveryAttemptRow.delivery_id, DeliveryAttemptRow.number)
            ):
                attempts.setdefault(attempt.delivery_id, []).append(
                    DeliveryAttempt(
                        number=attempt.number,
                        started_at=attempt.started_at,
                        finished_at=attempt.finished_at,
                        ok=attempt.ok,
                        detail=attempt.detail,
                    )
                )
        return [
            Delivery(
                id=delivery.id,
                warning_id=message.warning_id,
                purpose=Purpose(message.purpose),
                organisation_code=message.organisation_code,
                region_code=message.region_code,
                channel_id=delivery.channel_id,
                kind=ChannelKind(delivery.kind),
                address=delivery.address,
                status=DeliveryStatus(delivery.status),
                attempts=delivery.attempts,
                next_attempt_at=delivery.next_attempt_at,
                last_detail=delivery.last_detail,
                delivered_at=delivery.delivered_at,
                created_at=delivery.created_at,
                attempt_log=tuple(attempts.get(delivery.id, ())),
            )
            for delivery, message in rows
        ]


def _changed(result: Result[Any]) -> int:
    # An UPDATE's result is a CursorResult, whose rowcount is the number of rows matched.
    return int(cast(CursorResult[Any], result).rowcount or 0)


def _channel(row: DeliveryChannelRow) -> ChannelConfig:
    return ChannelConfig(
        id=row.id,
        organisation_code=row.organisation_code,
        kind=ChannelKind(row.kind),
        address=row.address,
        secret_fingerprint=secret_fingerprint(row.secret),
        enabled=row.enabled,
        created_at=row.created_at,
    )


def _envelope(row: DeliveryMessageRow) -> Envelope:
    return Envelope(
        warning_id=row.warning_id,
        purpose=Purpose(row.purpose),
        region_code=row.region_code,
        jurisdiction_code=row.jurisdiction_code,
        subject=row.subject,
        body=row.body,
        cap_xml=bytes(row.cap_xml),
        ack_url=row.ack_url,
    )
