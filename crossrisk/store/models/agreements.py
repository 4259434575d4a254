"""Governance agreements: one row per version, and one per party's signature of a version."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crossrisk.store.models.base import Base, UTCDateTime


class AgreementRow(Base):
    """One version of an agreement; (region, number, version) names it."""

    __tablename__ = "agreements"
    __table_args__ = (
        UniqueConstraint("region_code", "number", "version"),
        Index("ix_agreements_region_state", "region_code", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    number: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(Text)
    subject_en: Mapped[str] = mapped_column(Text)
    parties: Mapped[list[str]] = mapped_column(JSON)
    obligations: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    compensation: Mapped[dict[str, Any]] = mapped_column(JSON)
    accountability: Mapped[dict[str, Any]] = mapped_column(JSON)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    coordinator: Mapped[str] = mapped_column(String(64))
    drafted_by: Mapped[str] = mapped_column(String(200))
    drafted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    in_force_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Each obligation's last status (by its position), so only a change is journaled.
    obligation_status: Mapped[dict[str, str]] = mapped_column(JSON)
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class AgreementSignatureRow(Base):
    __tablename__ = "agreement_signatures"
    __table_args__ = (UniqueConstraint("agreement_id", "organisation_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    organisation_code: Mapped[str] = mapped_column(String(64))
    signed_by: Mapped[str] = mapped_column(String(200))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime)
