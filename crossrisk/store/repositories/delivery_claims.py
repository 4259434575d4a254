"""Claiming due deliveries and recording how each attempt ended.

Several processes dispatch from the same database, so every change of a delivery's
state is a conditional UPDATE: a claim takes only rows still pending and due (and, on
PostgreSQL, skips rows another dispatcher has locked), and a result is recorded only by
the dispatcher whose claim token is still on the row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, select, update
from sqlalchemy.orm import Session

from crossrisk.domain.delivery import (
    ChannelKind,
    DeliveryStatus,
    Envelope,
    Outcome,
    Target,
)
from crossrisk.store.models import (
    DeliveryAttemptRow,
    DeliveryChannelRow,
    DeliveryMessageRow,
    DeliveryRow,
)
from crossrisk.store.repositories.delivery_rows import (
    NO_SYNC,
    envelope_of,
    rows_changed,
)


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


class DeliveryClaims:
    """The dispatching half of tx.deliveries: claims, abandoned claims and results."""

    session: Session

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
                    envelope=envelope_of(message),
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
        return rows_changed(result) == 1
