"""Compensation: the cost ledger, loss-avoided estimates, settlement statements, the fund."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from crossrisk.store.models.base import Base, UTCDateTime


class CostLineRow(Base):
    __tablename__ = "cost_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risks.id"), index=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    party: Mapped[str] = mapped_column(String(32))
    organisation_code: Mapped[str] = mapped_column(String(64))
    # Fen: up to a trillion yuan is 10¹⁴ fen, beyond a 32-bit integer.
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    category: Mapped[str] = mapped_column(String(16))
    spent_on: Mapped[date] = mapped_column(Date)
    evidence: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    aid_request_id: Mapped[int | None] = mapped_column(ForeignKey("aid_requests.id"), nullable=True)
    reimbursed_by: Mapped[str | None] = mapped_column(String(32), nullable=True)
    protects: Mapped[list[str]] = mapped_column(JSON)
    drill: Mapped[bool] = mapped_column(Boolean)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    withdrawn_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class CostEvidenceRow(Base):
    """A file proving a cost line (migration 0035): its bytes, kept with the line."""

    __tablename__ = "cost_evidence_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("cost_lines.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    attached_by: Mapped[str] = mapped_column(String(200))
    attached_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LossAvoidedRow(Base):
    __tablename__ = "loss_avoided_estimates"
    __table_args__ = (
        UniqueConstraint("risk_id", "party", name="uq_loss_avoided_estimates_risk_party"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risks.id"))
    party: Mapped[str] = mapped_column(String(32))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    basis: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SettlementRow(Base):
    __tablename__ = "settlements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # A risk's statement names the risk; a border section's names the agreement, round,
    # period and station instead (migration 0034).
    risk_id: Mapped[int | None] = mapped_column(ForeignKey("risks.id"), index=True, nullable=True)
    agreement_id: Mapped[int | None] = mapped_column(
        ForeignKey("agreements.id"), index=True, nullable=True
    )
    round: Mapped[str | None] = mapped_column(String(64), nullable=True)
    period_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    period_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    station_code: Mapped[str | None] = mapped_column(String(48), nullable=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    rule: Mapped[str] = mapped_column(String(32))
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)
    transfers: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    borne: Mapped[dict[str, int]] = mapped_column(JSON)
    due: Mapped[dict[str, int]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16))
    proposed_by: Mapped[str] = mapped_column(String(200))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class FundMovementRow(Base):
    __tablename__ = "fund_movements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    party: Mapped[str] = mapped_column(String(64))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    conditions: Mapped[list[str]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(String(500))
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("accountability_cases.id"), nullable=True, unique=True
    )
    settlement_id: Mapped[int | None] = mapped_column(ForeignKey("settlements.id"), nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class InKindDeliveryRow(Base):
    __tablename__ = "in_kind_deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    settlement_id: Mapped[int] = mapped_column(ForeignKey("settlements.id"), index=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    provider: Mapped[str] = mapped_column(String(64))
    recipient: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[int] = mapped_column(BigInteger)
    unit_value_fen: Mapped[int] = mapped_column(BigInteger)
    delivered_on: Mapped[date] = mapped_column(Date)
    evidence: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
