"""Duties: one row per owed line (of a risk's responsibility list, a meeting, the annual
plan), so status is queryable."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crossrisk.store.models.base import Base, UTCDateTime


class DutyRow(Base):
    """A party's duty; (risk, kind, organisation, task) names it across analyses."""

    __tablename__ = "duties"
    __table_args__ = (
        UniqueConstraint("risk_id", "kind", "organisation_code", "task"),
        Index("ix_duties_organisation_code_status", "organisation_code", "status"),
        Index("ix_duties_region_code_status", "region_code", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    risk_id: Mapped[int | None] = mapped_column(ForeignKey("risks.id"), index=True, nullable=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    kind: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(16))
    organisation_code: Mapped[str] = mapped_column(String(64))
    jurisdiction_code: Mapped[str | None] = mapped_column(String(12), nullable=True)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    done_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    done_via: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    task: Mapped[str] = mapped_column(String(64), default="", server_default="")
    title: Mapped[str | None] = mapped_column(String(500), nullable=True)
    title_en: Mapped[str | None] = mapped_column(String(500), nullable=True)
    source: Mapped[str] = mapped_column(String(64), default="", server_default="")
