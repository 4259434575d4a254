"""Drills: a scenario replayed through the services, with the risks it created."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crossrisk.store.models.base import Base, UTCDateTime


class DrillRow(Base):
    __tablename__ = "drills"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    scenario: Mapped[str] = mapped_column(Text)
    scenario_sha256: Mapped[str] = mapped_column(String(64))
    # The speed factor; None for "max" (no waiting at all).
    speed: Mapped[float | None] = mapped_column(Float, nullable=True)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    clock_start: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    started_by: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))
    failure: Mapped[str] = mapped_column(String(500), default="")
