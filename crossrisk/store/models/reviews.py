"""After-action reviews, their capability ratings and corrective actions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crossrisk.store.models.base import Base, UTCDateTime


class ReviewRow(Base):
    __tablename__ = "after_action_reviews"
    __table_args__ = (UniqueConstraint("risk_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    risk_id: Mapped[int | None] = mapped_column(ForeignKey("risks.id"), nullable=True)
    drill_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(200))


class ReviewRatingRow(Base):
    __tablename__ = "review_ratings"
    __table_args__ = (UniqueConstraint("review_id", "capability"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("after_action_reviews.id"))
    capability: Mapped[str] = mapped_column(String(64))
    rating: Mapped[str] = mapped_column(String(1))
    strengths: Mapped[str] = mapped_column(Text)
    improvements: Mapped[str] = mapped_column(Text)
    rated_by: Mapped[str] = mapped_column(String(200))
    rated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReviewActionRow(Base):
    __tablename__ = "review_corrective_actions"
    __table_args__ = (UniqueConstraint("review_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("after_action_reviews.id"))
    number: Mapped[int] = mapped_column(Integer)
    capability: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(String(500))
    owner_code: Mapped[str] = mapped_column(String(64))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duty_id: Mapped[int | None] = mapped_column(ForeignKey("duties.id"), nullable=True)
