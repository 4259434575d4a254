"""CAP alerts received from other systems, kept as they arrived."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crossrisk.store.models.base import Base, UTCDateTime


class ReceivedAlertRow(Base):
    __tablename__ = "received_cap_alerts"
    # CAP 1.2 §3.2.1: an identifier is unique for its sender, so the pair names one message
    # however often it is delivered.
    __table_args__ = (UniqueConstraint("sender", "identifier"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sender: Mapped[str] = mapped_column(String(255))
    identifier: Mapped[str] = mapped_column(String(255))
    sent: Mapped[datetime] = mapped_column(UTCDateTime)
    msg_type: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(16))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), nullable=True)
    risk_id: Mapped[int | None] = mapped_column(ForeignKey("risks.id"), nullable=True, index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_by: Mapped[str] = mapped_column(String(64))
    # The bytes as delivered (any encoding the XML declaration names): the evidence of what
    # the other system said, which a parsed copy would not be.
    xml: Mapped[bytes] = mapped_column(LargeBinary)
    xml_sha256: Mapped[str] = mapped_column(String(64))


class ReceivedReferenceRow(Base):
    """An earlier message a received one names in <references> (CAP 1.2 §3.2.1).

    Kept so that a message arriving after one that refers to it (a feed joined midway,
    then its history) is known for the older news it is.
    """

    __tablename__ = "received_cap_references"
    __table_args__ = (
        Index("ix_received_cap_references_sender_identifier", "sender", "identifier"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    received_alert_id: Mapped[int] = mapped_column(ForeignKey("received_cap_alerts.id"))
    sender: Mapped[str] = mapped_column(String(255))
    identifier: Mapped[str] = mapped_column(String(255))
