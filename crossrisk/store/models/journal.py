"""The journal's rows; nothing in the code updates or deletes them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from crossrisk.store.models.base import Base, UTCDateTime


class JournalEntryRow(Base):
    __tablename__ = "journal_entries"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    organisation: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject: Mapped[str] = mapped_column(String(64), index=True)
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON, byte for byte as hashed
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class JournalHeadRow(Base):
    """One row holding the chain's head; locking it serialises appends across processes."""

    __tablename__ = "journal_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))


def _refuse_change(mapper: Any, connection: Any, target: JournalEntryRow) -> None:
    raise RuntimeError(f"journal entry {target.seq} is append-only")


event.listen(JournalEntryRow, "before_update", _refuse_change)
event.listen(JournalEntryRow, "before_delete", _refuse_change)
