"""Mutual aid's demand factor sets: each saved version of a region's factors."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crossrisk.store.models.base import Base, UTCDateTime


class DemandFactorSetRow(Base):
    """One version of a region's demand factors (version 0, the bundled set, is not stored)."""

    __tablename__ = "aid_demand_factor_sets"
    __table_args__ = (UniqueConstraint("region_code", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    version: Mapped[int] = mapped_column(Integer)
    factors: Mapped[str] = mapped_column(Text)  # the set's table shape, as canonical JSON
    note: Mapped[str] = mapped_column(String(500))
    saved_by: Mapped[str] = mapped_column(String(200))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime)
