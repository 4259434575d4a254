"""Supervision of trust evidence: the committee's verdicts and members' ratings of aid."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crossrisk.store.models.base import Base, UTCDateTime


class TrustSupervisionRow(Base):
    __tablename__ = "trust_supervisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    # "commitment:12" or "duty:7"; the latest verdict on a target is the one that counts.
    target: Mapped[str] = mapped_column(String(64), index=True)
    verdict: Mapped[str] = mapped_column(String(16))
    recorded_kind: Mapped[str] = mapped_column(String(32))
    counts_as: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    by: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class TrustRatingRow(Base):
    __tablename__ = "trust_ratings"
    # One rating per shipment: the recipient rates each delivery once.
    __table_args__ = (UniqueConstraint("shipment_id", name="uq_trust_ratings_shipment_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("aid_shipments.id"))
    rater: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(64), index=True)
    score: Mapped[str] = mapped_column(String(16))
    share: Mapped[float] = mapped_column(Float)
    comment: Mapped[str] = mapped_column(Text)
    by: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
