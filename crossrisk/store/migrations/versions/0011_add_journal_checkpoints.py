"""add journal checkpoints

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-20
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "journal_checkpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(32), nullable=True),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("risk_id", sa.Integer(), nullable=True),
        sa.Column("day", sa.String(10), nullable=True),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=True),
        sa.Column("seq", sa.BigInteger(), nullable=True),
        sa.Column("hash", sa.String(64), nullable=True),
        sa.Column("key_fingerprint", sa.String(80), nullable=True),
        sa.Column("document", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["region_code"],
            ["regions.code"],
            name=op.f("fk_journal_checkpoints_region_code_regions"),
        ),
        sa.ForeignKeyConstraint(
            ["risk_id"], ["risks.id"], name=op.f("fk_journal_checkpoints_risk_id_risks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_checkpoints")),
        sa.UniqueConstraint(
            "region_code", "day", name=op.f("uq_journal_checkpoints_region_code")
        ),
    )
    with op.batch_alter_table("journal_checkpoints") as batch:
        batch.create_index(
            batch.f("ix_journal_checkpoints_issued_at"), ["issued_at"], unique=False
        )


def downgrade() -> None:
    op.drop_table("journal_checkpoints")
