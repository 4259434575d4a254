"""Risks and the jurisdictions their hazard source lies in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crossrisk.store.models.base import Base, UTCDateTime


class RiskRow(Base):
    __tablename__ = "risks"
    # The register's keyset orders: newest change or registration first, id to break ties.
    __table_args__ = (
        Index("ix_risks_updated_at_id", "updated_at", "id"),
        Index("ix_risks_created_at_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    category: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="", server_default="")
    description: Mapped[str] = mapped_column(Text, default="")
    hazard_geometry: Mapped[dict[str, object]] = mapped_column(JSON)
    likelihood: Mapped[int] = mapped_column(Integer)
    consequence: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(4))
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    hazard_type: Mapped[str] = mapped_column(String(32), default="area")
    parameters: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    # The drill that created the risk; None for a real one. Real lists ask for None.
    drill_id: Mapped[int | None] = mapped_column(ForeignKey("drills.id"), index=True, nullable=True)

    origins: Mapped[list[RiskOriginRow]] = relationship(
        cascade="all, delete-orphan", order_by="RiskOriginRow.position", lazy="selectin"
    )


class RiskOriginRow(Base):
    __tablename__ = "risk_origins"

    risk_id: Mapped[int] = mapped_column(ForeignKey("risks.id"), primary_key=True)
    jurisdiction_code: Mapped[str] = mapped_column(
        ForeignKey("jurisdictions.code"), primary_key=True, index=True
    )
    share: Mapped[float] = mapped_column(Float)
    position: Mapped[int] = mapped_column(Integer)
