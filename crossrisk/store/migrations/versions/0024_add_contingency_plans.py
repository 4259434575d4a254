"""add contingency plans and the plan activated for each risk

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contingency_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(32), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("jurisdiction_code", sa.String(32), nullable=True),
        sa.Column("name_zh", sa.String(200), nullable=False),
        sa.Column("name_en", sa.String(200), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("saved_by", sa.String(200), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"],
            ["regions.code"],
            name=op.f("fk_contingency_plans_region_code_regions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contingency_plans")),
        sa.UniqueConstraint(
            "region_code", "code", "version", name=op.f("uq_contingency_plans_region_code")
        ),
    )
    op.create_index(
        op.f("ix_contingency_plans_region_code"), "contingency_plans", ["region_code"]
    )
    op.create_table(
        "plan_activations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("risk_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("plan_code", sa.String(64), nullable=False),
        sa.Column("plan_version", sa.Integer(), nullable=False),
        sa.Column("by_hand", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(1000), nullable=False),
        sa.Column("activated_by", sa.String(200), nullable=False),
        sa.Column("activated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["risk_id"], ["risks.id"], name=op.f("fk_plan_activations_risk_id_risks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_activations")),
    )
    op.create_index(op.f("ix_plan_activations_risk_id"), "plan_activations", ["risk_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_plan_activations_risk_id"), table_name="plan_activations")
    op.drop_table("plan_activations")
    op.drop_index(op.f("ix_contingency_plans_region_code"), table_name="contingency_plans")
    op.drop_table("contingency_plans")
