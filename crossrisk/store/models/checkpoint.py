"""Journal checkpoints: asked for (a day begun, a level I or II risk), then signed and sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crossrisk.store.models.base import Base, UTCDateTime


class JournalCheckpointRow(Base):
    """One checkpoint: pending until a worker holding the key signs and queues it.

    The (region, day) key makes the daily checkpoint one row however many workers ask for
    it; rows asked for by a risk or the operator have no day, and SQL lets NULLs repeat.
    """

    __tablename__ = "journal_checkpoints"
    __table_args__ = (UniqueConstraint("region_code", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), nullable=True)
    reason: Mapped[str] = mapped_column(String(16))
    risk_id: Mapped[int | None] = mapped_column(ForeignKey("risks.id"), nullable=True)
    day: Mapped[str | None] = mapped_column(String(10), nullable=True)  # YYYY-MM-DD, Beijing
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    key_fingerprint: Mapped[str | None] = mapped_column(String(80), nullable=True)
    document: Mapped[str | None] = mapped_column(Text, nullable=True)  # as sent
