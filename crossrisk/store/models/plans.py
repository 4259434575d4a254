"""Contingency plans: each imported version, and which plan drew each risk's list."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crossrisk.store.models.base import Base, UTCDateTime


class ContingencyPlanRow(Base):
    """One version of a region's plan (the bundled default, id 0, is not stored)."""

    __tablename__ = "contingency_plans"
    __table_args__ = (UniqueConstraint("region_code", "code", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    jurisdiction_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    # The YAML as imported: export gives it back with its comments.
    document: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(String(500))
    saved_by: Mapped[str] = mapped_column(String(200))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PlanActivationRow(Base):
    """A plan activated for a risk, by the analysis or by the committee with a reason."""

    __tablename__ = "plan_activations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risks.id"), index=True)
    plan_id: Mapped[int] = mapped_column(Integer)  # 0: the bundled default
    plan_code: Mapped[str] = mapped_column(String(64))
    plan_version: Mapped[int] = mapped_column(Integer)
    by_hand: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(String(1000))
    activated_by: Mapped[str] = mapped_column(String(200))
    activated_at: Mapped[datetime] = mapped_column(UTCDateTime)
