"""add in-kind deliveries: goods and services delivered on an approved statement

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0035"
down_revision = "0034"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "in_kind_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("settlement_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(32), nullable=False),
        sa.Column("provider", sa.String(64), nullable=False),
        sa.Column("recipient", sa.String(64), nullable=False),
        sa.Column("description", sa.String(500), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("unit_value_fen", sa.BigInteger(), nullable=False),
        sa.Column("delivered_on", sa.Date(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["settlement_id"],
            ["settlements.id"],
            name=op.f("fk_in_kind_deliveries_settlement_id_settlements"),
        ),
        sa.ForeignKeyConstraint(
            ["region_code"],
            ["regions.code"],
            name=op.f("fk_in_kind_deliveries_region_code_regions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_in_kind_deliveries")),
    )
    with op.batch_alter_table("in_kind_deliveries") as batch:
        batch.create_index(
            batch.f("ix_in_kind_deliveries_settlement_id"), ["settlement_id"], unique=False
        )
        batch.create_index(
            batch.f("ix_in_kind_deliveries_region_code"), ["region_code"], unique=False
        )


def downgrade() -> None:
    op.drop_table("in_kind_deliveries")
