"""Early-warning messages: one row per CAP message, threads by (risk, recipient)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from crossrisk.store.models.base import Base, UTCDateTime


class WarningRow(Base):
    __tablename__ = "warnings"
    __table_args__ = (
        UniqueConstraint("risk_id", "recipient_code", "sequence"),
        # The sweeper looks for messages still waiting for an acknowledgement.
        Index("ix_warnings_status_ack_deadline", "status", "ack_deadline"),
    )

    id: Mapped[str] = mapped_column(String(160), primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risks.id"), index=True)
    region_code: Mapped[str] = mapped_column(String(32))
    recipient_code: Mapped[str] = mapped_column(String(12), index=True)
    recipient_organisation: Mapped[str] = mapped_column(String(64))
    sequence: Mapped[int] = mapped_column(Integer)
    msg_type: Mapped[str] = mapped_column(String(8))
    manual: Mapped[bool] = mapped_column(Boolean)
    level: Mapped[int] = mapped_column(Integer)
    expected_arrival: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    instructions_zh: Mapped[str] = mapped_column(Text)
    instructions_en: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    issued_by: Mapped[str] = mapped_column(String(64))
    ack_deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    remind_at: Mapped[datetime] = mapped_column(UTCDateTime)  # half-way to the deadline
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    references: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    observed: Mapped[bool] = mapped_column(Boolean)
    # An information report (通报), not a colour warning: a social-security risk.
    report: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The CAP XML exactly as delivered; a later policy change never rewrites it.
    cap_xml: Mapped[bytes] = mapped_column(LargeBinary)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    acknowledged_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    acknowledged_via: Mapped[str | None] = mapped_column(String(8), nullable=True)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
