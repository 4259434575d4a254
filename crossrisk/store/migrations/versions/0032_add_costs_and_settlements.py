"""add the cost ledger, loss-avoided estimates, settlement statements and the regional fund

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cost_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("risk_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(32), nullable=False),
        sa.Column("party", sa.String(32), nullable=False),
        sa.Column("organisation_code", sa.String(64), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("spent_on", sa.Date(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("aid_request_id", sa.Integer(), nullable=True),
        sa.Column("reimbursed_by", sa.String(32), nullable=True),
        sa.Column("protects", sa.JSON(), nullable=False),
        sa.Column("drill", sa.Boolean(), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("withdrawn_by", sa.String(200), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["risk_id"], ["risks.id"], name=op.f("fk_cost_lines_risk_id_risks")),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_cost_lines_region_code_regions")
        ),
        sa.ForeignKeyConstraint(
            ["aid_request_id"],
            ["aid_requests.id"],
            name=op.f("fk_cost_lines_aid_request_id_aid_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cost_lines")),
    )
    with op.batch_alter_table("cost_lines") as batch:
        batch.create_index(batch.f("ix_cost_lines_risk_id"), ["risk_id"], unique=False)
    op.create_table(
        "loss_avoided_estimates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("risk_id", sa.Integer(), nullable=False),
        sa.Column("party", sa.String(32), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["risk_id"], ["risks.id"], name=op.f("fk_loss_avoided_estimates_risk_id_risks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loss_avoided_estimates")),
        sa.UniqueConstraint("risk_id", "party", name="uq_loss_avoided_estimates_risk_party"),
    )
    op.create_table(
        "settlements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("risk_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(32), nullable=False),
        sa.Column("rule", sa.String(32), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("transfers", sa.JSON(), nullable=False),
        sa.Column("borne", sa.JSON(), nullable=False),
        sa.Column("due", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("proposed_by", sa.String(200), nullable=False),
        sa.Column("proposed_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by", sa.String(200), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["risk_id"], ["risks.id"], name=op.f("fk_settlements_risk_id_risks")
        ),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_settlements_region_code_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_settlements")),
    )
    with op.batch_alter_table("settlements") as batch:
        batch.create_index(batch.f("ix_settlements_risk_id"), ["risk_id"], unique=False)
    op.create_table(
        "fund_movements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("party", sa.String(64), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("conditions", sa.JSON(), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("settlement_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_fund_movements_region_code_regions")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["accountability_cases.id"],
            name=op.f("fk_fund_movements_case_id_accountability_cases"),
        ),
        sa.ForeignKeyConstraint(
            ["settlement_id"],
            ["settlements.id"],
            name=op.f("fk_fund_movements_settlement_id_settlements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fund_movements")),
        # One penalty per case: a second call cannot charge the party twice.
        sa.UniqueConstraint("case_id", name=op.f("uq_fund_movements_case_id")),
    )
    with op.batch_alter_table("fund_movements") as batch:
        batch.create_index(batch.f("ix_fund_movements_region_code"), ["region_code"], unique=False)


def downgrade() -> None:
    op.drop_table("fund_movements")
    op.drop_table("settlements")
    op.drop_table("loss_avoided_estimates")
    op.drop_table("cost_lines")
