"""Organisations, their users and API tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from crossrisk.store.models.base import Base, UTCDateTime


class OrganisationRow(Base):
    __tablename__ = "organisations"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    jurisdiction_code: Mapped[str | None] = mapped_column(
        ForeignKey("jurisdictions.code"), nullable=True
    )
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), nullable=True)
    category: Mapped[str | None] = mapped_column(String(32), nullable=True)


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    organisation_code: Mapped[str] = mapped_column(ForeignKey("organisations.code"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Manages the organisation's accounts (crossrisk.domain.permissions.users.can_manage_users).
    admin: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ApiTokenRow(Base):
    __tablename__ = "api_tokens"

    # Only a digest is kept, so a leaked database does not leak usable tokens.
    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set when the token was revoked (the user's tokens revoked, or the password changed).
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
