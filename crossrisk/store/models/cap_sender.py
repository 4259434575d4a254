"""CAP senders the committee registered, the feeds it polls, and who may deliver what."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crossrisk.store.models.base import Base, UTCDateTime


class CapSenderRow(Base):
    __tablename__ = "cap_senders"

    # CAP 1.2 §3.2.1: the sender id is unique to its originator, so platform-wide here.
    sender_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    certificate_pem: Mapped[str | None] = mapped_column(Text, nullable=True)
    require_signature: Mapped[bool] = mapped_column(Boolean, default=False)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    registered_by: Mapped[str] = mapped_column(String(64))


class CapFeedRow(Base):
    __tablename__ = "cap_feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    name: Mapped[str] = mapped_column(String(200))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    registered_by: Mapped[str] = mapped_column(String(64))


class CapSenderDelivererRow(Base):
    """One organisation or one feed allowed to deliver one registered sender."""

    __tablename__ = "cap_sender_deliverers"
    __table_args__ = (
        UniqueConstraint(
            "sender_id", "organisation_code", name="uq_cap_sender_deliverers_organisation"
        ),
        UniqueConstraint("sender_id", "feed_id", name="uq_cap_sender_deliverers_feed"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sender_id: Mapped[str] = mapped_column(ForeignKey("cap_senders.sender_id"), index=True)
    organisation_code: Mapped[str | None] = mapped_column(
        ForeignKey("organisations.code"), nullable=True
    )
    feed_id: Mapped[int | None] = mapped_column(ForeignKey("cap_feeds.id"), nullable=True)


class CapFeedEntryRow(Base):
    """An entry of a feed's index the poller has taken: it is not fetched again."""

    __tablename__ = "cap_feed_entries"
    __table_args__ = (UniqueConstraint("feed_id", "entry_sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("cap_feeds.id"))
    # The entry's Atom id or RSS guid, else its link.
    entry_key: Mapped[str] = mapped_column(Text)
    # Keys are unbounded text; the unique index is on their digest.
    entry_sha256: Mapped[str] = mapped_column(String(64))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime)
    outcome: Mapped[str] = mapped_column(String(64))  # a receipt's outcome or a refusal's key
