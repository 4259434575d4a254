"""add versioned demand factor sets per region

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "aid_demand_factor_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("factors", sa.Text(), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("saved_by", sa.String(200), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"],
            ["regions.code"],
            name=op.f("fk_aid_demand_factor_sets_region_code_regions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aid_demand_factor_sets")),
        sa.UniqueConstraint(
            "region_code", "version", name=op.f("uq_aid_demand_factor_sets_region_code")
        ),
    )


def downgrade() -> None:
    op.drop_table("aid_demand_factor_sets")
