"""Monitoring stations, their observations and the count of observations refused."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from crossrisk.store.models.base import Base, UTCDateTime

# SQLite gives an autoincrementing id only to a column declared exactly INTEGER PRIMARY KEY.
_ROW_ID = BigInteger().with_variant(Integer(), "sqlite")


class StationRow(Base):
    __tablename__ = "stations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(48), unique=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    jurisdiction_code: Mapped[str] = mapped_column(ForeignKey("jurisdictions.code"), index=True)
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    variable: Mapped[str] = mapped_column(String(32))
    unit: Mapped[str] = mapped_column(String(16))
    rule: Mapped[dict[str, object]] = mapped_column(JSON)
    category: Mapped[str] = mapped_column(String(32))
    hazard_type: Mapped[str] = mapped_column(String(32))
    parameters: Mapped[dict[str, object]] = mapped_column(JSON)
    valid_min: Mapped[float | None] = mapped_column(Float, nullable=True)
    valid_max: Mapped[float | None] = mapped_column(Float, nullable=True)
    source: Mapped[str] = mapped_column(Text, default="")
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
    added_by: Mapped[str] = mapped_column(String(64))
    # The risk the station's firings opened and still raise, and the last level it fired at.
    open_risk_id: Mapped[int | None] = mapped_column(ForeignKey("risks.id"), nullable=True)
    fired_level: Mapped[int | None] = mapped_column(Integer, nullable=True)
    fired_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class ObservationRow(Base):
    __tablename__ = "observations"
    # One reading per station and time: a redelivered message is stored once.
    __table_args__ = (UniqueConstraint("station_id", "observed_at"),)

    id: Mapped[int] = mapped_column(_ROW_ID, primary_key=True, autoincrement=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"))
    observed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    value: Mapped[float] = mapped_column(Float)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(32))


class RefusedObservationCountRow(Base):
    """How many observations were refused, per reason and station ("" when unknown)."""

    __tablename__ = "refused_observation_counts"

    reason: Mapped[str] = mapped_column(String(64), primary_key=True)
    station_code: Mapped[str] = mapped_column(String(48), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime)


class FiringRow(Base):
    """A firing waiting to be acted on, or what acting on it did (an outbox row)."""

    __tablename__ = "firings"

    id: Mapped[int] = mapped_column(_ROW_ID, primary_key=True, autoincrement=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), index=True)
    firing: Mapped[dict[str, object]] = mapped_column(JSON)  # Firing.record(), level and all
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # "pending" until acted on, then "done" or "failed"; pending rows are the worker's queue.
    status: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)
    risk_id: Mapped[int | None] = mapped_column(ForeignKey("risks.id"), nullable=True)
    detail: Mapped[str] = mapped_column(Text, default="")
