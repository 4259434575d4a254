"""add the committee's annual plan and cooperation items

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "annual_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("title_en", sa.String(200), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_code", sa.String(64), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("first_due", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("serves_kind", sa.String(16), nullable=True),
        sa.Column("serves_id", sa.BigInteger(), nullable=True),
        sa.Column("reason", sa.String(500), nullable=True),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("done_by", sa.String(200), nullable=True),
        sa.Column("duty_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_annual_items_region_code_regions")
        ),
        sa.ForeignKeyConstraint(
            ["owner_code"],
            ["organisations.code"],
            name=op.f("fk_annual_items_owner_code_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["duty_id"], ["duties.id"], name=op.f("fk_annual_items_duty_id_duties")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annual_items")),
    )
    op.create_index("ix_annual_items_region_code_year", "annual_items", ["region_code", "year"])
    op.create_index("ix_annual_items_owner_code_status", "annual_items", ["owner_code", "status"])


def downgrade() -> None:
    op.drop_index("ix_annual_items_owner_code_status", table_name="annual_items")
    op.drop_index("ix_annual_items_region_code_year", table_name="annual_items")
    op.drop_table("annual_items")
