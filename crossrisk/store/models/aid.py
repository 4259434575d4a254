"""Mutual aid's rows: emergency stocks and their ledger."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from crossrisk.store.models.base import Base, UTCDateTime


class StockRow(Base):
    """One item held by one jurisdiction in one warehouse (of one expiry date)."""

    __tablename__ = "aid_stocks"
    __table_args__ = (
        Index("ix_aid_stocks_region_item", "region_code", "item_code"),
        Index("ix_aid_stocks_jurisdiction", "jurisdiction_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    jurisdiction_code: Mapped[str] = mapped_column(ForeignKey("jurisdictions.code"))
    item_code: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[float] = mapped_column(Float)
    warehouse: Mapped[str] = mapped_column(String(200))
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    expires_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    owner_code: Mapped[str] = mapped_column(String(64))
    sharing: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class StockAdjustmentRow(Base):
    """A line of the stock ledger: the change, the quantity after it, and why."""

    __tablename__ = "aid_stock_adjustments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stock_id: Mapped[int] = mapped_column(ForeignKey("aid_stocks.id"), index=True)
    delta: Mapped[float] = mapped_column(Float)
    quantity_after: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(500))
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
