"""Coordination meetings, the organisations invited to each, and the decisions recorded."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crossrisk.store.models.base import Base, UTCDateTime


class MeetingRow(Base):
    __tablename__ = "meetings"
    __table_args__ = (Index("ix_meetings_region_code_starts_at", "region_code", "starts_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    risk_id: Mapped[int | None] = mapped_column(ForeignKey("risks.id"), nullable=True, index=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    place: Mapped[str] = mapped_column(String(200))
    video_url: Mapped[str] = mapped_column(String(500))
    agenda: Mapped[list[str]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16))
    convened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    convened_by: Mapped[str] = mapped_column(String(200))
    minutes: Mapped[str] = mapped_column(Text)
    minutes_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    minutes_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    cancel_reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    cancelled_by: Mapped[str | None] = mapped_column(String(200), nullable=True)


class MeetingInvitationRow(Base):
    __tablename__ = "meeting_invitations"
    __table_args__ = (UniqueConstraint("meeting_id", "organisation_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    organisation_code: Mapped[str] = mapped_column(String(64))
    attendance: Mapped[str | None] = mapped_column(String(16), nullable=True)
    attendees: Mapped[str] = mapped_column(String(500))


class MeetingDecisionRow(Base):
    __tablename__ = "meeting_decisions"
    __table_args__ = (UniqueConstraint("meeting_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(500))
    owner_code: Mapped[str] = mapped_column(String(64))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(200))
    duty_id: Mapped[int | None] = mapped_column(ForeignKey("duties.id"), nullable=True)
