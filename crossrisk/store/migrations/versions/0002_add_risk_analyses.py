"""add hazard types, model parameters, region state and versioned risk analyses

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("risks") as batch:
        batch.add_column(
            sa.Column("hazard_type", sa.String(32), nullable=False, server_default="area")
        )
        batch.add_column(sa.Column("parameters", sa.JSON(), nullable=False, server_default="{}"))
    with op.batch_alter_table("regions") as batch:
        batch.add_column(sa.Column("state", sa.String(16), nullable=False, server_default="normal"))
    op.create_table(
        "risk_analyses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("risk_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.Column("situation", sa.String(16), nullable=False),
        sa.Column("lead_code", sa.String(12), nullable=False),
        sa.Column("escalated", sa.Boolean(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["risk_id"], ["risks.id"], name=op.f("fk_risk_analyses_risk_id_risks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_analyses")),
        sa.UniqueConstraint("risk_id", "version", name=op.f("uq_risk_analyses_risk_id")),
    )
    with op.batch_alter_table("risk_analyses") as batch:
        batch.create_index(batch.f("ix_risk_analyses_risk_id"), ["risk_id"], unique=False)


def downgrade() -> None:
    op.drop_table("risk_analyses")
    with op.batch_alter_table("regions") as batch:
        batch.drop_column("state")
    with op.batch_alter_table("risks") as batch:
        batch.drop_column("parameters")
        batch.drop_column("hazard_type")
