"""add received CAP alerts

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "received_cap_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender", sa.String(255), nullable=False),
        sa.Column("identifier", sa.String(255), nullable=False),
        sa.Column("sent", sa.DateTime(), nullable=False),
        sa.Column("msg_type", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("region_code", sa.String(32), nullable=True),
        sa.Column("risk_id", sa.Integer(), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("received_by", sa.String(64), nullable=False),
        sa.Column("xml", sa.LargeBinary(), nullable=False),
        sa.Column("xml_sha256", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"],
            ["regions.code"],
            name=op.f("fk_received_cap_alerts_region_code_regions"),
        ),
        sa.ForeignKeyConstraint(
            ["risk_id"], ["risks.id"], name=op.f("fk_received_cap_alerts_risk_id_risks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_received_cap_alerts")),
        sa.UniqueConstraint("sender", "identifier", name=op.f("uq_received_cap_alerts_sender")),
    )
    with op.batch_alter_table("received_cap_alerts") as batch:
        batch.create_index(batch.f("ix_received_cap_alerts_risk_id"), ["risk_id"], unique=False)


def downgrade() -> None:
    op.drop_table("received_cap_alerts")
