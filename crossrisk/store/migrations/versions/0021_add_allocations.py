"""add allocations and their lines

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, target_column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.{target_column}"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    op.create_table(
        "allocations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(32), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("fair", sa.Boolean(), nullable=False),
        sa.Column("request_ids", sa.JSON(), nullable=False),
        sa.Column("risk_ids", sa.JSON(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("total_hours", sa.Float(), nullable=False),
        sa.Column("lowest_fill_rate", sa.Float(), nullable=True),
        sa.Column("price_hours", sa.Float(), nullable=True),
        sa.Column("unmet", sa.JSON(), nullable=False),
        sa.Column("donors", sa.JSON(), nullable=False),
        sa.Column("reserve_rules", sa.JSON(), nullable=False),
        sa.Column("proposed_at", sa.DateTime(), nullable=False),
        sa.Column("proposed_by", sa.String(200), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by", sa.String(200), nullable=True),
        _fk("allocations", "region_code", "regions", "code"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocations")),
    )
    with op.batch_alter_table("allocations") as batch:
        batch.create_index("ix_allocations_region_state", ["region_code", "state"])
    op.create_table(
        "allocation_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("allocation_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("donor_jurisdiction_code", sa.String(12), nullable=False),
        sa.Column("request_line_id", sa.Integer(), nullable=False),
        sa.Column("item_code", sa.String(64), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.Column("donor_lon", sa.Float(), nullable=False),
        sa.Column("donor_lat", sa.Float(), nullable=False),
        sa.Column("destination_lon", sa.Float(), nullable=False),
        sa.Column("destination_lat", sa.Float(), nullable=False),
        sa.Column("stale", sa.Boolean(), nullable=False),
        sa.Column("approved_quantity", sa.Float(), nullable=True),
        sa.Column("commitment_id", sa.Integer(), nullable=True),
        _fk("allocation_lines", "allocation_id", "allocations", "id"),
        _fk("allocation_lines", "donor_jurisdiction_code", "jurisdictions", "code"),
        _fk("allocation_lines", "request_line_id", "aid_request_lines", "id"),
        _fk("allocation_lines", "commitment_id", "aid_commitments", "id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocation_lines")),
    )
    with op.batch_alter_table("allocation_lines") as batch:
        batch.create_index(batch.f("ix_allocation_lines_allocation_id"), ["allocation_id"])


def downgrade() -> None:
    op.drop_table("allocation_lines")
    op.drop_table("allocations")
