"""Accountability cases: one per finding, with its evidence, procedure and steps."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crossrisk.store.models.base import Base, UTCDateTime


class CaseRow(Base):
    __tablename__ = "accountability_cases"
    __table_args__ = (Index("ix_accountability_cases_region_code_state", "region_code", "state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    risk_id: Mapped[int | None] = mapped_column(ForeignKey("risks.id"), nullable=True, index=True)
    # A drill's cases carry its id; no foreign key, so the drills' table may come later.
    drill_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    kind: Mapped[str] = mapped_column(String(32))
    party: Mapped[str] = mapped_column(String(64), index=True)
    duty_id: Mapped[int | None] = mapped_column(ForeignKey("duties.id"), nullable=True)
    finding_key: Mapped[str] = mapped_column(String(200), unique=True)
    evidence: Mapped[list[int]] = mapped_column(JSON)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreements.id"), nullable=True)
    procedure: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    opened_by: Mapped[str] = mapped_column(String(200))
    review: Mapped[str] = mapped_column(Text)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reviewed_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    statement: Mapped[str] = mapped_column(Text)
    statement_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    statement_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(32), nullable=True)
    reason: Mapped[str] = mapped_column(Text)
    penalty: Mapped[str] = mapped_column(String(500))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    decided_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
