"""Versions of each risk's analysis: reach, situation and responsibility list."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crossrisk.store.models.base import Base, UTCDateTime


class RiskAnalysisRow(Base):
    __tablename__ = "risk_analyses"
    __table_args__ = (UniqueConstraint("risk_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risks.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Columns a list or query needs; the whole analysis is in `record`.
    situation: Mapped[str] = mapped_column(String(16))
    lead_code: Mapped[str] = mapped_column(String(12))
    escalated: Mapped[bool] = mapped_column(Boolean)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    record: Mapped[dict[str, object]] = mapped_column(JSON)
