"""Reading the journal as the platform's event log: the entries after a position.

The journal's sequence numbers are gapless and only grow, so "everything after seq N" is a
complete, ordered answer in every process on the same database; that is what the live
event stream resumes from.
"""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from crossrisk.domain.journal import JournalEntry
from crossrisk.store.models import JournalEntryRow, JournalHeadRow


class JournalFeed:
    def __init__(self, session: Session) -> None:
        self.session = session

    def head(self) -> int:
        """The sequence number of the newest entry (0 for an empty journal)."""
        seq = self.session.scalar(select(JournalHeadRow.seq).where(JournalHeadRow.id == 1))
        return int(seq or 0)

    def after(self, seq: int, *, limit: int) -> list[JournalEntry]:
        """Up to `limit` entries with a sequence number above `seq`, oldest first."""
        rows = self.session.scalars(
            select(JournalEntryRow)
            .where(JournalEntryRow.seq > seq)
            .order_by(JournalEntryRow.seq)
            .limit(limit)
        ).all()
        return [
            JournalEntry(
                seq=row.seq,
                at=row.at,
                actor=row.actor,
                organisation=row.organisation,
                action=row.action,
                subject=row.subject,
                payload=json.loads(row.payload),
                prev_hash=row.prev_hash,
                hash=row.hash,
            )
            for row in rows
        ]
