"""add early warnings and their messages

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "warnings",
        sa.Column("id", sa.String(160), nullable=False),
        sa.Column("risk_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(32), nullable=False),
        sa.Column("recipient_code", sa.String(12), nullable=False),
        sa.Column("recipient_organisation", sa.String(64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("msg_type", sa.String(8), nullable=False),
        sa.Column("manual", sa.Boolean(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("expected_arrival", sa.DateTime(), nullable=True),
        sa.Column("instructions_zh", sa.Text(), nullable=False),
        sa.Column("instructions_en", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("issued_by", sa.String(64), nullable=False),
        sa.Column("ack_deadline", sa.DateTime(), nullable=False),
        sa.Column("remind_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("references", sa.JSON(), nullable=False),
        sa.Column("observed", sa.Boolean(), nullable=False),
        sa.Column("cap_xml", sa.LargeBinary(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=True),
        sa.Column("acknowledged_by", sa.String(64), nullable=True),
        sa.Column("acknowledged_via", sa.String(8), nullable=True),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.Column("reminded_at", sa.DateTime(), nullable=True),
        sa.Column("escalated_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["risk_id"], ["risks.id"], name=op.f("fk_warnings_risk_id_risks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warnings")),
        sa.UniqueConstraint(
            "risk_id", "recipient_code", "sequence", name=op.f("uq_warnings_risk_id")
        ),
    )
    with op.batch_alter_table("warnings") as batch:
        batch.create_index(batch.f("ix_warnings_risk_id"), ["risk_id"], unique=False)
        batch.create_index(batch.f("ix_warnings_recipient_code"), ["recipient_code"], unique=False)
        batch.create_index(
            "ix_warnings_status_ack_deadline", ["status", "ack_deadline"], unique=False
        )


def downgrade() -> None:
    op.drop_table("warnings")
