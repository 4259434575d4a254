"""add coordination meetings, their invitations and decisions

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, target_column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.{target_column}"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(32), nullable=False),
        sa.Column("risk_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=True),
        sa.Column("place", sa.String(200), nullable=False),
        sa.Column("video_url", sa.String(500), nullable=False),
        sa.Column("agenda", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("convened_at", sa.DateTime(), nullable=False),
        sa.Column("convened_by", sa.String(200), nullable=False),
        sa.Column("minutes", sa.Text(), nullable=False),
        sa.Column("minutes_at", sa.DateTime(), nullable=True),
        sa.Column("minutes_by", sa.String(200), nullable=True),
        sa.Column("cancel_reason", sa.String(500), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.Column("cancelled_by", sa.String(200), nullable=True),
        _fk("meetings", "region_code", "regions", "code"),
        _fk("meetings", "risk_id", "risks", "id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    with op.batch_alter_table("meetings") as batch:
        batch.create_index("ix_meetings_region_code_starts_at", ["region_code", "starts_at"])
        batch.create_index(batch.f("ix_meetings_risk_id"), ["risk_id"])
    op.create_table(
        "meeting_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("organisation_code", sa.String(64), nullable=False),
        sa.Column("attendance", sa.String(16), nullable=True),
        sa.Column("attendees", sa.String(500), nullable=False),
        _fk("meeting_invitations", "meeting_id", "meetings", "id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_invitations")),
        sa.UniqueConstraint(
            "meeting_id",
            "organisation_code",
            name=op.f("uq_meeting_invitations_meeting_id"),
        ),
    )
    with op.batch_alter_table("meeting_invitations") as batch:
        batch.create_index(batch.f("ix_meeting_invitations_meeting_id"), ["meeting_id"])
    op.create_table(
        "meeting_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(500), nullable=False),
        sa.Column("owner_code", sa.String(64), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("duty_id", sa.Integer(), nullable=True),
        _fk("meeting_decisions", "meeting_id", "meetings", "id"),
        _fk("meeting_decisions", "duty_id", "duties", "id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_decisions")),
        sa.UniqueConstraint("meeting_id", "number", name=op.f("uq_meeting_decisions_meeting_id")),
    )
    with op.batch_alter_table("meeting_decisions") as batch:
        batch.create_index(batch.f("ix_meeting_decisions_meeting_id"), ["meeting_id"])


def downgrade() -> None:
    op.drop_table("meeting_decisions")
    op.drop_table("meeting_invitations")
    op.drop_table("meetings")
