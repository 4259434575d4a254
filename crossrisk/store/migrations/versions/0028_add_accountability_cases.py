"""add accountability cases: one per finding, with its evidence, procedure and steps

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

TABLE = "accountability_cases"


def _fk(column: str, target: str, target_column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.{target_column}"], name=op.f(f"fk_{TABLE}_{column}_{target}")
    )


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(32), nullable=False),
        sa.Column("risk_id", sa.Integer(), nullable=True),
        sa.Column("drill_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("party", sa.String(64), nullable=False),
        sa.Column("duty_id", sa.Integer(), nullable=True),
        sa.Column("finding_key", sa.String(200), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=True),
        sa.Column("procedure", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("opened_by", sa.String(200), nullable=False),
        sa.Column("review", sa.Text(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("reviewed_by", sa.String(200), nullable=True),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("statement_at", sa.DateTime(), nullable=True),
        sa.Column("statement_by", sa.String(200), nullable=True),
        sa.Column("outcome", sa.String(32), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("penalty", sa.String(500), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by", sa.String(200), nullable=True),
        _fk("region_code", "regions", "code"),
        _fk("risk_id", "risks", "id"),
        _fk("duty_id", "duties", "id"),
        _fk("agreement_id", "agreements", "id"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{TABLE}")),
        sa.UniqueConstraint("finding_key", name=op.f(f"uq_{TABLE}_finding_key")),
    )
    with op.batch_alter_table(TABLE) as batch:
        batch.create_index(f"ix_{TABLE}_region_code_state", ["region_code", "state"])
        batch.create_index(batch.f(f"ix_{TABLE}_risk_id"), ["risk_id"])
        batch.create_index(batch.f(f"ix_{TABLE}_drill_id"), ["drill_id"])
        batch.create_index(batch.f(f"ix_{TABLE}_party"), ["party"])


def downgrade() -> None:
    op.drop_table(TABLE)
