"""Delivery channels, outgoing messages and the record of their deliveries.

Claiming and settling deliveries, which several dispatchers do at once, lives in
delivery_claims.py; the repository takes it in, so callers reach all of it as tx.deliveries.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
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
)
from crossrisk.domain.errors import Conflict, NotFound
from crossrisk.store.models import (
    DeliveryAttemptRow,
    DeliveryChannelRow,
    DeliveryMessageRow,
    DeliveryRow,
)
from crossrisk.store.repositories.delivery_claims import DeliveryClaims
from crossrisk.store.repositories.delivery_rows import (
    NO_SYNC,
    channel_config,
    rows_changed,
)

CHANNEL_REMOVED = "the channel was removed before the message could be delivered"


class DeliveryRepository(DeliveryClaims):
    """Channels, outgoing messages and their deliveries, with the claims of DeliveryClaims."""

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
        return channel_config(row)

    def channel(self, channel_id: int) -> ChannelConfig:
        """The channel with this id, or NotFound."""
        row = self.session.get(DeliveryChannelRow, channel_id)
        if row is None:
            raise NotFound(f"channel {channel_id} does not exist", key="channel-not-found")
        return channel_config(row)

    def channels_of(self, organisation_code: str) -> list[ChannelConfig]:
        """The organisation's channels, oldest first."""
        rows = self.session.scalars(
            select(DeliveryChannelRow)
            .where(DeliveryChannelRow.organisation_code == organisation_code)
            .order_by(DeliveryChannelRow.id)
        )
        return [channel_config(row) for row in rows]

    def remove_channel(self, channel_id: int, *, now: datetime) -> int:
        """Delete a channel; its unsent deliveries fail. Returns how many were stopped."""
        stopped = rows_changed(
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
