"""add duties, the lines of responsibility lists with a status

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "duties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("risk_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("organisation_code", sa.String(64), nullable=False),
        sa.Column("jurisdiction_code", sa.String(12), nullable=True),
        sa.Column("deadline", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("assigned_at", sa.DateTime(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("done_by", sa.String(200), nullable=True),
        sa.Column("done_via", sa.String(64), nullable=True),
        sa.Column("reason", sa.String(500), nullable=True),
        sa.Column("reminded_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["risk_id"], ["risks.id"], name=op.f("fk_duties_risk_id_risks")),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_duties_region_code_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duties")),
        sa.UniqueConstraint(
            "risk_id", "kind", "organisation_code", name=op.f("uq_duties_risk_id")
        ),
    )
    with op.batch_alter_table("duties") as batch:
        batch.create_index(batch.f("ix_duties_risk_id"), ["risk_id"], unique=False)
        batch.create_index(
            "ix_duties_organisation_code_status", ["organisation_code", "status"], unique=False
        )
        batch.create_index("ix_duties_region_code_status", ["region_code", "status"], unique=False)


def downgrade() -> None:
    op.drop_table("duties")
