"""add the land around each region (non-member neighbours)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "region_surroundings",
        sa.Column("region_code", sa.String(32), nullable=False),
        sa.Column("jurisdiction_code", sa.String(12), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_region_surroundings_region_code_regions")
        ),
        sa.ForeignKeyConstraint(
            ["jurisdiction_code"],
            ["jurisdictions.code"],
            name=op.f("fk_region_surroundings_jurisdiction_code_jurisdictions"),
        ),
        sa.PrimaryKeyConstraint(
            "region_code", "jurisdiction_code", name=op.f("pk_region_surroundings")
        ),
    )


def downgrade() -> None:
    op.drop_table("region_surroundings")
