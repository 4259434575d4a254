"""Allocations the platform proposed and the committee decided on, and their lines."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from crossrisk.store.models.base import Base, UTCDateTime


class AllocationRow(Base):
    __tablename__ = "allocations"
    __table_args__ = (Index("ix_allocations_region_state", "region_code", "state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    state: Mapped[str] = mapped_column(String(16))
    fair: Mapped[bool] = mapped_column(Boolean)
    request_ids: Mapped[list[int]] = mapped_column(JSON)
    risk_ids: Mapped[list[int]] = mapped_column(JSON)
    digest: Mapped[str] = mapped_column(String(64))
    total_hours: Mapped[float] = mapped_column(Float)
    lowest_fill_rate: Mapped[float | None] = mapped_column(Float, nullable=True)
    price_hours: Mapped[float | None] = mapped_column(Float, nullable=True)
    # What the proposal could not meet, and each donor's figures it was made from.
    unmet: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    donors: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    reserve_rules: Mapped[dict[str, Any]] = mapped_column(JSON)
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    proposed_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    decided_by: Mapped[str | None] = mapped_column(String(200), nullable=True)


class AllocationLineRow(Base):
    __tablename__ = "allocation_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    allocation_id: Mapped[int] = mapped_column(ForeignKey("allocations.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    donor_jurisdiction_code: Mapped[str] = mapped_column(ForeignKey("jurisdictions.code"))
    request_line_id: Mapped[int] = mapped_column(ForeignKey("aid_request_lines.id"))
    item_code: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[float] = mapped_column(Float)
    hours: Mapped[float] = mapped_column(Float)
    donor_lon: Mapped[float] = mapped_column(Float)
    donor_lat: Mapped[float] = mapped_column(Float)
    destination_lon: Mapped[float] = mapped_column(Float)
    destination_lat: Mapped[float] = mapped_column(Float)
    stale: Mapped[bool] = mapped_column(Boolean)
    approved_quantity: Mapped[float | None] = mapped_column(Float, nullable=True)
    commitment_id: Mapped[int | None] = mapped_column(
        ForeignKey("aid_commitments.id"), nullable=True
    )
