"""Mutual aid's other base information as rows: response teams, equipment and shelters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from crossrisk.store.models.base import Base, UTCDateTime


class TeamRow(Base):
    """One response team of one jurisdiction, typed by kind and type."""

    __tablename__ = "aid_teams"
    __table_args__ = (
        Index("ix_aid_teams_region_kind", "region_code", "kind"),
        Index("ix_aid_teams_jurisdiction", "jurisdiction_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    jurisdiction_code: Mapped[str] = mapped_column(ForeignKey("jurisdictions.code"))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(64))
    type_level: Mapped[int] = mapped_column(Integer)
    headcount: Mapped[int] = mapped_column(Integer)
    readiness_hours: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    contact: Mapped[str] = mapped_column(String(200))
    capabilities: Mapped[dict[str, float]] = mapped_column(JSON)
    owner_code: Mapped[str] = mapped_column(String(64))
    sharing: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class EquipmentRow(Base):
    """Units of one kind of equipment kept by one jurisdiction at one site."""

    __tablename__ = "aid_equipment"
    __table_args__ = (
        Index("ix_aid_equipment_region_kind", "region_code", "kind"),
        Index("ix_aid_equipment_jurisdiction", "jurisdiction_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    jurisdiction_code: Mapped[str] = mapped_column(ForeignKey("jurisdictions.code"))
    kind: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)
    capability: Mapped[float] = mapped_column(Float)
    site: Mapped[str] = mapped_column(String(200))
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    contact: Mapped[str] = mapped_column(String(200))
    owner_code: Mapped[str] = mapped_column(String(64))
    sharing: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ShelterRow(Base):
    """One shelter of one jurisdiction: capacity, what is free, class, open or closed."""

    __tablename__ = "aid_shelters"
    __table_args__ = (
        Index("ix_aid_shelters_region_state", "region_code", "state"),
        Index("ix_aid_shelters_jurisdiction", "jurisdiction_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    jurisdiction_code: Mapped[str] = mapped_column(ForeignKey("jurisdictions.code"))
    name: Mapped[str] = mapped_column(String(200))
    class_code: Mapped[str] = mapped_column(String(64))
    capacity: Mapped[int] = mapped_column(Integer)
    available: Mapped[int] = mapped_column(Integer)
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    contact: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(16))
    owner_code: Mapped[str] = mapped_column(String(64))
    sharing: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime)
