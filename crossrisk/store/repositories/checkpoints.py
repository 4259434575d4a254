"""Journal checkpoints: asking for one, taking a pending one to sign, recording it issued.

Several workers may run against one database. The daily checkpoint is asked for with an
insert that the (region, day) key turns into nothing when the row exists; a pending row is
taken locked (PostgreSQL skips rows another worker holds, SQLite serialises writing
transactions) and marked issued by an UPDATE that holds only while it is still pending.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from crossrisk.domain.checkpoint import Checkpoint
from crossrisk.store.models import JournalCheckpointRow


@dataclass(frozen=True, slots=True)
class PendingCheckpoint:
    """A checkpoint asked for and not issued yet."""

    id: int
    region_code: str | None
    reason: str
    risk_id: int | None


@dataclass(frozen=True, slots=True)
class IssuedCheckpoint:
    """A checkpoint as it was issued, with the document sent."""

    id: int
    region_code: str | None
    reason: str
    risk_id: int | None
    day: str | None
    seq: int
    hash: str
    issued_at: datetime
    document: str


class CheckpointRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def request(
        self, *, region_code: str | None, reason: str, now: datetime, risk_id: int | None = None
    ) -> int:
        """Ask for a checkpoint (of a risk, or the operator's); returns its id."""
        row = JournalCheckpointRow(
            region_code=region_code, reason=reason, risk_id=risk_id, requested_at=now
        )
        self.session.add(row)
        self.session.flush()
        return row.id

    def request_day(self, region_code: str, day: str, *, now: datetime) -> None:
        """Ask for a region's daily checkpoint, unless that day's was asked for already."""
        values = {
            "region_code": region_code,
            "reason": "daily",
            "day": day,
            "requested_at": now,
        }
        insert = (
            postgresql.insert(JournalCheckpointRow)
            if self.session.get_bind().dialect.name == "postgresql"
            else sqlite.insert(JournalCheckpointRow)
        )
        # Both dialects spell "insert unless the key exists" the same way in SQLAlchemy.
        self.session.execute(
            insert.values(**values).on_conflict_do_nothing(index_elements=["region_code", "day"])
        )

    def has_day(self, region_code: str, day: str) -> bool:
        """True when the region's checkpoint of that day was asked for already."""
        found = self.session.scalar(
            select(JournalCheckpointRow.id).where(
                JournalCheckpointRow.region_code == region_code, JournalCheckpointRow.day == day
            )
        )
        return found is not None

    def pending_ids(self) -> list[int]:
        """The checkpoints asked for and not issued yet, oldest first."""
        return list(
            self.session.scalars(
                select(JournalCheckpointRow.id)
                .where(JournalCheckpointRow.issued_at.is_(None))
                .order_by(JournalCheckpointRow.id)
            )
        )

    def take_pending(self, checkpoint_id: int) -> PendingCheckpoint | None:
        """Lock a pending checkpoint for this transaction; None if issued or held elsewhere."""
        row = self.session.scalars(
            select(JournalCheckpointRow)
            .where(
                JournalCheckpointRow.id == checkpoint_id,
                JournalCheckpointRow.issued_at.is_(None),
            )
            .with_for_update(skip_locked=True)
        ).one_or_none()
        if row is None:
            return None
        return PendingCheckpoint(
            id=row.id, region_code=row.region_code, reason=row.reason, risk_id=row.risk_id
        )

    def mark_issued(self, checkpoint_id: int, checkpoint: Checkpoint) -> bool:
        """Record the signed checkpoint, if it is still pending; True when it was."""
        result = self.session.execute(
            update(JournalCheckpointRow)
            .where(
                JournalCheckpointRow.id == checkpoint_id,
                JournalCheckpointRow.issued_at.is_(None),
            )
            .values(
                issued_at=checkpoint.issued_at,
                seq=checkpoint.seq,
                hash=checkpoint.hash,
                key_fingerprint=checkpoint.key_fingerprint,
                document=checkpoint.document_bytes().decode("utf-8"),
            ),
            execution_options={"synchronize_session": False},
        )
        return int(cast(CursorResult[Any], result).rowcount or 0) == 1

    def issued(self) -> list[IssuedCheckpoint]:
        """Every issued checkpoint, oldest first."""
        rows = self.session.scalars(
            select(JournalCheckpointRow)
            .where(JournalCheckpointRow.issued_at.is_not(None))
            .order_by(JournalCheckpointRow.id)
        ).all()
        return [
            IssuedCheckpoint(
                id=row.id,
                region_code=row.region_code,
                reason=row.reason,
                risk_id=row.risk_id,
                day=row.day,
                seq=int(row.seq or 0),
                hash=row.hash or "",
                issued_at=row.issued_at,
                document=row.document or "",
            )
            for row in rows
            if row.issued_at is not None
        ]
