"""Mutual aid's rows: requests and their lines, offers and their lines, commitments and
shipments. Quantities are floats in the item's base unit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from crossrisk.store.models.base import Base, UTCDateTime


class AidRequestRow(Base):
    __tablename__ = "aid_requests"
    __table_args__ = (
        Index("ix_aid_requests_region_state", "region_code", "state"),
        Index("ix_aid_requests_jurisdiction", "jurisdiction_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    jurisdiction_code: Mapped[str] = mapped_column(ForeignKey("jurisdictions.code"))
    risk_id: Mapped[int | None] = mapped_column(ForeignKey("risks.id"), nullable=True)
    made_by: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    approved_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reason: Mapped[str] = mapped_column(String(500))


class AidRequestLineRow(Base):
    __tablename__ = "aid_request_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("aid_requests.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    item_code: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[float] = mapped_column(Float)
    priority: Mapped[str] = mapped_column(String(16))
    needed_by: Mapped[datetime] = mapped_column(UTCDateTime)
    destination: Mapped[str] = mapped_column(String(200))
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    substitutes: Mapped[list[str]] = mapped_column(JSON)


class AidOfferRow(Base):
    __tablename__ = "aid_offers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("aid_requests.id"), index=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    jurisdiction_code: Mapped[str] = mapped_column(ForeignKey("jurisdictions.code"))
    made_by: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class AidOfferLineRow(Base):
    __tablename__ = "aid_offer_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("aid_offers.id"), index=True)
    request_line_id: Mapped[int] = mapped_column(ForeignKey("aid_request_lines.id"))
    item_code: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[float] = mapped_column(Float)
    earliest_dispatch: Mapped[datetime] = mapped_column(UTCDateTime)
    estimated_arrival: Mapped[datetime] = mapped_column(UTCDateTime)
    cost_cny: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(String(1000))
    accepted_quantity: Mapped[float | None] = mapped_column(Float, nullable=True)
    commitment_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


class CommitmentRow(Base):
    __tablename__ = "aid_commitments"
    __table_args__ = (
        Index("ix_aid_commitments_region_donor", "region_code", "donor_jurisdiction_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    request_id: Mapped[int] = mapped_column(ForeignKey("aid_requests.id"), index=True)
    request_line_id: Mapped[int] = mapped_column(ForeignKey("aid_request_lines.id"))
    donor_jurisdiction_code: Mapped[str] = mapped_column(ForeignKey("jurisdictions.code"))
    item_code: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[float] = mapped_column(Float)
    due: Mapped[datetime] = mapped_column(UTCDateTime)
    made_at: Mapped[datetime] = mapped_column(UTCDateTime)
    made_by: Mapped[str] = mapped_column(String(200))
    offer_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("aid_offer_lines.id"), nullable=True
    )
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    cancel_reason: Mapped[str] = mapped_column(String(500))


class ShipmentRow(Base):
    __tablename__ = "aid_shipments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("aid_commitments.id"), index=True)
    quantity: Mapped[float] = mapped_column(Float)
    mode: Mapped[str] = mapped_column(String(16))
    reference: Mapped[str] = mapped_column(String(200))
    dispatched_at: Mapped[datetime] = mapped_column(UTCDateTime)
    dispatched_by: Mapped[str] = mapped_column(String(200))
    expected_arrival: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(16))
    in_transit_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    received_quantity: Mapped[float | None] = mapped_column(Float, nullable=True)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    received_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    note: Mapped[str] = mapped_column(String(1000))
