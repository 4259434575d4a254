"""add emergency stocks and their ledger

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "aid_stocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(32), nullable=False),
        sa.Column("jurisdiction_code", sa.String(12), nullable=False),
        sa.Column("item_code", sa.String(64), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("warehouse", sa.String(200), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("owner_code", sa.String(64), nullable=False),
        sa.Column("sharing", sa.String(16), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_aid_stocks_region_code_regions")
        ),
        sa.ForeignKeyConstraint(
            ["jurisdiction_code"],
            ["jurisdictions.code"],
            name=op.f("fk_aid_stocks_jurisdiction_code_jurisdictions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aid_stocks")),
    )
    with op.batch_alter_table("aid_stocks") as batch:
        batch.create_index("ix_aid_stocks_region_item", ["region_code", "item_code"], unique=False)
        batch.create_index("ix_aid_stocks_jurisdiction", ["jurisdiction_code"], unique=False)
    op.create_table(
        "aid_stock_adjustments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stock_id", sa.Integer(), nullable=False),
        sa.Column("delta", sa.Float(), nullable=False),
        sa.Column("quantity_after", sa.Float(), nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["stock_id"], ["aid_stocks.id"], name=op.f("fk_aid_stock_adjustments_stock_id_aid_stocks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aid_stock_adjustments")),
    )
    with op.batch_alter_table("aid_stock_adjustments") as batch:
        batch.create_index(
            batch.f("ix_aid_stock_adjustments_stock_id"), ["stock_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("aid_stock_adjustments")
    op.drop_table("aid_stocks")
