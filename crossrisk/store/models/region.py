"""Regions, jurisdictions, membership and adjacency."""

from __future__ import annotations

from sqlalchemy import JSON, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from crossrisk.store.models.base import Base


class RegionRow(Base):
    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    # A fresh identifier on every load, so each worker process knows when its cached
    # spatial index is stale (and caches of two databases never collide).
    revision: Mapped[str] = mapped_column(String(36))
    state: Mapped[str] = mapped_column(String(16), default="normal")  # normal / emergency


class JurisdictionRow(Base):
    __tablename__ = "jurisdictions"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20))
    parent_code: Mapped[str | None] = mapped_column(
        ForeignKey("jurisdictions.code"), nullable=True, index=True
    )
    population: Mapped[int | None] = mapped_column(Integer, nullable=True)
    boundary: Mapped[dict[str, object]] = mapped_column(JSON)
    label_lon: Mapped[float] = mapped_column(Float)
    label_lat: Mapped[float] = mapped_column(Float)


class RegionMemberRow(Base):
    __tablename__ = "region_members"

    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), primary_key=True)
    jurisdiction_code: Mapped[str] = mapped_column(
        ForeignKey("jurisdictions.code"), primary_key=True
    )


class SurroundingRow(Base):
    """Land around a region that belongs to none of its members (neighbouring provinces).

    A reach that enters it leaves the region; the sea is in no row, so it never does.
    """

    __tablename__ = "region_surroundings"

    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), primary_key=True)
    jurisdiction_code: Mapped[str] = mapped_column(
        ForeignKey("jurisdictions.code"), primary_key=True
    )


class AdjacencyRow(Base):
    __tablename__ = "jurisdiction_adjacency"

    a_code: Mapped[str] = mapped_column(ForeignKey("jurisdictions.code"), primary_key=True)
    b_code: Mapped[str] = mapped_column(ForeignKey("jurisdictions.code"), primary_key=True)
    border_km: Mapped[float] = mapped_column(Float)
