"""The firing outbox: firings queued with the observations that caused them, then acted on.

A firing is queued in the transaction that stores its batch, so a crash between storing
the readings and opening the risk loses nothing. Whoever acts on it (the request that sent
the batch, or any worker) takes the row in its own transaction, locked: on PostgreSQL the
row lock skips rows another process holds, and SQLite serialises writing transactions.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from crossrisk.domain.monitoring.firing import Firing
from crossrisk.store.models.monitoring import FiringRow

PENDING = "pending"
DONE = "done"
FAILED = "failed"


@dataclass(frozen=True, slots=True)
class QueuedFiring:
    """A firing waiting in the outbox, or taken from it by this transaction."""

    id: int
    station_id: int
    firing: Firing
    attempts: int


@dataclass(frozen=True, slots=True)
class FiringRecord:
    """What became of a queued firing."""

    id: int
    station_id: int
    firing: Firing
    status: str
    outcome: str | None
    risk_id: int | None
    detail: str
    attempts: int


class FiringRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def queue(self, station_id: int, firing: Firing, *, now: datetime, due_at: datetime) -> int:
        """Queue a firing of a station; the worker's pass takes it from `due_at`."""
        row = FiringRow(
            station_id=station_id,
            firing=firing.record(),
            queued_at=now,
            status=PENDING,
            attempts=0,
            next_attempt_at=due_at,
            detail="",
        )
        self.session.add(row)
        self.session.flush()
        return row.id

    def take(self, firing_id: int, *, now: datetime, due: bool = True) -> QueuedFiring | None:
        """Lock a pending firing for this transaction; None when done or held elsewhere.

        `due`: only when its time has come (the worker's pass); its sender takes it at once.
        """
        query = select(FiringRow).where(FiringRow.id == firing_id, FiringRow.status == PENDING)
        if due:
            query = query.where(FiringRow.next_attempt_at <= now)
        row = self.session.scalars(query.with_for_update(skip_locked=True)).one_or_none()
        return None if row is None else _queued(row)

    def due(self, *, now: datetime, limit: int) -> list[int]:
        """Ids of pending firings that are due, oldest first."""
        return list(
            self.session.scalars(
                select(FiringRow.id)
                .where(FiringRow.status == PENDING, FiringRow.next_attempt_at <= now)
                .order_by(FiringRow.next_attempt_at, FiringRow.id)
                .limit(limit)
            )
        )

    def finish(
        self,
        firing_id: int,
        *,
        outcome: str,
        risk_id: int | None,
        detail: str = "",
        now: datetime,
    ) -> None:
        """Record what acting on a taken firing did."""
        self._close(
            firing_id, status=DONE, outcome=outcome, risk_id=risk_id, detail=detail, now=now
        )

    def retry(self, firing_id: int, *, attempts: int, at: datetime, detail: str) -> None:
        """Leave the firing pending for another attempt at `at`."""
        row = self._row(firing_id)
        row.attempts = attempts
        row.next_attempt_at = at
        row.detail = detail

    def fail(self, firing_id: int, *, attempts: int, detail: str, now: datetime) -> None:
        """Give the firing up: acting on it failed for good."""
        self._row(firing_id).attempts = attempts
        self._close(
            firing_id, status=FAILED, outcome="failed", risk_id=None, detail=detail, now=now
        )

    def get(self, firing_id: int) -> FiringRecord:
        """A queued firing and what became of it."""
        return _record(self._row(firing_id))

    def of_stations(self, station_ids: Collection[int]) -> list[FiringRecord]:
        """The firings of these stations, oldest first."""
        rows = self.session.scalars(
            select(FiringRow)
            .where(FiringRow.station_id.in_(list(station_ids)))
            .order_by(FiringRow.id)
        )
        return [_record(row) for row in rows]

    def _row(self, firing_id: int) -> FiringRow:
        row = self.session.get(FiringRow, firing_id)
        if row is None:
            raise LookupError(f"firing {firing_id} does not exist")
        return row

    def _close(
        self,
        firing_id: int,
        *,
        status: str,
        outcome: str,
        risk_id: int | None,
        detail: str,
        now: datetime,
    ) -> None:
        row = self._row(firing_id)
        row.status = status
        row.outcome = outcome
        row.risk_id = risk_id
        row.detail = detail
        row.finished_at = now
        self.session.flush()


def _queued(row: FiringRow) -> QueuedFiring:
    return QueuedFiring(
        id=row.id,
        station_id=row.station_id,
        firing=Firing.from_record(row.firing),
        attempts=row.attempts,
    )


def _record(row: FiringRow) -> FiringRecord:
    return FiringRecord(
        id=row.id,
        station_id=row.station_id,
        firing=Firing.from_record(row.firing),
        status=row.status,
        outcome=row.outcome,
        risk_id=row.risk_id,
        detail=row.detail,
        attempts=row.attempts,
    )
