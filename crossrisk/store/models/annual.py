"""The committee's annual plan and cooperation items, one row each."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crossrisk.store.models.base import Base, UTCDateTime


class AnnualItemRow(Base):
    """An item of a region's year; its duty (duty_id) carries the reminders."""

    __tablename__ = "annual_items"
    __table_args__ = (
        Index("ix_annual_items_region_code_year", "region_code", "year"),
        Index("ix_annual_items_owner_code_status", "owner_code", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(200), nullable=True)
    description: Mapped[str] = mapped_column(Text)
    owner_code: Mapped[str] = mapped_column(ForeignKey("organisations.code"))
    due: Mapped[date] = mapped_column(Date)
    first_due: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    # Agreements and plans have tables of their own; the kind says which one the id is of.
    serves_kind: Mapped[str | None] = mapped_column(String(16), nullable=True)
    serves_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    done_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    duty_id: Mapped[int | None] = mapped_column(ForeignKey("duties.id"), nullable=True)
