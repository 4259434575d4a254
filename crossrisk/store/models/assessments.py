"""Assessments of member cities: by an evaluator (third party) or by the member itself."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crossrisk.store.models.base import Base, UTCDateTime


class AssessmentRow(Base):
    __tablename__ = "assessments"
    __table_args__ = (
        Index("ix_assessments_organisation_code_period_end", "organisation_code", "period_end"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    organisation_code: Mapped[str] = mapped_column(ForeignKey("organisations.code"))
    kind: Mapped[str] = mapped_column(String(16))
    assessor_code: Mapped[str] = mapped_column(ForeignKey("organisations.code"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    scores: Mapped[dict[str, float]] = mapped_column(JSON)  # by criterion key
    note: Mapped[str] = mapped_column(Text)
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    filed_by: Mapped[str] = mapped_column(String(200))
